import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from '../scripts/build.mjs';
import { normalizeTimerExpression } from '../src/spiff/timer-expression.js';
import { compareDefinitions } from '../src/diff/compare.js';
import { countIssues } from '../src/modeler/server-issues.js';
import { importXML } from '../scripts/lib/moddle.mjs';
import { missingFrom, spiffSignature } from './lib/spiff-signature.mjs';
import { FIXTURES, fixture, runScript, tmp } from './helpers.mjs';

test('build is reproducible', async () => {
  const a = await build(join(tmp(), 'dist'));
  const b = await build(join(tmp(), 'dist'));
  const ma = readFileSync(join(a.outdir, 'manifest.json'), 'utf8');
  assert.equal(ma, readFileSync(join(b.outdir, 'manifest.json'), 'utf8'));
  for (const f of ['viewer.js', 'viewer.css', 'modeler.js', 'modeler.css', 'diff.js', 'diff.css', 'dmn.js', 'dmn.css', 'rcp-markers.css', 'fonts/bpmn.woff2']) {
    assert.ok(a.files.includes(f), `missing ${f}`);
  }
});

test('the lint badge counts server issues with local ones, each once', () => {
  const local = { Task_1: [{ category: 'warn', message: 'label missing' }] };
  assert.deepEqual(countIssues(local, []), { errors: 0, warnings: 1, infos: 0 });
  const server = [
    { elementId: 'Timer_1', severity: 'error', message: 'must be quoted' },
    { elementId: 'Task_1', severity: 'warning', message: 'label missing' } // the same as the local one
  ];
  assert.deepEqual(countIssues(local, server), { errors: 1, warnings: 1, infos: 0 });
  assert.deepEqual(countIssues({}, [{ elementId: null, message: 'form missing' }]), { errors: 1, warnings: 0, infos: 0 });
});

test('check-diagrams passes the fixtures', () => {
  const res = runScript('check-diagrams.mjs', ['--json', ...FIXTURES]);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const report = JSON.parse(res.stdout);
  assert.equal(report.ok, true);
  assert.match(report.lintConfig, /\.bpmnlintrc$/);
});

