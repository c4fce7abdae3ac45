// Shared bpmn-moddle helpers for the CLI scripts (Node, ESM).
import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';

const descriptorUrl = new URL('../../moddle/spiffworkflow.json', import.meta.url);

export const spiffDescriptor = JSON.parse(readFileSync(descriptorUrl, 'utf8'));

export function createModdle() {
  return new BpmnModdle({ spiffworkflow: spiffDescriptor });
}

/** Map element id -> first line (1-based) where `id="..."` occurs. */
export function lineIndex(xml) {
  const index = new Map();
  const lines = xml.split(/\r?\n/);
  const re = /\bid="([^"]+)"/g;
  lines.forEach((text, i) => {
    for (const m of text.matchAll(re)) {
      if (!index.has(m[1])) index.set(m[1], i + 1);
    }
  });
  return index;
}

function warningLine(warning, lines) {
  // moddle-xml (saxen) reports 0-based line numbers
  const m = /line: (\d+)/.exec(warning.message || '');
  if (m) return Number(m[1]) + 1;
  const id = warning.element && warning.element.id;
  return id ? lines.get(id) : undefined;
}

/**
 * Innermost open BPMN element (bpmn:* with an id) at the start of `line`:
 * used to name an element for warnings that moddle reports by line only.
 */
export function enclosingElementId(xml, line) {
  if (!line) return null;
  const lines = xml.split(/\r?\n/);
  const head = lines.slice(0, line - 1).join('\n') + '\n' + (lines[line - 1] || '').split('<').slice(0, 2).join('<');
  const stack = [];
  const tagRe = /<(\/?)([\w.-]+:)?([\w.-]+)([^>]*?)(\/?)>/g;
  for (const m of head.matchAll(tagRe)) {
    const [, closing, prefix = '', , attrs, selfClosing] = m;
    if (closing) { stack.pop(); continue; }
    if (selfClosing) continue;
    const id = /\bid="([^"]+)"/.exec(attrs);
    stack.push(prefix === 'bpmn:' && id ? id[1] : null);
  }
  // the last pushed may be the element on `line` itself when it is unparsable
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]) return stack[i];
  return null;
}

/** Normalise a moddle import warning to {elementId, line, message}. */
export function describeWarning(warning, lines, xml) {
  const element = warning.element;
  const line = warningLine(warning, lines) ?? null;
  return {
    elementId: (element && element.id) || (xml ? enclosingElementId(xml, line) : null),
    elementType: (element && element.$type) || null,
    line,
    message: String(warning.message || warning).split('\n')[0]
  };
}

/**
 * Parse XML into moddle. Never throws: returns {root, warnings, error}.
 * warnings/error are normalised with element id and line.
 */
export async function importXML(xml, moddle = createModdle()) {
  const lines = lineIndex(xml);
  try {
    const { rootElement, warnings = [] } = await moddle.fromXML(xml, 'bpmn:Definitions');
    return { root: rootElement, warnings: warnings.map(w => describeWarning(w, lines, xml)), error: null, lines, moddle };
  } catch (err) {
    const warnings = (err.warnings || []).map(w => describeWarning(w, lines, xml));
    return { root: null, warnings, error: describeWarning(err, lines, xml), lines, moddle };
  }
}
