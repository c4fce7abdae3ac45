// The modeler page: bpmn-js (window.RcpModeler) plus the server's validate, draft and deploy calls.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('modeler-data').textContent);
  const $ = (id) => document.getElementById(id);
  const state = { handle: null, draftId: data.source.kind === 'draft' ? data.source.id : null, fileName: null };

  function say(text, kind) {
    const el = $('status');
    el.textContent = text;
    el.className = 'status' + (kind ? ' status--' + kind : '');
  }

  async function call(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': data.csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const json = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((json && json.detail) || response.statusText || 'request failed');
      error.problem = json || {};
      throw error;
    }
    return json;
  }

  function describe(issue) {
    const where = [issue.elementId, issue.line ? 'line ' + issue.line : null].filter(Boolean).join(', ');
    return (where ? where + ': ' : '') + issue.message + (issue.rule ? ' [' + issue.rule + ']' : '');
  }

  function showIssues(issues) {
    const list = $('issues');
    const section = list.closest('section');
    list.replaceChildren();
    const errors = issues.filter((i) => i.severity === 'error').length;
    const warnings = issues.length - errors;
    $('issues-summary').textContent = issues.length
      ? errors + ' error(s), ' + warnings + ' warning(s). Select a problem to show its element.'
      : 'No problems found.';
    for (const issue of issues) {
      const item = document.createElement('li');
      item.className = 'issue issue--' + issue.severity;
      item.dataset.elementId = issue.elementId || '';
      item.dataset.rule = issue.rule || '';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'issue__button';
      button.disabled = !issue.elementId;
      const badge = document.createElement('span');
      badge.className = 'issue__severity';
      badge.textContent = issue.severity;
      button.append(badge, ' ', describe(issue));
      button.addEventListener('click', () => {
        if (!state.handle.selectElement(issue.elementId)) say('Element ' + issue.elementId + ' is not in the diagram.', 'warning');
      });
      item.append(button);
      list.append(item);
    }
    section.hidden = false;
    state.handle.markErrors(issues.filter((i) => i.elementId));
    state.handle.setServerIssues(issues); // the lint badge counts what the server found too
  }

  // After a deployment the editor holds that version: say so, and base later drafts on it.
  function nowEditing(deployed) {
    data.source = { kind: 'definition', key: deployed.key, version: deployed.version, definitionId: deployed.id };
    const title = $('editor-title');
    const muted = document.createElement('span');
    muted.className = 'muted';
    muted.textContent = 'from version ' + deployed.version;
    title.replaceChildren('Edit ' + deployed.key + ' ', muted);
    const site = document.title.split(' · ').slice(1).join(' · ');
    document.title = 'Edit ' + deployed.key + ' version ' + deployed.version + (site ? ' · ' + site : '');
  }

  async function validate() {
    say('Validating on the server…');
    try {
      const report = await call('POST', data.urls.validate, { xml: await state.handle.saveXML() });
      showIssues(report.issues);
      say(report.ok ? 'The diagram is valid: it can be deployed.' : 'The diagram has errors: fix them before deploying.', report.ok ? 'ok' : 'error');
    } catch (error) {
      say('Validation failed: ' + error.message, 'error');
    }
  }

  async function saveDraft() {
    const body = { xml: await state.handle.saveXML(), title: $('draft-title').value };
    if (state.draftId) body.id = state.draftId;
    if (data.source.kind === 'definition') body.baseDefinitionId = data.source.definitionId;
    try {
      const saved = await call('POST', data.urls.drafts, body);
      state.draftId = saved.id;
      $('draft-title').value = saved.title;
      say('Draft “' + saved.title + '” saved. It is not deployed.', 'ok');
    } catch (error) {
      say('The draft was not saved: ' + error.message, 'error');
    }
  }

  async function deploy(event) {
    event.preventDefault();
    const note = $('note').value.trim();
    $('note-error').hidden = !!note;
    $('note').setAttribute('aria-invalid', note ? 'false' : 'true');
    if (!note) {
      $('note').focus();
      return;
    }
    const result = $('deploy-result');
    result.textContent = 'Deploying…';
    try {
      const done = await call('POST', data.urls.deploy, { xml: await state.handle.saveXML(), note });
      showIssues(done.issues);
      result.replaceChildren();
      for (const d of done.deployed) {
        const line = document.createElement('p');
        line.className = 'deployed';
        line.dataset.key = d.key;
        line.dataset.version = d.version;
        const link = document.createElement('a');
        link.href = data.urls.versions.replace('__KEY__', encodeURIComponent(d.key));
        link.textContent = 'see its versions';
        line.append((d.created ? 'Deployed ' : 'Unchanged: ') + d.key + ' version ' + d.version + '. ', link);
        result.append(line);
      }
      if (done.deployed.length === 1) nowEditing(done.deployed[0]);
      say('Deployed.', 'ok');
    } catch (error) {
      result.textContent = 'Not deployed: ' + error.message;
      if (error.problem.issues) showIssues(error.problem.issues);
      say('Not deployed: fix the problems listed.', 'error');
    }
  }

  async function download() {
    const xml = await state.handle.saveXML();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    link.download = state.fileName || (data.source.key ? data.source.key + '.bpmn' : 'diagram.bpmn');
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  async function upload(event) {
    const file = event.target.files[0];
    if (!file) return;
    try {
      const { warnings } = await state.handle.modeler.importXML(await file.text());
      state.handle.clearErrors();
      state.handle.setServerIssues([]);
      state.handle.fit();
      state.draftId = null;
      state.fileName = file.name;
      $('editor-title').textContent = 'Edit ' + file.name;
      say('Opened ' + file.name + (warnings.length ? ' with ' + warnings.length + ' import warning(s): validate it.' : '.'), warnings.length ? 'warning' : 'ok');
    } catch (error) {
      say(file.name + ' is not a diagram bpmn-js can open: ' + error.message, 'error');
    }
    event.target.value = '';
  }

  async function start() {
    try {
      const options = await call('GET', data.urls.options);
      state.handle = await window.RcpModeler.create('#canvas', '#properties', {
        xml: data.xml || undefined,
        operations: options.operations,
        forms: options.forms
      });
    } catch (error) {
      say('The editor could not start: ' + error.message, 'error');
      return;
    }
    $('validate').addEventListener('click', validate);
    $('save-draft').addEventListener('click', saveDraft);
    $('download').addEventListener('click', download);
    $('upload').addEventListener('change', upload);
    $('deploy-form').addEventListener('submit', deploy);
    document.body.dataset.modelerReady = 'true';
    if (new URLSearchParams(window.location.search).get('upload')) {
      say('Choose the diagram with “Open a .bpmn file”.');
      document.querySelector('label[for="upload"]').scrollIntoView();
    } else {
      say(state.handle.warnings.length ? 'Opened with ' + state.handle.warnings.length + ' import warning(s).' : 'Ready.');
    }
  }

  start();
})();
