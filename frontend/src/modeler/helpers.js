// Helpers usable with a bpmn-js Modeler (or the handle returned by RcpModeler.create).

const ISSUE_MARKERS = { error: 'rcp-error', warning: 'rcp-warning' };

function unwrap(modeler) {
  return modeler && modeler.modeler ? modeler.modeler : modeler;
}

/** Remove markers/badges added by markErrors. */
export function clearErrors(modeler) {
  const m = unwrap(modeler);
  const canvas = m.get('canvas');
  for (const el of m.get('elementRegistry').getAll()) {
    canvas.removeMarker(el, ISSUE_MARKERS.error);
    canvas.removeMarker(el, ISSUE_MARKERS.warning);
  }
  m.get('overlays').remove({ type: 'rcp-issue' });
}

/**
 * Mark elements with validation issues. Replaces earlier marks.
 * @param {object} modeler
 * @param {Array<{elementId: string, message: string, severity?: 'error'|'warning'}>} issues
 * @return {{marked: string[], unknown: Array<object>}} issues whose element is not in the diagram go to `unknown`
 */
export function markErrors(modeler, issues = []) {
  const m = unwrap(modeler);
  clearErrors(m);
  const registry = m.get('elementRegistry');
  const canvas = m.get('canvas');
  const overlays = m.get('overlays');
  const byElement = new Map();
  const unknown = [];
  for (const issue of issues) {
    const element = issue.elementId && registry.get(issue.elementId);
    if (!element) {
      unknown.push(issue);
      continue;
    }
    if (!byElement.has(element)) byElement.set(element, []);
    byElement.get(element).push(issue);
  }
  for (const [element, list] of byElement) {
    const severity = list.some((i) => (i.severity || 'error') === 'error') ? 'error' : 'warning';
    canvas.addMarker(element, ISSUE_MARKERS[severity]);
    if (element.waypoints) continue;
    const text = list.map((i) => `${i.severity || 'error'}: ${i.message}`).join('\n');
    const badge = document.createElement('span');
    badge.className = `rcp-issue-badge rcp-issue-${severity}`;
    badge.textContent = severity === 'error' ? '!' : '?';
    badge.title = text;
    badge.setAttribute('role', 'img');
    badge.setAttribute('aria-label', `${element.businessObject.name || element.id}: ${text}`);
    overlays.add(element, 'rcp-issue', { position: { top: -10, left: -10 }, html: badge });
  }
  return { marked: [...byElement.keys()].map((e) => e.id), unknown };
}

/** Select an element and scroll it into view. Returns false if the id is unknown. */
export function selectElement(modeler, id) {
  const m = unwrap(modeler);
  const element = m.get('elementRegistry').get(id);
  if (!element) return false;
  m.get('selection').select(element);
  if (!element.waypoints) m.get('canvas').scrollToElement(element);
  return true;
}

/** @return {Promise<string>} formatted BPMN XML */
export async function saveXML(modeler) {
  const { xml } = await unwrap(modeler).saveXML({ format: true });
  return xml;
}

/** @return {Promise<string>} SVG markup */
export async function saveSVG(modeler) {
  const { svg } = await unwrap(modeler).saveSVG();
  return svg;
}
