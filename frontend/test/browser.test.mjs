import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, serveFakeOrigin, servicePage } from '../scripts/lib/chromium.mjs';
import { importXML } from '../scripts/lib/moddle.mjs';
import { missingFrom, spiffSignature } from './lib/spiff-signature.mjs';
import { fixture, runScript, tmp } from './helpers.mjs';

const require = createRequire(import.meta.url);
const dist = process.env.RCP_DIST_DIR;
const sampleXml = readFileSync(fixture('sample.bpmn'), 'utf8');
const OPERATIONS = [
  { name: 'notify_applicant', description: 'Email the applicant', params: [{ name: 'template', type: 'str', required: true }, { name: 'case_id', type: 'str', required: true }, { name: 'cc', type: 'str', required: false }] },
  { name: 'http/GetRequest', description: 'HTTP GET', params: [{ name: 'url', type: 'str', required: true }] }
];
const FORMS = ['review-schema.json', 'review-uischema.json', 'other-schema.json'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** New page on the fake origin, collecting console errors. */
async function openPage(name, body) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  const origin = await serveFakeOrigin(page, dist, {
    '/': { body: servicePage(name, body) },
    '/diagrams/sample.bpmn': { file: fixture('sample.bpmn') }
  });
  await page.goto(`${origin}/`);
  return { page, errors };
}

async function axeViolations(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ") + " " + n.html.slice(0, 120) + " " + (n.failureSummary || "").slice(0, 200)).slice(0, 3).join(" | ")}`);
}

