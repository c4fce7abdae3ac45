// Fit the diagram into its container; skipped while the container has no size
// (detached or display:none), where bpmn-js would compute a non-finite zoom.
const MARGIN = 20;

/**
 * Fit the diagram, leaving `inset.left` pixels free on the left (the modeler's tool palette
 * floats there and would otherwise cover the start of the diagram). Never zooms past 100%.
 */
export function fitViewport(diagram, container, inset = { left: 0 }) {
  if (!container.clientWidth || !container.clientHeight) return false;
  const canvas = diagram.get('canvas');
  canvas.zoom('fit-viewport', 'auto');
  const left = inset.left || 0;
  const { inner, outer } = canvas.viewbox();
  if (!left || !inner.width || !inner.height) return true;
  const scale = Math.min(
    1,
    (outer.width - left - 2 * MARGIN) / inner.width,
    (outer.height - 2 * MARGIN) / inner.height
  );
  canvas.viewbox({
    x: inner.x - (left + MARGIN) / scale,
    y: inner.y - MARGIN / scale,
    width: outer.width / scale,
    height: outer.height / scale
  });
  return true;
}

/** Pixels the palette takes from the container's left edge (0 when there is none). */
export function paletteInset(container) {
  const palette = container.querySelector('.djs-palette');
  if (!palette) return 0;
  return Math.max(0, palette.getBoundingClientRect().right - container.getBoundingClientRect().left);
}
