// Fit the diagram into its container; skipped while the container has no size
// (detached or display:none), where bpmn-js would compute a non-finite zoom.
export function fitViewport(diagram, container) {
  if (!container.clientWidth || !container.clientHeight) return false;
  diagram.get('canvas').zoom('fit-viewport', 'auto');
  return true;
}
