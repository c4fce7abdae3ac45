// Apply run-state markers (completed/active/waiting/incidents) to a bpmn-js canvas.

export const HIGHLIGHT_MARKERS = {
  completed: 'rcp-completed',
  active: 'rcp-active',
  waiting: 'rcp-waiting',
  incidents: 'rcp-incident'
};

const LABELS = {
  completed: 'completed',
  active: 'active',
  waiting: 'waiting',
  incidents: 'incident'
};

// Short text cue shown next to an element so state is readable without colour.
const BADGES = { completed: '\u2713', active: '\u25B6', waiting: '\u2026', incidents: '!' };

/**
 * @param {object} diagram bpmn-js instance
 * @param {{completed?: string[], active?: string[], waiting?: string[], incidents?: string[]}} highlights
 * @param {{badges?: boolean}} [options]
 * @return {{applied: string[], missing: string[]}}
 */
export function applyHighlights(diagram, highlights = {}, options = {}) {
  const canvas = diagram.get('canvas');
  const registry = diagram.get('elementRegistry');
  const overlays = options.badges === false ? null : diagram.get('overlays');
  const applied = [];
  const missing = [];
  for (const [key, marker] of Object.entries(HIGHLIGHT_MARKERS)) {
    for (const id of highlights[key] || []) {
      const element = registry.get(id);
      if (!element) {
        missing.push(id);
        continue;
      }
      canvas.addMarker(element, marker);
      applied.push(id);
      if (overlays && !element.waypoints) {
        const badge = document.createElement('span');
        badge.className = `rcp-badge rcp-badge-${LABELS[key]}`;
        badge.textContent = BADGES[key];
        badge.setAttribute('role', 'img');
        badge.setAttribute('aria-label', `${element.businessObject.name || id}: ${LABELS[key]}`);
        badge.title = LABELS[key];
        overlays.add(element, 'rcp-state', { position: { top: -10, right: 10 }, html: badge });
      }
    }
  }
  return { applied, missing };
}

/** Remove every run-state marker and badge. */
export function clearHighlights(diagram) {
  const canvas = diagram.get('canvas');
  for (const element of diagram.get('elementRegistry').getAll()) {
    for (const marker of Object.values(HIGHLIGHT_MARKERS)) canvas.removeMarker(element, marker);
  }
  diagram.get('overlays').remove({ type: 'rcp-state' });
}
