// Decision table editor bundle: window.RcpDmn (dmn-js's modeler, opened on a decision table).
import DmnModeler from 'dmn-js/lib/Modeler';

const ROW_MARKS = ['rcp-rule-error', 'rcp-rule-warning', 'rcp-rule-hit', 'rcp-rule-changed'];
const KIND_CLASS = { hit: 'rcp-rule-hit', changed: 'rcp-rule-changed' };
const KIND_TITLE = { hit: 'the test bench hit this rule', changed: 'changed since the deployed version' };

function resolve(el) {
  const node = typeof el === 'string' ? document.querySelector(el) : el;
  if (!node) throw new Error(`RcpDmn: container not found: ${el}`);
  return node;
}

/** The decision table views of the file: [{id, name}]. */
function tableViews(modeler) {
  return modeler.getViews().filter((v) => v.type === 'decisionTable')
    .map((v) => ({ id: v.element.id, name: v.element.name || v.element.id, view: v }));
}

/**
 * Open DMN XML in dmn-js's modeler, on the decision table of `decisionId` (else the first one).
 * @return {Promise<object>} handle: {modeler, warnings, tables, decisionId, open(id), saveXML(),
 *   markRules(issues, kind), clearMarks(), destroy()}
 */
async function create(container, xml, options = {}) {
  const parent = resolve(container);
  const modeler = new DmnModeler({ container: parent });
  const { warnings } = await modeler.importXML(xml);
  const marks = new Map(); // `${kind}:${rule id}` -> {ruleId, className, title}
  const apply = () => {
    parent.querySelectorAll(ROW_MARKS.map((c) => `tr.${c}`).join(',')).forEach((row) => {
      row.classList.remove(...ROW_MARKS);
      row.removeAttribute('title');
    });
    for (const mark of marks.values()) {
      const cell = parent.querySelector(`td[data-row-id="${CSS.escape(mark.ruleId)}"]`);
      const row = cell && cell.closest('tr');
      if (!row) continue;
      row.classList.add(mark.className);
      row.title = row.title ? `${row.title}\n${mark.title}` : mark.title;
    }
  };
  // dmn-js re-renders rows on every change: put the marks back after it.
  modeler.on('views.changed', () => setTimeout(apply, 0));
  const handle = {
    modeler,
    warnings,
    tables: () => tableViews(modeler).map(({ id, name }) => ({ id, name })),
    decisionId: () => {
      const active = modeler.getActiveView();
      return active && active.element.id;
    },
    async open(id) {
      const found = tableViews(modeler).find((t) => t.id === id) || tableViews(modeler)[0];
      if (!found) throw new Error('RcpDmn: the file has no decision table');
      await modeler.open(found.view);
      const viewer = modeler.getActiveViewer();
      viewer.get('eventBus').on('elements.changed', () => setTimeout(apply, 0));
      apply();
      return found.id;
    },
    async saveXML() {
      const { xml: out } = await modeler.saveXML({ format: true });
      return out;
    },
    /**
     * Mark the rows of these rules, replacing earlier marks of the same kind: 'issue' (items are
     * server issues {elementId, message, severity}), 'hit' (the bench's rule) or 'changed'.
     */
    markRules(items, kind = 'issue') {
      for (const key of [...marks.keys()]) if (key.startsWith(`${kind}:`)) marks.delete(key);
      for (const item of items) {
        const ruleId = item.elementId || item.ruleId;
        if (!ruleId) continue;
        const className = KIND_CLASS[kind] || `rcp-rule-${item.severity === 'warning' ? 'warning' : 'error'}`;
        marks.set(`${kind}:${ruleId}`, { ruleId, className, title: item.message || KIND_TITLE[kind] });
      }
      apply();
    },
    clearMarks() {
      marks.clear();
      apply();
    },
    destroy: () => modeler.destroy()
  };
  await handle.open(options.decisionId);
  return handle;
}

window.RcpDmn = { create };