test('viewer renders with run-state markers, legend and no console errors', async () => {
  const { page, errors } = await openPage('viewer', '<div id="legend"></div><div id="canvas" style="width:1000px;height:600px"></div>');
  const res = await page.evaluate(async () => {
    const highlights = { completed: ['StartEvent_submitted', 'Flow_to_review'], active: ['UserTask_review'], waiting: ['CatchEvent_response'], incidents: ['ServiceTask_notify', 'Does_not_exist'] };
    const { missing, warnings } = await window.RcpViewer.renderFromUrl('#canvas', '/diagrams/sample.bpmn', highlights);
    window.RcpViewer.createLegend(document.getElementById('legend'));
    const cls = (id) => document.querySelector(`.djs-element[data-element-id="${id}"]`).getAttribute('class');
    return {
      missing, warnings: warnings.length,
      start: cls('StartEvent_submitted'), flow: cls('Flow_to_review'), user: cls('UserTask_review'),
      catch: cls('CatchEvent_response'), service: cls('ServiceTask_notify'),
      legend: document.querySelectorAll('.rcp-legend li').length,
      badges: document.querySelectorAll('.rcp-badge').length,
      shapes: document.querySelectorAll('.djs-shape').length,
      label: document.querySelector('#canvas svg').getAttribute('aria-label')
    };
  });
  assert.deepEqual(res.missing, ['Does_not_exist']);
  assert.equal(res.warnings, 0);
  assert.match(res.start, /rcp-completed/);
  assert.match(res.flow, /rcp-completed/);
  assert.match(res.user, /rcp-active/);
  assert.match(res.catch, /rcp-waiting/);
  assert.match(res.service, /rcp-incident/);
  assert.equal(res.legend, 4);
  assert.equal(res.badges, 4);
  assert.ok(res.shapes >= 9);
  assert.match(res.label, /Recordkeeping/);
  const stroke = await page.$eval('.djs-element[data-element-id="ServiceTask_notify"] .djs-visual > rect', (el) => getComputedStyle(el).strokeDasharray);
  assert.notEqual(stroke, 'none', 'incident marker must have a non-colour cue');
  assert.deepEqual(errors, []);
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

async function openModeler() {
  const opened = await openPage('modeler', '<div style="display:flex"><div id="canvas" style="width:950px;height:850px"></div><aside id="props" aria-label="Properties" style="width:400px;height:850px;overflow:auto"></aside></div>');
  await opened.page.evaluate(async ({ xml, operations, forms }) => {
    window.handle = await window.RcpModeler.create('#canvas', '#props', { xml, operations, forms });
  }, { xml: sampleXml, operations: OPERATIONS, forms: FORMS });
  return opened;
}

const select = (page, id) => page.evaluate((id) => window.handle.selectElement(id), id);
const saved = (page) => page.evaluate(() => window.handle.saveXML());
const spiffLabels = (page) => page.$$eval('[data-group-id="group-spiff"] .bio-properties-panel-label', (els) => els.map((e) => e.textContent.trim()));

async function type(page, entryId, value) {
  const input = page.locator(`#bio-properties-panel-${entryId}`);
  await input.fill(value);
  await input.blur();
  await page.waitForTimeout(400); // debounced input
}

test('modeler shows the Spiff group for a service task and edits round-trip', async () => {
  const { page, errors } = await openModeler();
  assert.equal(await page.evaluate(() => window.handle.warnings.length), 0);
  assert.equal(await select(page, 'ServiceTask_notify'), true);
  await page.waitForSelector('[data-group-id="group-spiff"]');
  const labels = await spiffLabels(page);
  for (const l of ['Operation', 'Result variable', 'template (str, required)', 'case_id (str, required)', 'cc (str)']) assert.ok(labels.includes(l), `${l} in ${labels}`);
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-operation'), 'notify_applicant');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-param-template'), "'abc'");

  await type(page, 'spiff-param-cc', "'records@example.gov'");
  assert.match(await saved(page), /<spiffworkflow:parameter id="cc" type="str" value="&#39;records@example.gov&#39;" \/>/);

  await select(page, 'UserTask_review');
  await page.waitForSelector('#bio-properties-panel-spiff-form-schema');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-form-schema'), 'review-schema.json');
  await page.selectOption('#bio-properties-panel-spiff-form-schema', 'other-schema.json');
  await page.waitForTimeout(100);
  assert.match(await saved(page), /<spiffworkflow:property name="formJsonSchemaFilename" value="other-schema.json" \/>/);
  assert.match(await page.inputValue('#bio-properties-panel-spiff-instructions'), /Review case/);

  await select(page, 'BoundaryEvent_deadline');
  await page.waitForSelector('#bio-properties-panel-spiff-timer-expression');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-timer-expression'), '"P15D"');
  await type(page, 'spiff-timer-expression', 'P20D');
  assert.match(await saved(page), /<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P20D"<\/bpmn:timeDuration>/);
  await type(page, 'spiff-timer-expression', 'review_deadline');
  assert.match(await saved(page), />review_deadline<\/bpmn:timeDuration>/);
  await page.evaluate(() => window.handle.modeler.get('commandStack').undo());
  assert.match(await saved(page), />"P20D"<\/bpmn:timeDuration>/);

  await select(page, 'CatchEvent_response');
  await page.waitForSelector('#bio-properties-panel-spiff-message-name');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-message-name'), 'applicant_response');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-message-variable'), 'applicant_response');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-correlation-0-property'), 'case_id');
  await type(page, 'spiff-correlation-1-property', 'entry_number');
  const withCorrelation = await saved(page);
  assert.match(withCorrelation, /<spiffworkflow:propertyId>entry_number<\/spiffworkflow:propertyId>\s*<spiffworkflow:expression>entry_number<\/spiffworkflow:expression>/);

  await select(page, 'ServiceTask_notify');
  await page.waitForSelector('#bio-properties-panel-spiff-operation');
  await page.selectOption('#bio-properties-panel-spiff-operation', 'http/GetRequest');
  await page.waitForTimeout(100);
  assert.ok((await spiffLabels(page)).includes('url (str, required)'));
  const switched = await saved(page);
  assert.match(switched, /<spiffworkflow:serviceTaskOperator id="http\/GetRequest" resultVariable="notify_result">\s*<spiffworkflow:parameters \/>/);
  assert.match(switched, /<spiffworkflow:retry retries="3" backoff_base="2" \/>/);

  // the saved diagram is still valid and lint/DI clean, and keeps the untouched extensions
  const file = join(tmp(), 'edited.bpmn');
  writeFileSync(file, switched);
  const check = runScript('check-diagrams.mjs', [file]);
  assert.equal(check.code, 0, check.stderr);
  const { warnings } = await importXML(switched);
  assert.deepEqual(warnings, []);
  const kept = spiffSignature(sampleXml).filter((s) => !/serviceTaskOperator|formJsonSchemaFilename/.test(s));
  assert.deepEqual(missingFrom(kept, spiffSignature(switched)), []);

  assert.deepEqual(errors, []);
  await page.close();
});

