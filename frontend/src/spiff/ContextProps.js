// User task decision context: spiffworkflow:property decisionContext, one entry per line here,
// stored as entries joined by "; " ("[notice|message|decision|documents] path[: Label]", see docs/modeler.md).
import { TextAreaEntry, isTextAreaEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from './extensions.js';
import { getProperty, setProperty } from './properties.js';

export const CONTEXT_PROPERTY = 'decisionContext';
// One entry, as the server checks it at deploy (service.engine.values.parse_context).
const ENTRY = /^(?:(?:notice|message|decision|documents|value)\s+)?[A-Za-z_]\w*(?:\.\w+)*\s*(?::.*)?$/;

export function ContextProps({ element }) {
  if (!is(element, 'bpmn:UserTask')) return [];
  return [{ id: 'spiff-decision-context', component: ContextArea, isEdited: isTextAreaEntryEdited }];
}

/** Return the declaration's entries, one a line, as the panel shows them. */
export function contextLines(value) {
  return (value || '').split(';').map((e) => e.trim()).filter(Boolean).join('\n');
}

/** Return the lines that are not "[notice|message|decision|documents] path[: Label]". */
export function badLines(text) {
  return (text || '').split('\n').map((e) => e.trim()).filter((e) => e && !ENTRY.test(e));
}

/** Return the stored declaration of the panel's lines (empty lines dropped). */
export function contextValue(text) {
  return (text || '').split(/[\n;]/).map((e) => e.trim()).filter(Boolean).join('; ');
}

function ContextArea({ element, id }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  return TextAreaEntry({
    element, id, debounce, monospace: true, rows: 4,
    label: translate('Decision context'),
    description: translate('Shown read-only beside the form, one a line: a case value (path: Label), "notice path", "message name", "decision task_id" or "documents path" (the case documents a value names).'),
    validate: (text) => {
      const bad = badLines(text);
      return bad.length ? `${translate('Not [notice|message|decision|documents] path[: Label]')}: ${bad[0]}` : null;
    },
    getValue: () => contextLines(getProperty(bo, CONTEXT_PROPERTY)),
    // Like every entry of the panel, a marked text is still stored: Validate and deploy refuse it.
    setValue: (text) => setProperty(element, bo, CONTEXT_PROPERTY, contextValue(text), { bpmnFactory, commandStack })
  });
}
