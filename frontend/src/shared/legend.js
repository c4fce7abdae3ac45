// A small legend explaining the run-state markers (uses the .rcp-legend styles).

const ITEMS = [
  ['rcp-completed', 'Completed', 'solid outline, \u2713'],
  ['rcp-active', 'Active', 'thick outline, \u25B6'],
  ['rcp-waiting', 'Waiting', 'dashed outline, \u2026'],
  ['rcp-incident', 'Incident', 'dotted thick outline, !']
];

/** Create (and optionally append) a legend element. */
export function createLegend(parent) {
  const list = document.createElement('ul');
  list.className = 'rcp-legend';
  list.setAttribute('aria-label', 'Diagram legend');
  for (const [marker, label, cue] of ITEMS) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `rcp-legend-swatch ${marker}`;
    swatch.setAttribute('aria-hidden', 'true');
    const text = document.createElement('span');
    text.textContent = label;
    text.title = cue;
    item.append(swatch, text);
    list.append(item);
  }
  if (parent) parent.append(list);
  return list;
}
