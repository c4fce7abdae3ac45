// Give the rendered diagram an accessible name.

export function labelDiagram(diagram, container, fallback = 'BPMN diagram') {
  const definitions = diagram.getDefinitions && diagram.getDefinitions();
  const roots = (definitions && definitions.rootElements) || [];
  const named = roots.find(r => (r.$type === 'bpmn:Process' || r.$type === 'bpmn:Collaboration') && r.name);
  const label = named ? `${fallback}: ${named.name}` : fallback;
  const svg = container.querySelector('svg');
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  }
  return label;
}
