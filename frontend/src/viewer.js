// Read-only viewer bundle: window.RcpViewer
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { moddleExtensions } from './shared/moddle-extensions.js';
import { applyHighlights, clearHighlights, HIGHLIGHT_MARKERS } from './shared/highlights.js';
import { createLegend } from './shared/legend.js';
import { labelDiagram } from './shared/a11y.js';
import { fitViewport } from './shared/fit.js';
import { attachZoom, zoomBy, keyAction } from './shared/zoom.js';

const viewers = new WeakMap();

function resolveContainer(container) {
  const el = typeof container === 'string' ? document.querySelector(container) : container;
  if (!el) throw new Error(`RcpViewer: container not found: ${container}`);
  return el;
}

/**
 * Render BPMN XML read-only into container, fit it and mark run state.
 * Re-rendering into the same container replaces the previous diagram.
 *
 * @param {Element|string} container
 * @param {string} xml
 * @param {{completed?: string[], active?: string[], waiting?: string[], incidents?: string[]}} [highlights]
 * @param {{badges?: boolean}} [options]
 * @return {Promise<{viewer: object, warnings: object[], missing: string[]}>}
 */
async function render(container, xml, highlights = {}, options = {}) {
  const parent = resolveContainer(container);
  const previous = viewers.get(parent);
  if (previous) previous.destroy();
  const viewer = new NavigatedViewer({ container: parent, moddleExtensions, keyboard: { bind: false } });
  viewers.set(parent, viewer);
  const { warnings } = await viewer.importXML(xml);
  fitViewport(viewer, parent);
  const { missing } = applyHighlights(viewer, highlights || {}, options);
  labelDiagram(viewer, parent);
  return { viewer, warnings, missing };
}

/** Fetch XML (same-origin credentials) and render it. */
async function renderFromUrl(container, url, highlights = {}, options = {}) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/xml, text/xml, */*' } });
  if (!response.ok) throw new Error(`RcpViewer: GET ${url} failed with HTTP ${response.status}`);
  return render(container, await response.text(), highlights, options);
}

window.RcpViewer = {
  render,
  renderFromUrl,
  applyHighlights,
  clearHighlights,
  createLegend,
  attachZoom,
  zoomBy,
  keyAction,
  markers: HIGHLIGHT_MARKERS
};
