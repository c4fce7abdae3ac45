// Body-text extensions: instructions for the end user, pre-/post-scripts, documentation.
import { TextAreaEntry, isTextAreaEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBody, getBusinessObject, is, run, setBody, update } from './extensions.js';

const HUMAN_TASKS = ['bpmn:UserTask', 'bpmn:ManualTask'];

export function InstructionsProps({ element }) {
  if (!HUMAN_TASKS.some((t) => is(element, t))) return [];
  return [{
    id: 'spiff-instructions', component: BodyArea, isEdited: isTextAreaEntryEdited,
    type: 'spiffworkflow:InstructionsForEndUser', label: 'Instructions (Markdown/Jinja)'
  }];
}

export function ScriptProps({ element }) {
  if (!is(element, 'bpmn:Activity')) return [];
  return [
    { id: 'spiff-pre-script', component: BodyArea, isEdited: isTextAreaEntryEdited, type: 'spiffworkflow:PreScript', label: 'Pre-script (Python)' },
    { id: 'spiff-post-script', component: BodyArea, isEdited: isTextAreaEntryEdited, type: 'spiffworkflow:PostScript', label: 'Post-script (Python)' }
  ];
}

function BodyArea({ element, id, type, label }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  return TextAreaEntry({
    element, id, debounce, monospace: /script/i.test(type),
    label: translate(label),
    getValue: () => getBody(bo, type) || '',
    setValue: (value) => setBody(element, bo, type, value, { bpmnFactory, commandStack })
  });
}

export function DocumentationProps({ element }) {
  return [{ id: 'spiff-documentation', component: DocumentationArea, isEdited: isTextAreaEntryEdited }];
}

function DocumentationArea({ element, id }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const bo = getBusinessObject(element);
  const find = () => (bo.get('documentation') || []).find((d) => (d.textFormat || 'text/plain') === 'text/plain');
  const setValue = (value) => {
    const docs = bo.get('documentation');
    const existing = find();
    if (existing && value) return run(commandStack, [update(element, existing, { text: value })]);
    if (existing) return run(commandStack, [update(element, bo, { documentation: docs.filter((d) => d !== existing) })]);
    if (!value) return;
    const doc = bpmnFactory.create('bpmn:Documentation', { text: value });
    doc.$parent = bo;
    run(commandStack, [update(element, bo, { documentation: [...docs, doc] })]);
  };
  return TextAreaEntry({
    element, id, debounce,
    label: translate('Documentation'),
    getValue: () => (find() || {}).text || '',
    setValue
  });
}
