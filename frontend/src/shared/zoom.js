// Zoom and pan a rendered diagram from buttons and the keyboard (+, -, 0 and the arrow keys
// while the diagram has the focus). Mouse wheel and drag come with bpmn-js's NavigatedViewer.
import { fitViewport } from './fit.js';

export const ZOOM_STEP = 1.25;
export const PAN_STEP = 60;
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 4;

/** Multiply the canvas zoom by factor around the viewport's centre, within sensible bounds. */
export function zoomBy(diagram, factor) {
  const canvas = diagram.get('canvas');
  const box = canvas.viewbox();
  const level = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, canvas.zoom() * factor));
  canvas.zoom(level, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  return canvas.zoom();
}

/** Map a key to what it does to the diagram, or null when the key is not ours. */
export function keyAction(key) {
  const pans = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
  if (key === '+' || key === '=') return { zoom: ZOOM_STEP };
  if (key === '-' || key === '_') return { zoom: 1 / ZOOM_STEP };
  if (key === '0') return { fit: true };
  if (pans[key]) return { pan: pans[key] };
  return null;
}

function apply(diagram, container, action) {
  if (action.zoom) zoomBy(diagram, action.zoom);
  else if (action.fit) fitViewport(diagram, container);
  else if (action.pan) diagram.get('canvas').scroll({ dx: action.pan[0], dy: action.pan[1] });
  container.setAttribute('data-zoom', diagram.get('canvas').zoom().toFixed(3));
}

/**
 * Wire the zoom buttons in toolbar (data-zoom="in|out|fit") and the keyboard on container.
 * The container becomes focusable, and says which keys it takes.
 */
export function attachZoom(diagram, container, toolbar) {
  const actions = { in: { zoom: ZOOM_STEP }, out: { zoom: 1 / ZOOM_STEP }, fit: { fit: true } };
  if (toolbar) {
    toolbar.querySelectorAll('button[data-zoom]').forEach((button) => {
      button.addEventListener('click', () => apply(diagram, container, actions[button.getAttribute('data-zoom')]));
    });
    toolbar.hidden = false;
  }
  container.tabIndex = 0;
  container.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const action = keyAction(event.key);
    if (!action) return;
    event.preventDefault();
    apply(diagram, container, action);
  });
  container.setAttribute('data-zoom', diagram.get('canvas').zoom().toFixed(3));
}
