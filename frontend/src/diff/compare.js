// Compare two bpmn-moddle definitions. Semantic changes come from our own deep comparison
// (ids, names, types, attributes, extension elements, event definitions, scripts, conditions,
// documentation): bpmn-js-differ 3.2 ignores extension elements and reports spurious
// documentation changes. bpmn-js-differ is used for layout (DI) changes only.
import { ChangeHandler, diff } from 'bpmn-js-differ';

class SafeChangeHandler extends ChangeHandler {
  _computeChangeId(element) {
    return element && element.id ? element.id : '__unresolved__';
  }
}

// structural children compared through their own ids, not as part of the parent
const SKIP = new Set(['flowElements', 'laneSets', 'artifacts', 'incoming', 'outgoing', 'di', 'rootElements', 'diagrams', 'participants', 'messageFlows', 'lanes', 'childLaneSet', 'flowNodeRef']);

function describe(value, depth = 0) {
  if (depth > 25) return '\u2026';
  if (Array.isArray(value)) return value.map((v) => describe(v, depth + 1));
  if (!value || typeof value !== 'object' || !value.$descriptor) return value;
  const out = { $type: value.$type };
  for (const p of value.$descriptor.properties) {
    if (SKIP.has(p.name)) continue;
    const v = value.get(p.name);
    if (v === undefined || v === null || (Array.isArray(v) && !v.length)) continue;
    if (p.isReference) out[p.name] = Array.isArray(v) ? v.map((r) => r && r.id) : v.id;
    else out[p.name] = describe(v, depth + 1);
  }
  const attrs = value.$attrs || {};
  for (const key of Object.keys(attrs).sort()) if (!key.startsWith('xmlns')) out[`@${key}`] = attrs[key];
  return out;
}

const TRACKED = ['bpmn:FlowElement', 'bpmn:Lane', 'bpmn:Participant', 'bpmn:MessageFlow', 'bpmn:Artifact'];

function isTracked(el) {
  if (TRACKED.some((t) => el.$instanceOf(t))) return true;
  // global root elements (process, collaboration, message, signal, ...), not nested event definitions
  return el.$instanceOf('bpmn:RootElement') && el.$parent && el.$parent.$instanceOf('bpmn:Definitions');
}

/** Every diagram-level semantic element with an id (not DI, not nested definitions). */
export function semanticElements(definitions) {
  const byId = new Map();
  const visit = (el) => {
    if (!el || typeof el !== 'object' || !el.$descriptor) return;
    if (el.$instanceOf('bpmndi:BPMNDiagram')) return;
    if (el.id && isTracked(el)) byId.set(el.id, el);
    for (const p of el.$descriptor.properties) {
      if (p.isReference || p.isAttr) continue;
      const v = el.get(p.name);
      (Array.isArray(v) ? v : [v]).forEach(visit);
    }
  };
  visit(definitions);
  return byId;
}

function changedKeys(a, b) {
  const da = describe(a), db = describe(b);
  const keys = new Set([...Object.keys(da), ...Object.keys(db)]);
  return [...keys].filter((k) => JSON.stringify(da[k]) !== JSON.stringify(db[k]));
}

/**
 * @return {Array<{id: string, kind: 'added'|'removed'|'changed'|'layout', type: string, name?: string, properties?: string[]}>}
 */
export function compareDefinitions(defsA, defsB) {
  const result = diff(defsA, defsB, new SafeChangeHandler());
  const a = semanticElements(defsA);
  const b = semanticElements(defsB);
  const changes = [];
  const info = (el) => ({ type: el.$type, name: el.name || undefined });
  for (const [id, el] of b) if (!a.has(id)) changes.push({ id, kind: 'added', ...info(el) });
  for (const [id, el] of a) if (!b.has(id)) changes.push({ id, kind: 'removed', ...info(el) });
  for (const [id, el] of b) {
    if (!a.has(id)) continue;
    const keys = changedKeys(a.get(id), el);
    if (keys.length) changes.push({ id, kind: 'changed', ...info(el), properties: keys });
  }
  const seen = new Set(changes.map((c) => c.id));
  for (const id of Object.keys(result._layoutChanged)) {
    if (id !== '__unresolved__' && !seen.has(id) && b.has(id)) changes.push({ id, kind: 'layout', ...info(b.get(id)) });
  }
  return changes;
}
