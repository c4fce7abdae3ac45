// Service task: spiffworkflow:serviceTaskOperator (operation, result variable, parameters).
import { SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { addExtension, getBusinessObject, getExtension, is, removeExtension, run, update } from './extensions.js';

const OPERATOR = 'spiffworkflow:ServiceTaskOperator';

function getOperator(bo) {
  return getExtension(bo, OPERATOR);
}

function getParams(operator) {
  const list = operator && operator.get('parameterList');
  return list ? list.get('parameters') : [];
}

function findOperation(operations, name) {
  return operations.find((op) => op.name === name);
}

/** Entries for the Spiff group, or [] for non service tasks. */
export function ServiceTaskProps({ element, operations = [] }) {
  if (!is(element, 'bpmn:ServiceTask')) return [];
  const bo = getBusinessObject(element);
  const operator = getOperator(bo);
  const entries = [
    { id: 'spiff-operation', component: OperationSelect, isEdited: isSelectEntryEdited, operations },
  ];
  if (!operator) return entries;
  entries.push({ id: 'spiff-result-variable', component: ResultVariable, isEdited: isTextFieldEntryEdited });
  const op = findOperation(operations, operator.id);
  const declared = op ? op.params || [] : [];
  const names = new Set(declared.map((p) => p.name));
  const extra = getParams(operator).filter((p) => !names.has(p.id)).map((p) => ({ name: p.id, type: p.type, required: false, undeclared: true }));
  for (const param of [...declared, ...extra]) {
    entries.push({ id: `spiff-param-${param.name}`, component: ParameterField, isEdited: isTextFieldEntryEdited, param });
  }
  return entries;
}

function OperationSelect({ element, id, operations }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const bo = getBusinessObject(element);

  const getValue = () => (getOperator(bo) || {}).id || '';
  const getOptions = () => {
    const current = getValue();
    const options = [{ value: '', label: translate('<none>') }];
    for (const op of operations) options.push({ value: op.name, label: op.description ? `${op.name} \u2013 ${op.description}` : op.name });
    if (current && !findOperation(operations, current)) options.push({ value: current, label: `${current} (${translate('not in catalogue')})` });
    return options;
  };
  const setValue = (name) => {
    const commands = [];
    const operator = getOperator(bo);
    if (!name) {
      if (operator) removeExtension(element, bo, operator, commands);
    } else if (operator) {
      const op = findOperation(operations, name);
      const keep = new Set(op ? (op.params || []).map((p) => p.name) : []);
      const list = operator.get('parameterList');
      commands.push(update(element, operator, { id: name }));
      if (list) commands.push(update(element, list, { parameters: list.get('parameters').filter((p) => keep.has(p.id)) }));
    } else {
      const parameterList = bpmnFactory.create('spiffworkflow:Parameters', { parameters: [] });
      const created = bpmnFactory.create(OPERATOR, { id: name, parameterList });
      parameterList.$parent = created;
      addExtension(element, bo, created, bpmnFactory, commands);
    }
    run(commandStack, commands);
  };
  return SelectEntry({ element, id, label: translate('Operation'), getValue, setValue, getOptions });
}

function ResultVariable({ element, id }) {
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  return TextFieldEntry({
    element, id, debounce,
    label: translate('Result variable'),
    description: translate('Task data variable that receives the operation result'),
    getValue: () => (getOperator(bo) || {}).resultVariable || '',
    setValue: (value) => {
      const operator = getOperator(bo);
      if (operator) run(commandStack, [update(element, operator, { resultVariable: value || undefined })]);
    }
  });
}

function ParameterField({ element, id, param }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  const find = () => getParams(getOperator(bo)).find((p) => p.id === param.name);

  const setValue = (value) => {
    const operator = getOperator(bo);
    if (!operator) return;
    const commands = [];
    let list = operator.get('parameterList');
    const existing = find();
    if (!value) {
      if (existing) commands.push(update(element, list, { parameters: list.get('parameters').filter((p) => p !== existing) }));
    } else if (existing) {
      commands.push(update(element, existing, { value, type: existing.type || param.type }));
    } else {
      const created = bpmnFactory.create('spiffworkflow:Parameter', { id: param.name, type: param.type || 'str', value });
      if (!list) {
        list = bpmnFactory.create('spiffworkflow:Parameters', { parameters: [created] });
        list.$parent = operator;
        created.$parent = list;
        commands.push(update(element, operator, { parameterList: list }));
      } else {
        created.$parent = list;
        commands.push(update(element, list, { parameters: [...list.get('parameters'), created] }));
      }
    }
    run(commandStack, commands);
  };

  const type = param.type || (find() || {}).type || 'any';
  const suffix = param.required ? ` (${type}, ${translate('required')})` : ` (${type})`;
  return TextFieldEntry({
    element, id, debounce,
    label: `${param.name}${suffix}`,
    description: param.undeclared
      ? translate('Not declared by this operation')
      : translate('Python expression; quote literals, e.g. \'abc\''),
    getValue: () => (find() || {}).value || '',
    setValue,
    validate: (value) => (param.required && !value ? translate('Required') : null)
  });
}
