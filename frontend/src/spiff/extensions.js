// Helpers to read and (undoably) edit bpmn:extensionElements content.
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

export { getBusinessObject, is };

export const MULTI_COMMAND = 'properties-panel.multi-command-executor';

export function update(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

export function run(commandStack, commands) {
  if (commands.length) commandStack.execute(MULTI_COMMAND, commands);
}

export function getExtensions(bo, type) {
  const ext = bo && bo.get('extensionElements');
  return ext ? ext.get('values').filter((v) => v.$instanceOf(type)) : [];
}

export function getExtension(bo, type) {
  return getExtensions(bo, type)[0];
}

/** Return bo's extensionElements, queueing a command to create it if missing. */
export function ensureExtensionElements(element, bo, bpmnFactory, commands) {
  let ext = bo.get('extensionElements');
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    commands.push(update(element, bo, { extensionElements: ext }));
  }
  return ext;
}

/** Queue commands adding `child` to bo's extension values. */
export function addExtension(element, bo, child, bpmnFactory, commands) {
  const ext = ensureExtensionElements(element, bo, bpmnFactory, commands);
  child.$parent = ext;
  commands.push(update(element, ext, { values: [...ext.get('values'), child] }));
}

/** Queue commands removing `child` from bo's extension values (and the container when empty). */
export function removeExtension(element, bo, child, commands) {
  const ext = bo.get('extensionElements');
  if (!ext) return;
  const values = ext.get('values').filter((v) => v !== child);
  commands.push(values.length ? update(element, ext, { values }) : update(element, bo, { extensionElements: undefined }));
}

/** Read the body text of a single-valued body extension, e.g. spiffworkflow:InstructionsForEndUser. */
export function getBody(bo, type) {
  const ext = getExtension(bo, type);
  return ext ? ext.get('value') : undefined;
}

/** Set (or remove, when empty) a body extension such as spiffworkflow:PreScript. */
export function setBody(element, bo, type, value, { bpmnFactory, commandStack }) {
  const commands = [];
  const existing = getExtension(bo, type);
  if (value === undefined || value === null || value === '') {
    if (existing) removeExtension(element, bo, existing, commands);
  } else if (existing) {
    commands.push(update(element, existing, { value }));
  } else {
    addExtension(element, bo, bpmnFactory.create(type, { value }), bpmnFactory, commands);
  }
  run(commandStack, commands);
}

/** Walk up to bpmn:Definitions. */
export function getDefinitions(bo) {
  let node = bo;
  while (node && !is(node, 'bpmn:Definitions')) node = node.$parent;
  return node;
}
