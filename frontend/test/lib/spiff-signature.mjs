// Extract every spiffworkflow element/attribute of a BPMN document as comparable strings,
// independent of prefixes, formatting and entity encoding.
import { Parser } from 'saxen';

export const SPIFF_NS = 'http://spiffworkflow.org/bpmn/schema/1.0/core';
const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export function spiffSignature(xml) {
  const parser = new Parser({ proxy: true });
  parser.ns({ [SPIFF_NS]: 'spiffworkflow', [BPMN_NS]: 'bpmn' });
  const stack = [];
  const out = [];
  let error = null;
  parser.on('error', (err) => { error = err; });
  parser.on('openTag', (el, decode) => {
    const attrs = Object.fromEntries(Object.entries(el.attrs).filter(([k]) => !k.startsWith('xmlns')).map(([k, v]) => [k, decode(v)]));
    const owner = [...stack].reverse().find((s) => s.name.startsWith('bpmn:') && s.attrs.id);
    const node = { name: el.name, attrs, text: '', owner: el.name.startsWith('bpmn:') && attrs.id ? attrs.id : owner && owner.attrs.id };
    node.path = stack.length ? `${stack[stack.length - 1].path}/${el.name}` : el.name;
    stack.push(node);
    for (const [key, value] of Object.entries(attrs)) {
      if (key.startsWith('spiffworkflow:')) out.push(`${node.owner}|${el.name}@${key}=${value}`);
    }
  });
  parser.on('text', (text, decode) => {
    if (stack.length) stack[stack.length - 1].text += decode(text);
  });
  parser.on('cdata', (text) => {
    if (stack.length) stack[stack.length - 1].text += text;
  });
  parser.on('closeTag', () => {
    const node = stack.pop();
    if (!node.name.startsWith('spiffworkflow:')) return;
    const relPath = node.path.split('/').slice(-1 - node.path.split('/').reverse().findIndex((n) => !n.startsWith('spiffworkflow:') && n !== 'bpmn:extensionElements'));
    const attrs = Object.keys(node.attrs).sort().map((k) => `${k}=${node.attrs[k]}`).join(',');
    out.push(`${node.owner}|${relPath.join('/')}[${attrs}]${node.text.trim() ? ' ' + node.text.trim() : ''}`);
  });
  parser.parse(xml);
  if (error) throw error;
  return out.sort();
}

/** Multiset difference a - b. */
export function missingFrom(a, b) {
  const counts = new Map();
  for (const s of b) counts.set(s, (counts.get(s) || 0) + 1);
  const missing = [];
  for (const s of a) {
    const n = counts.get(s) || 0;
    if (n) counts.set(s, n - 1);
    else missing.push(s);
  }
  return missing;
}