test('check-diagrams reports import, lint and DI problems with file, line and element', () => {
  const xml = readFileSync(fixture('sample.bpmn'), 'utf8')
    .replace('<spiffworkflow:retry ', '<spiffworkflow:retries ')
    .replace(/<bpmndi:BPMNShape id="Lane_system_di"[\s\S]*?<\/bpmndi:BPMNShape>/, '')
    .replace(/<bpmndi:BPMNEdge id="Flow_to_wait_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, '')
    .replace('<dc:Bounds x="722" y="342"', '<dc:Bounds x="630" y="342"');
  const file = join(tmp(), 'broken.bpmn');
  writeFileSync(file, xml);
  const res = runScript('check-diagrams.mjs', [file]);
  assert.equal(res.code, 1);
  const retriesLine = xml.split('\n').findIndex((l) => l.includes('<spiffworkflow:retries ')) + 1;
  assert.match(res.stderr, new RegExp(`broken\\.bpmn:${retriesLine}: error ServiceTask_notify: unparsable content <spiffworkflow:retries>`));
  assert.match(res.stderr, /broken\.bpmn:\d+: error Lane_system: .*no BPMNShape \(di\/missing-shape\)/);
  assert.match(res.stderr, /broken\.bpmn:\d+: error Flow_to_wait: .*no BPMNEdge \(di\/missing-edge\)/);
  assert.match(res.stderr, /CatchEvent_response overlaps shape of EndEvent_closed \(di\/overlap\)/);
  assert.match(res.stderr, /\(lint\/no-bpmndi\)/);
  const json = JSON.parse(runScript('check-diagrams.mjs', ['--json', file]).stdout);
  assert.equal(json.ok, false);
  assert.ok(json.files[0].problems.every((p) => 'elementId' in p && 'line' in p && 'message' in p));
});

for (const file of FIXTURES) {
  test(`roundtrip preserves every spiffworkflow element and attribute: ${file.split('/').pop()}`, () => {
    const out = join(tmp(), 'out.bpmn');
    const res = runScript('roundtrip.mjs', [file, out]);
    assert.equal(res.code, 0, res.stderr);
    const before = spiffSignature(readFileSync(file, 'utf8'));
    const after = spiffSignature(readFileSync(out, 'utf8'));
    assert.ok(before.length > 10);
    assert.deepEqual(missingFrom(before, after), [], 'lost in roundtrip');
    assert.deepEqual(missingFrom(after, before), [], 'added in roundtrip');
  });
}

test('roundtrip fails on content it would drop', () => {
  const file = join(tmp(), 'unknown.bpmn');
  writeFileSync(file, readFileSync(fixture('sample.bpmn'), 'utf8').replace('<spiffworkflow:retry ', '<spiffworkflow:retryPolicy '));
  const res = runScript('roundtrip.mjs', [file, join(tmp(), 'x.bpmn')]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /unknown\.bpmn:\d+: error ServiceTask_notify: unparsable content/);
});

test('timer expressions: ISO literals are quoted, Python expressions kept', () => {
  assert.equal(normalizeTimerExpression('P15D'), '"P15D"');
  assert.equal(normalizeTimerExpression(' PT1H30M '), '"PT1H30M"');
  assert.equal(normalizeTimerExpression('"P15D"'), '"P15D"');
  assert.equal(normalizeTimerExpression("'P1D'"), "'P1D'");
  assert.equal(normalizeTimerExpression('2025-01-31T10:00:00Z'), '"2025-01-31T10:00:00Z"');
  assert.equal(normalizeTimerExpression('R3/PT10M'), '"R3/PT10M"');
  assert.equal(normalizeTimerExpression('review_deadline'), 'review_deadline');
  assert.equal(normalizeTimerExpression('timedelta(days=15)'), 'timedelta(days=15)');
  assert.equal(normalizeTimerExpression('P'), 'P');
  assert.equal(normalizeTimerExpression(''), '');
});

test('semantic diff reports extension, name, documentation and layout changes', async () => {
  const a = readFileSync(fixture('sample.bpmn'), 'utf8');
  const b = a.replace('name="Notify applicant"', 'name="Notify the applicant"')
    .replace(`value="'abc'"`, `value="'xyz'"`)
    .replace('"P15D"', '"P20D"')
    .replace('Review done.', 'Review finished.')
    .replace('<dc:Bounds x="722" y="342"', '<dc:Bounds x="730" y="342"');
  const [A, B, A2] = await Promise.all([importXML(a), importXML(b), importXML(a)]);
  assert.deepEqual(compareDefinitions(A.root, A2.root), []);
  const changes = Object.fromEntries(compareDefinitions(A.root, B.root).map((c) => [c.id, c]));
  assert.deepEqual(changes.ServiceTask_notify.properties.sort(), ['extensionElements', 'name']);
  assert.deepEqual(changes.BoundaryEvent_deadline.properties, ['eventDefinitions']);
  assert.deepEqual(changes.Flow_to_notify.properties, ['documentation']);
  assert.equal(changes.EndEvent_closed.kind, 'layout');
});

test('render-svg writes one SVG per diagram', () => {
  const out = tmp('rcp-svg-');
  const res = runScript('render-svg.mjs', [out, ...FIXTURES]);
  assert.equal(res.code, 0, res.stderr);
  for (const name of ['sample', 'all-extensions']) {
    const file = join(out, `${name}.svg`);
    assert.ok(existsSync(file), file);
    const svg = readFileSync(file, 'utf8');
    assert.match(svg, /^<\?xml|^<svg/);
    assert.match(svg, /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  }
  assert.match(readFileSync(join(out, 'sample.svg'), 'utf8'), /Notify applicant/);
});
