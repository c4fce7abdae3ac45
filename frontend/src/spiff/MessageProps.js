// Message events: message name (bpmn:Message), payload/variable and process-variable correlations.
import { TextFieldEntry, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import {
  addExtension, getBody, getBusinessObject, getDefinitions, getExtensions, is, removeExtension, run, setBody, update
} from './extensions.js';

const CORRELATION = 'spiffworkflow:ProcessVariableCorrelation';

export function getMessageDefinition(element) {
  const bo = getBusinessObject(element);
  return is(bo, 'bpmn:Event') ? (bo.get('eventDefinitions') || []).find((d) => is(d, 'bpmn:MessageEventDefinition')) : undefined;
}

export function MessageProps({ element }) {
  const definition = getMessageDefinition(element);
  if (!definition) return [];
  const isCatch = is(element, 'bpmn:CatchEvent');
  const entries = [
    { id: 'spiff-message-name', component: MessageName, isEdited: isTextFieldEntryEdited, definition },
    {
      id: isCatch ? 'spiff-message-variable' : 'spiff-message-payload',
      component: MessageBody, isEdited: isTextFieldEntryEdited, definition,
      type: isCatch ? 'spiffworkflow:MessageVariable' : 'spiffworkflow:MessagePayload',
      label: isCatch ? 'Store message payload in variable' : 'Message payload (Python expression)'
    }
  ];
  const count = getExtensions(definition, CORRELATION).length;
  // one slot per existing correlation plus an empty one to add another
  for (let index = 0; index <= count; index++) {
    entries.push({ id: `spiff-correlation-${index}-property`, component: CorrelationField, isEdited: isTextFieldEntryEdited, definition, index, field: 'propertyId' });
    if (index < count) {
      entries.push({ id: `spiff-correlation-${index}-expression`, component: CorrelationField, isEdited: isTextFieldEntryEdited, definition, index, field: 'expression' });
    }
  }
  return entries;
}

function MessageName({ element, id, definition }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const setValue = (name) => {
    if (!name) return run(commandStack, [update(element, definition, { messageRef: undefined })]);
    const definitions = getDefinitions(definition);
    const roots = definitions.get('rootElements');
    let message = roots.find((r) => is(r, 'bpmn:Message') && r.name === name);
    const commands = [];
    if (!message) {
      message = bpmnFactory.create('bpmn:Message', { name });
      message.$parent = definitions;
      commands.push(update(element, definitions, { rootElements: [...roots, message] }));
    }
    commands.push(update(element, definition, { messageRef: message }));
    run(commandStack, commands);
  };
  return TextFieldEntry({
    element, id, debounce,
    label: translate('Message name'),
    description: translate('Uses the bpmn:message with this name, creating it if needed'),
    getValue: () => (definition.messageRef && definition.messageRef.name) || '',
    setValue
  });
}

function MessageBody({ element, id, definition, type, label }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, debounce,
    label: translate(label),
    getValue: () => getBody(definition, type) || '',
    setValue: (value) => setBody(element, definition, type, value, { bpmnFactory, commandStack })
  });
}

function knownCorrelationProperties(definition) {
  const definitions = getDefinitions(definition);
  return ((definitions && definitions.get('rootElements')) || []).filter((r) => is(r, 'bpmn:CorrelationProperty')).map((r) => r.id);
}

function CorrelationField({ element, id, definition, index, field }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const get = () => getExtensions(definition, CORRELATION)[index];
  const setValue = (value) => {
    const existing = get();
    const commands = [];
    if (existing && field === 'propertyId' && !value) removeExtension(element, definition, existing, commands);
    else if (existing) commands.push(update(element, existing, { [field]: value || '' }));
    else if (value) {
      // new correlation: default the expression to the process variable of the same name
      const created = bpmnFactory.create(CORRELATION, { propertyId: value, expression: value });
      addExtension(element, definition, created, bpmnFactory, commands);
    }
    run(commandStack, commands);
  };
  const known = knownCorrelationProperties(definition);
  const isProperty = field === 'propertyId';
  const label = isProperty
    ? (get() ? `${translate('Correlation property')} ${index + 1}` : translate('Add correlation property'))
    : `${translate('Correlation expression')} ${index + 1}`;
  return TextFieldEntry({
    element, id, debounce, label,
    description: isProperty
      ? (known.length ? `${translate('Known')}: ${known.join(', ')}` : undefined)
      : translate('Python expression evaluated against process data'),
    getValue: () => (get() || {})[field] || '',
    setValue
  });
}
