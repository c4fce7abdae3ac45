// The decision table page: dmn-js (window.RcpDmn) plus the server's validate, bench, diff and deploy.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('decision-data').textContent);
  const $ = (id) => document.getElementById(id);
  const state = { handle: null, draftId: data.source.draftId || null };

  function say(text, kind) {
    $('status').textContent = text;
    $('status').className = 'status' + (kind ? ' status--' + kind : '');
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  async function call(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': data.csrf },
      body: JSON.stringify(body)
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      const problem = json || {};
      const fields = (problem.errors || []).map((e) => e.field + ': ' + e.message).join('; ');
      const error = new Error((problem.detail || response.statusText) + (fields ? ' (' + fields + ')' : ''));
      error.problem = problem;
      throw error;
    }
    return json;
  }

  function showIssues(issues) {
    const list = $('issues');
    list.replaceChildren();
    const errors = issues.filter((i) => i.severity === 'error').length;
    $('issues-summary').textContent = issues.length
      ? errors + ' error(s), ' + (issues.length - errors) + ' warning(s). Rows with a problem are marked in the table.'
      : 'No problems found.';
    for (const issue of issues) {
      const item = el('li', null, 'issue issue--' + issue.severity);
      item.dataset.elementId = issue.elementId || '';
      const where = [issue.elementId, issue.line ? 'line ' + issue.line : null].filter(Boolean).join(', ');
      item.append(el('span', issue.severity, 'issue__severity'), ' ', (where ? where + ': ' : '') + issue.message);
      list.append(item);
    }
    list.closest('section').hidden = false;
    state.handle.markRules(issues.filter((i) => i.elementId));
  }

  async function validate() {
    say('Validating on the server…');
    try {
      const report = await call(data.urls.validate, { fileName: data.source.fileName, xml: await state.handle.saveXML() });
      showIssues(report.issues);
      say(report.ok ? 'The table is valid: it can be deployed.' : 'The table has errors: fix them before deploying.', report.ok ? 'ok' : 'error');
    } catch (error) {
      say('Validation failed: ' + error.message, 'error');
    }
  }

  function cellList(cells) {
    const list = el('ul', null, 'plain');
    for (const c of cells) {
      const item = el('li', null, 'cell-change');
      item.dataset.column = c.column;
      item.append(el('strong', c.column), ' (' + c.kind + '): ', el('del', c.before || '(empty)'), ' → ', el('ins', c.after || '(empty)'));
      list.append(item);
    }
    return list;
  }

  function showChanges(diff) {
    const box = $('changes');
    box.replaceChildren();
    if (!diff.tables.length) box.append(el('p', 'No table differs from version ' + diff.from + '.'));
    for (const table of diff.tables) {
      box.append(el('h3', (table.name || table.decision_id) + ': ' + table.kind));
      for (const note of table.notes) box.append(el('p', note));
      if (!table.rules.length) continue;
      const grid = el('table', null, 'table');
      grid.id = 'rule-changes';
      const head = el('tr');
      for (const h of ['Rule', 'Change', 'Cells']) head.append(Object.assign(el('th', h), { scope: 'col' }));
      grid.append(el('thead'));
      grid.tHead.append(head);
      const body = el('tbody');
      for (const rule of table.rules) {
        const row = el('tr');
        row.dataset.ruleId = rule.rule_id;
        row.dataset.kind = rule.kind;
        row.append(Object.assign(el('th', 'Rule ' + rule.index + ' '), { scope: 'row' }));
        row.firstChild.append(el('code', rule.rule_id));
        row.append(el('td', rule.kind, 'change change--' + rule.kind));
        const cells = el('td');
        if (rule.cells.length) cells.append(cellList(rule.cells));
        else cells.textContent = rule.annotation || '';
        row.append(cells);
        body.append(row);
      }
      grid.append(body);
      box.append(grid);
    }
    box.closest('section').hidden = false;
    const rows = diff.tables.flatMap((t) => t.rules).filter((r) => r.kind !== 'removed');
    state.handle.markRules(rows.map((r) => ({ ruleId: r.rule_id })), 'changed');
  }

  async function compare() {
    try {
      showChanges(await call(data.urls.diff, { xml: await state.handle.saveXML() }));
      say('Changes from version ' + data.source.version + ' are listed below the test bench.', 'ok');
    } catch (error) {
      say('The changes could not be listed: ' + error.message, 'error');
    }
  }

  function benchFields() {
    const box = $('bench-fields');
    box.replaceChildren();
    const fields = data.source.bench[state.handle.decisionId()] || [];
    if (!fields.length) box.append(el('p', 'This table reads no case value.'));
    for (const f of fields) {
      const row = el('div', null, 'bench-field');
      const label = el('label', f.name + ' (column “' + f.column + '”' + (f.typeRef ? ', ' + f.typeRef : '') + ')');
      label.htmlFor = 'bench-' + f.name;
      const input = el('input');
      input.id = 'bench-' + f.name;
      input.name = f.name;
      input.type = 'text';
      row.append(label, input);
      box.append(row);
    }
  }

  async function runBench(event) {
    event.preventDefault();
    const inputs = {};
    $('bench-fields').querySelectorAll('input').forEach((input) => { inputs[input.name] = input.value; });
    const result = $('bench-result');
    result.replaceChildren();
    try {
      const outcome = await call(data.urls.bench, { xml: await state.handle.saveXML(), decisionId: state.handle.decisionId(), inputs });
      result.dataset.ruleId = outcome.ruleId || '';
      if (!outcome.ruleId) {
        result.append(el('p', 'No rule hits: the table gives no output for these values.'));
        state.handle.markRules([], 'hit');
        return;
      }
      const hit = el('p', 'Rule ' + outcome.ruleIndex + ' hits (' + outcome.ruleId + '): ' + (outcome.annotation || ''));
      hit.id = 'bench-hit';
      const outputs = el('dl', null, 'outputs');
      outputs.id = 'bench-outputs';
      for (const [name, value] of Object.entries(outcome.outputs)) {
        const term = el('dt', name);
        const definition = el('dd', JSON.stringify(value));
        definition.dataset.output = name;
        outputs.append(term, definition);
      }
      result.append(hit, outputs);
      state.handle.markRules([{ ruleId: outcome.ruleId }], 'hit');
    } catch (error) {
      result.dataset.ruleId = '';
      result.append(el('p', 'The table could not decide: ' + error.message, 'field-error'));
    }
  }

  async function deploy(event) {
    event.preventDefault();
    const note = $('note').value.trim();
    $('note-error').hidden = !!note;
    $('note').setAttribute('aria-invalid', note ? 'false' : 'true');
    if (!note) return $('note').focus();
    const result = $('deploy-result');
    result.textContent = 'Deploying…';
    try {
      const done = await call(data.urls.deploy, { fileName: data.source.fileName, xml: await state.handle.saveXML(), note });
      result.replaceChildren();
      for (const d of done.decisions) {
        const line = el('p', 'Table ' + d.key + ' is at version ' + d.version + '. ', 'deployed');
        line.dataset.key = d.key;
        line.dataset.version = d.version;
        line.append(Object.assign(el('a', 'see its versions'), { href: data.urls.versions }));
        result.append(line);
        if (d.key === data.source.key) {
          data.source.version = d.version;
          $('editor-title').lastElementChild.textContent = 'from version ' + d.version;
          $('compare').textContent = 'Show changes from version ' + d.version;
          $('changes-heading').textContent = 'Changes from version ' + d.version;
        }
      }
      for (const p of done.processes.filter((x) => x.created)) {
        result.append(el('p', 'Process ' + p.key + ' is now at version ' + p.version + ': new cases use this table.', 'reversioned'));
      }
      say('Deployed.', 'ok');
    } catch (error) {
      result.textContent = 'Not deployed: ' + error.message;
      if (error.problem && error.problem.issues) showIssues(error.problem.issues);
      say('Not deployed: fix the problems listed.', 'error');
    }
  }

  async function saveDraft() {
    const body = { xml: await state.handle.saveXML(), title: $('draft-title').value || data.source.fileName };
    if (state.draftId) body.id = state.draftId;
    try {
      const saved = await call(data.urls.drafts, body);
      state.draftId = saved.id;
      $('draft-title').value = saved.title;
      say('Draft “' + saved.title + '” saved. It is not deployed.', 'ok');
    } catch (error) {
      say('The draft was not saved: ' + error.message, 'error');
    }
  }

  async function download() {
    const link = el('a');
    link.href = URL.createObjectURL(new Blob([await state.handle.saveXML()], { type: 'application/xml' }));
    link.download = data.source.fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  async function start() {
    try {
      state.handle = await window.RcpDmn.create('#table-editor', data.source.xml, { decisionId: data.source.key });
    } catch (error) {
      say('The table editor could not start: ' + error.message, 'error');
      return;
    }
    benchFields();
    $('validate').addEventListener('click', validate);
    $('compare').addEventListener('click', compare);
    $('download').addEventListener('click', download);
    $('save-draft').addEventListener('click', saveDraft);
    $('bench-form').addEventListener('submit', runBench);
    $('deploy-form').addEventListener('submit', deploy);
    document.body.dataset.modelerReady = 'true';
    say(state.handle.warnings.length ? 'Opened with ' + state.handle.warnings.length + ' import warning(s).' : 'Ready.');
  }

  start();
})();