test('modeler adds Spiff extensions to newly created elements', async () => {
  const { page, errors } = await openModeler();
  const ids = await page.evaluate(() => {
    const m = window.handle.modeler;
    const root = m.get('canvas').getRootElement();
    const lane = m.get('elementRegistry').get('Lane_system');
    const create = (attrs, x, y) => m.get('modeling').createShape(m.get('elementFactory').createShape(attrs), { x, y }, lane || root).id;
    return {
      service: create({ type: 'bpmn:ServiceTask' }, 250, 420),
      user: create({ type: 'bpmn:UserTask' }, 250, 300),
      catch: create({ type: 'bpmn:IntermediateCatchEvent', eventDefinitionType: 'bpmn:MessageEventDefinition' }, 600, 300),
      timer: create({ type: 'bpmn:IntermediateCatchEvent', eventDefinitionType: 'bpmn:TimerEventDefinition' }, 700, 300)
    };
  });
  await select(page, ids.service);
  await page.waitForSelector('#bio-properties-panel-spiff-operation');
  await page.selectOption('#bio-properties-panel-spiff-operation', 'http/GetRequest');
  await page.waitForSelector('#bio-properties-panel-spiff-param-url');
  await type(page, 'spiff-param-url', "'https://example.gov/api'");
  await select(page, ids.user);
  await page.waitForSelector('#bio-properties-panel-spiff-form-ui-schema');
  await page.selectOption('#bio-properties-panel-spiff-form-ui-schema', 'review-uischema.json');
  await type(page, 'spiff-instructions', 'Please review.');
  await select(page, ids.catch);
  await page.waitForSelector('#bio-properties-panel-spiff-message-name');
  await type(page, 'spiff-message-name', 'permit_update');
  await type(page, 'spiff-message-variable', 'permit');
  await type(page, 'spiff-correlation-0-property', 'case_id');
  await select(page, ids.timer);
  await page.waitForSelector('#bio-properties-panel-spiff-timer-kind');
  await page.selectOption('#bio-properties-panel-spiff-timer-kind', 'timeDate');
  await type(page, 'spiff-timer-expression', '2030-01-31T10:00:00Z');
  const xml = await saved(page);
  const { warnings } = await importXML(xml);
  assert.deepEqual(warnings, []);
  const sig = spiffSignature(xml).join('\n');
  assert.match(sig, new RegExp(`${ids.service}\\|.*serviceTaskOperator\\[id=http/GetRequest\\]`));
  assert.match(sig, new RegExp(`${ids.service}\\|.*parameter\\[id=url,type=str,value='https://example.gov/api'\\]`));
  assert.match(sig, new RegExp(`${ids.user}\\|.*property\\[name=formUiSchemaFilename,value=review-uischema.json\\]`));
  assert.match(sig, new RegExp(`${ids.user}\\|.*instructionsForEndUser\\[\\] Please review\\.`));
  assert.match(sig, /\|bpmn:messageEventDefinition\/bpmn:extensionElements\/spiffworkflow:messageVariable\[\] permit/);
  assert.match(sig, /\|bpmn:messageEventDefinition\/bpmn:extensionElements\/spiffworkflow:processVariableCorrelation\/spiffworkflow:propertyId\[\] case_id/);
  assert.match(xml, /<bpmn:message id="[^"]+" name="permit_update" \/>/);
  assert.match(xml, /<bpmn:timeDate xsi:type="bpmn:tFormalExpression">"2030-01-31T10:00:00Z"<\/bpmn:timeDate>/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('modeler helpers: markErrors, selectElement, saveSVG, blank diagram', async () => {
  const { page, errors } = await openModeler();
  const res = await page.evaluate(async () => {
    const { markErrors, selectElement, saveSVG } = window.RcpModeler;
    const m = window.handle.modeler;
    const result = markErrors(m, [
      { elementId: 'UserTask_review', message: 'form file missing', severity: 'error' },
      { elementId: 'Flow_to_wait', message: 'unlabelled flow', severity: 'warning' },
      { elementId: 'Nope', message: 'unknown element' }
    ]);
    const cls = (id) => document.querySelector(`.djs-element[data-element-id="${id}"]`).getAttribute('class');
    const out = {
      result, user: cls('UserTask_review'), flow: cls('Flow_to_wait'),
      badge: document.querySelector('.rcp-issue-badge')?.getAttribute('aria-label'),
      selectUnknown: selectElement(m, 'Nope'), selectKnown: selectElement(m, 'UserTask_review'),
      svg: (await saveSVG(m)).slice(0, 200)
    };
    window.RcpModeler.clearErrors(m);
    out.cleared = cls('UserTask_review');
    out.lintSample = await window.handle.lint();
    const blank = await window.RcpModeler.create(document.createElement('div'), document.createElement('div'), {});
    out.blank = await blank.saveXML();
    out.lintBlank = (await blank.lint()).map((i) => `${i.severity}:${i.rule}:${i.elementId}`);
    blank.destroy();
    return out;
  });
  assert.deepEqual(res.result.marked.sort(), ['Flow_to_wait', 'UserTask_review']);
  assert.equal(res.result.unknown.length, 1);
  assert.match(res.user, /rcp-error/);
  assert.match(res.flow, /rcp-warning/);
  assert.match(res.badge, /form file missing/);
  assert.equal(res.selectUnknown, false);
  assert.equal(res.selectKnown, true);
  assert.match(res.svg, /<svg/);
  assert.doesNotMatch(res.cleared, /rcp-error/);
  assert.match(res.blank, /<bpmn:process id="Process_1" name="New process" isExecutable="true">/);
  assert.deepEqual(res.lintSample, []);
  assert.ok(res.lintBlank.includes('error:end-event-required:Process_1'), res.lintBlank.join());
  assert.deepEqual(errors, []);
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test('diff bundle colours changes in both versions', async () => {
  const { page, errors } = await openPage('diff', '<div style="display:flex"><div id="a" style="width:680px;height:500px"></div><div id="b" style="width:680px;height:500px"></div></div>');
  const b = sampleXml.replace('name="Notify applicant"', 'name="Notify the applicant"').replace(`value="'abc'"`, `value="'xyz'"`);
  const res = await page.evaluate(async ({ a, b }) => {
    const { changes } = await window.RcpDiff.render('#a', '#b', a, b);
    return { changes, cls: document.querySelector('#b .djs-element[data-element-id="ServiceTask_notify"]').getAttribute('class') };
  }, { a: sampleXml, b });
  assert.deepEqual(res.changes.map((c) => `${c.kind}:${c.id}`), ['changed:ServiceTask_notify']);
  assert.match(res.cls, /rcp-diff-changed/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('modeler edits a user task\'s decision context, one entry a line, and it round-trips', async () => {
  const { page, errors } = await openModeler();
  await select(page, 'UserTask_review');
  await page.waitForSelector('#bio-properties-panel-spiff-decision-context');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-decision-context'), '');
  const label = await page.textContent('label[for="bio-properties-panel-spiff-decision-context"]');
  assert.equal(label.trim(), 'Decision context');
  await type(page, 'spiff-decision-context', 'review_reasons: Reasons for the recommendation\nnotice denial_notice\n\nmessage information_received');
  const xml = await saved(page);
  assert.match(xml, /<spiffworkflow:property name="decisionContext" value="review_reasons: Reasons for the recommendation; notice denial_notice; message information_received" \/>/);
  const { warnings } = await importXML(xml);
  assert.deepEqual(warnings, []);
  const file = join(tmp(), 'context.bpmn');
  writeFileSync(file, xml);
  const check = runScript('check-diagrams.mjs', [file]);
  assert.equal(check.code, 0, check.stderr);

  // opened again, the panel shows the stored entries one a line; clearing removes the property
  await page.evaluate((x) => window.handle.modeler.importXML(x), xml);
  await select(page, 'UserTask_review');
  await page.waitForSelector('#bio-properties-panel-spiff-decision-context');
  assert.equal(await page.inputValue('#bio-properties-panel-spiff-decision-context'),
    'review_reasons: Reasons for the recommendation\nnotice denial_notice\nmessage information_received');
  // a line that is not an entry is marked in the panel, naming it (Validate and deploy refuse it)
  await type(page, 'spiff-decision-context', 'review_reasons\nthe appeal number');
  const refusal = await page.textContent('[data-entry-id="spiff-decision-context"] .bio-properties-panel-error');
  assert.equal(refusal.trim(), 'Not [notice|message|decision|documents] path[: Label]: the appeal number');
  await type(page, 'spiff-decision-context', '');
  assert.doesNotMatch(await saved(page), /decisionContext/);
  assert.deepEqual(errors, []);
  await page.close();
});
