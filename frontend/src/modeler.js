// Modeler bundle: window.RcpModeler
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import { moddleExtensions } from './shared/moddle-extensions.js';
import SpiffPropertiesModule from './spiff/index.js';
import LintModule from 'bpmn-js-bpmnlint';
import bpmnlintConfig from 'virtual:rcp-bpmnlint';
import { blankDiagram } from './modeler/blank.js';
import { clearErrors, markErrors, saveSVG, saveXML, selectElement } from './modeler/helpers.js';
import { normalizeTimerExpression } from './spiff/timer-expression.js';
import { labelDiagram } from './shared/a11y.js';
import { fitViewport, paletteInset } from './shared/fit.js';
import { attachServerIssues } from './modeler/server-issues.js';

// The properties panel subscribes to selection events in preact effects (after paint):
// wait for them so selectElement() right after create() updates the panel.
function afterPaint() {
  return new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
}

/** Run the bundled bpmnlint rules; returns [{elementId, message, severity, rule}]. */
async function lintIssues(modeler) {
  const results = await modeler.get('linting').lint();
  const issues = [];
  for (const [rule, reports] of Object.entries(results)) {
    for (const r of reports) {
      issues.push({ elementId: r.id, message: r.message, severity: r.category === 'error' ? 'error' : 'warning', rule });
    }
  }
  return issues;
}

function resolve(el, what) {
  const node = typeof el === 'string' ? document.querySelector(el) : el;
  if (!node) throw new Error(`RcpModeler: ${what} not found: ${el}`);
  return node;
}

/**
 * Create a modeler with the properties panel and the Spiff group.
 *
 * @param {Element|string} container canvas container
 * @param {Element|string} propertiesContainer properties panel container
 * @param {{xml?: string, operations?: Array<{name: string, description?: string, params?: Array<{name: string, type?: string, required?: boolean}>}>, forms?: string[], lint?: boolean}} [options]
 *   lint: show live bpmnlint results (rules of the repository .bpmnlintrc, bundled at build time); default true
 * @return {Promise<object>} handle: {modeler, warnings, saveXML(), saveSVG(), markErrors(issues), clearErrors(),
 *   selectElement(id), lint(), fit(), setServerIssues(issues), setOptions({operations, forms}), destroy()}
 */
async function create(container, propertiesContainer, options = {}) {
  const { xml, operations = [], forms = [], lint = true } = options;
  const canvasParent = resolve(container, 'container');
  const modeler = new Modeler({
    container: canvasParent,
    propertiesPanel: {
      parent: resolve(propertiesContainer, 'properties container'),
      layout: { groups: { spiff: { open: true }, general: { open: true } } }
    },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, SpiffPropertiesModule, LintModule],
    linting: { bpmnlint: bpmnlintConfig, active: !!lint },
    moddleExtensions,
    rcpSpiff: { operations, forms }
  });
  const { warnings } = await modeler.importXML(xml || blankDiagram());
  // The palette floats over the canvas's left edge: keep the diagram's start clear of it.
  const fit = () => fitViewport(modeler, canvasParent, { left: paletteInset(canvasParent) });
  fit();
  const setServerIssues = attachServerIssues(modeler);
  labelDiagram(modeler, canvasParent, 'BPMN diagram editor');
  await afterPaint();
  return {
    modeler,
    warnings,
    saveXML: () => saveXML(modeler),
    saveSVG: () => saveSVG(modeler),
    markErrors: (issues) => markErrors(modeler, issues),
    clearErrors: () => clearErrors(modeler),
    selectElement: (id) => selectElement(modeler, id),
    lint: () => lintIssues(modeler),
    fit,
    setServerIssues,
    setOptions: (opts) => {
      modeler.get('spiffPropertiesProvider').setOptions(opts);
      modeler.get('eventBus').fire('propertiesPanel.providersChanged'); // re-render the panel
    },
    destroy: () => modeler.destroy()
  };
}

window.RcpModeler = {
  create,
  markErrors,
  clearErrors,
  selectElement,
  saveXML,
  saveSVG,
  blankDiagram,
  lint: lintIssues,
  normalizeTimerExpression
};
