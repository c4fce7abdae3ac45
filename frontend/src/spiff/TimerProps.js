// Timer events: bpmn:timeDuration / timeDate / timeCycle body as a Spiff (Python) expression.
import { SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is, run, update } from './extensions.js';
import { normalizeTimerExpression, TIMER_KINDS } from './timer-expression.js';

export function getTimerDefinition(element) {
  const bo = getBusinessObject(element);
  return is(bo, 'bpmn:Event') ? (bo.get('eventDefinitions') || []).find((d) => is(d, 'bpmn:TimerEventDefinition')) : undefined;
}

function currentKind(definition) {
  return TIMER_KINDS.find((k) => definition.get(k)) || 'timeDuration';
}

export function TimerProps({ element }) {
  const definition = getTimerDefinition(element);
  if (!definition) return [];
  return [
    { id: 'spiff-timer-kind', component: TimerKind, isEdited: isSelectEntryEdited, definition },
    { id: 'spiff-timer-expression', component: TimerExpression, isEdited: isTextFieldEntryEdited, definition }
  ];
}

function TimerKind({ element, id, definition }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const labels = { timeDuration: 'Duration', timeDate: 'Date', timeCycle: 'Cycle' };
  const setValue = (kind) => {
    const old = currentKind(definition);
    if (kind === old) return;
    const body = definition.get(old) ? definition.get(old).body : undefined;
    const props = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
    props[kind] = bpmnFactory.create('bpmn:FormalExpression', { body });
    props[kind].$parent = definition;
    run(commandStack, [update(element, definition, props)]);
  };
  return SelectEntry({
    element, id, label: translate('Timer type'),
    getValue: () => currentKind(definition),
    setValue,
    getOptions: () => TIMER_KINDS.map((k) => ({ value: k, label: translate(labels[k]) }))
  });
}

function TimerExpression({ element, id, definition }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const setValue = (value) => {
    const kind = currentKind(definition);
    const body = normalizeTimerExpression(value);
    const existing = definition.get(kind);
    if (!body) return run(commandStack, [update(element, definition, { [kind]: undefined })]);
    if (existing) return run(commandStack, [update(element, existing, { body })]);
    const expr = bpmnFactory.create('bpmn:FormalExpression', { body });
    expr.$parent = definition;
    run(commandStack, [update(element, definition, { [kind]: expr })]);
  };
  return TextFieldEntry({
    element, id, debounce,
    label: translate('Timer expression'),
    description: translate('Python expression. ISO 8601 literals such as P15D are stored quoted ("P15D").'),
    getValue: () => {
      const expr = definition.get(currentKind(definition));
      return (expr && expr.body) || '';
    },
    setValue
  });
}
