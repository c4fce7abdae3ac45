// User task form: spiffworkflow:property formJsonSchemaFilename / formUiSchemaFilename.
import { SelectEntry, isSelectEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from './extensions.js';
import { getProperty, setProperty } from './properties.js';

const FIELDS = [
  { id: 'spiff-form-schema', property: 'formJsonSchemaFilename', label: 'Form (JSON schema)' },
  { id: 'spiff-form-ui-schema', property: 'formUiSchemaFilename', label: 'Form UI schema' }
];

export function FormProps({ element, forms = [] }) {
  if (!is(element, 'bpmn:UserTask')) return [];
  return FIELDS.map((field) => ({ id: field.id, component: FormSelect, isEdited: isSelectEntryEdited, field, forms }));
}

function FormSelect({ element, id, field, forms }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const bo = getBusinessObject(element);
  const getValue = () => getProperty(bo, field.property) || '';
  const getOptions = () => {
    const current = getValue();
    const options = [{ value: '', label: translate('<none>') }, ...forms.map((f) => ({ value: f, label: f }))];
    if (current && !forms.includes(current)) options.push({ value: current, label: `${current} (${translate('missing')})` });
    return options;
  };
  const setValue = (value) => setProperty(element, bo, field.property, value, { bpmnFactory, commandStack });
  return SelectEntry({ element, id, label: translate(field.label), getValue, setValue, getOptions });
}
