// The lint badge (bpmn-js-bpmnlint's button) counts the server's issues too: a diagram the
// server refused must not show "No Issues" beside the refusal. Server issues stay counted until
// the next validation or deployment answer replaces them; an issue both report counts once.

const CATEGORY = { error: 'error', warning: 'warn', info: 'info' };

/** Count local lint issues ({id: [{category, message}]}) and server issues together, once each. */
export function countIssues(local = {}, server = []) {
  const seen = new Set();
  const counts = { errors: 0, warnings: 0, infos: 0 };
  const add = (id, category, message) => {
    const key = `${id || ''}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (category === 'error') counts.errors++;
    else if (category === 'warn') counts.warnings++;
    else if (category === 'info') counts.infos++;
  };
  for (const [id, list] of Object.entries(local)) for (const i of list) add(id, i.category, i.message);
  for (const i of server) add(i.elementId, CATEGORY[i.severity || 'error'] || 'error', i.message);
  return counts;
}

/** Make the linting button count `server` issues as well; returns a setter for new server issues. */
export function attachServerIssues(modeler) {
  const linting = modeler.get('linting');
  let server = [];
  linting._updateButton = function updateButton() {
    this._setButtonState(countIssues(this._issues, server));
    this._button.dataset.serverIssues = String(server.length);
  };
  linting._updateButton();
  return (issues) => {
    server = (issues || []).filter((i) => i.severity !== 'info');
    linting._updateButton();
  };
}
