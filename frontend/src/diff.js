// Version diff bundle: window.RcpDiff
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { moddleExtensions } from './shared/moddle-extensions.js';
import { compareDefinitions } from './diff/compare.js';
import { labelDiagram } from './shared/a11y.js';
import { fitViewport } from './shared/fit.js';
import { attachZoom } from './shared/zoom.js';

const MARKERS = { added: 'rcp-diff-added', removed: 'rcp-diff-removed', changed: 'rcp-diff-changed', layout: 'rcp-diff-layout' };
const viewers = new WeakMap();

function container(el) {
  const node = typeof el === 'string' ? document.querySelector(el) : el;
  if (!node) throw new Error(`RcpDiff: container not found: ${el}`);
  return node;
}

async function open(parent, xml, label) {
  const previous = viewers.get(parent);
  if (previous) previous.destroy();
  const viewer = new NavigatedViewer({ container: parent, moddleExtensions });
  viewers.set(parent, viewer);
  await viewer.importXML(xml);
  fitViewport(viewer, parent);
  labelDiagram(viewer, parent, label);
  return viewer;
}

function mark(viewer, change) {
  const element = viewer.get('elementRegistry').get(change.id);
  if (!element) return;
  viewer.get('canvas').addMarker(element, MARKERS[change.kind]);
  if (element.waypoints) return;
  const badge = document.createElement('span');
  badge.className = `rcp-diff-badge rcp-diff-badge-${change.kind}`;
  badge.textContent = change.kind;
  badge.title = change.properties ? `${change.kind}: ${change.properties.join(', ')}` : change.kind;
  viewer.get('overlays').add(element, 'rcp-diff', { position: { top: -18, left: 0 }, html: badge });
}

function syncViewboxes(a, b) {
  let busy = false;
  const follow = (from, to) => from.get('eventBus').on('canvas.viewbox.changed', ({ viewbox }) => {
    if (busy) return;
    busy = true;
    to.get('canvas').viewbox(viewbox);
    busy = false;
  });
  follow(a, b);
  follow(b, a);
}

/**
 * Render old (A) and new (B) versions side by side and colour the differences.
 * options.toolbar: an element holding buttons data-zoom="in|out|fit" that zoom both diagrams.
 * @return {Promise<{changes: Array<{id, kind, type, name, properties?}>, viewerA, viewerB}>}
 */
async function render(containerA, containerB, xmlA, xmlB, options = {}) {
  const viewerA = await open(container(containerA), xmlA, 'Previous version');
  const viewerB = await open(container(containerB), xmlB, 'New version');
  const changes = compareDefinitions(viewerA.getDefinitions(), viewerB.getDefinitions());
  for (const change of changes) mark(change.kind === 'removed' ? viewerA : viewerB, change);
  for (const change of changes) if (change.kind === 'changed' || change.kind === 'layout') mark(viewerA, change);
  if (options.syncViewports !== false) syncViewboxes(viewerA, viewerB);
  // One toolbar zooms both: the viewboxes follow each other (ctrl + wheel zooms as well).
  if (options.toolbar) {
    attachZoom(viewerB, container(containerB), container(options.toolbar));
    attachZoom(viewerA, container(containerA), null);
  }
  return { changes, viewerA, viewerB };
}

window.RcpDiff = { render, compareDefinitions, markers: MARKERS };
