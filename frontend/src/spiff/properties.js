// spiffworkflow:properties > spiffworkflow:property name/value helpers.
import { addExtension, getExtension, removeExtension, run, update } from './extensions.js';

const CONTAINER = 'spiffworkflow:Properties';

export function getProperty(bo, name) {
  const container = getExtension(bo, CONTAINER);
  const prop = container && container.get('properties').find((p) => p.name === name);
  return prop ? prop.value : undefined;
}

/** Set (or remove, when empty) a named spiffworkflow:property. */
export function setProperty(element, bo, name, value, { bpmnFactory, commandStack }) {
  const commands = [];
  let container = getExtension(bo, CONTAINER);
  const props = container ? container.get('properties') : [];
  const existing = props.find((p) => p.name === name);
  if (!value) {
    if (existing) {
      const rest = props.filter((p) => p !== existing);
      if (rest.length) commands.push(update(element, container, { properties: rest }));
      else removeExtension(element, bo, container, commands);
    }
  } else if (existing) {
    commands.push(update(element, existing, { value }));
  } else {
    const prop = bpmnFactory.create('spiffworkflow:Property', { name, value });
    if (!container) {
      container = bpmnFactory.create(CONTAINER, { properties: [prop] });
      prop.$parent = container;
      addExtension(element, bo, container, bpmnFactory, commands);
    } else {
      prop.$parent = container;
      commands.push(update(element, container, { properties: [...props, prop] }));
    }
  }
  run(commandStack, commands);
}
