#!/usr/bin/env node
// Usage: node scripts/check-diagrams.mjs [--json] [--config .bpmnlintrc] <file.bpmn>...
// Fails (exit 1) on any moddle import warning, any bpmnlint error/warning, or any DI problem.
import { readFileSync } from 'node:fs';
import { importXML } from './lib/moddle.mjs';
import { loadConfig, lint } from './lib/lint.mjs';
import { checkDI } from './lib/di-check.mjs';

function parseArgs(argv) {
  const opts = { json: false, config: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--config' || a === '-c') opts.config = argv[++i];
    else if (a === '--help' || a === '-h') opts.help = true;
    else opts.files.push(a);
  }
  return opts;
}

export async function checkFile(file, lintConfig) {
  const problems = [];
  let xml;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ stage: 'read', severity: 'error', elementId: null, line: null, message: err.message });
    return { file, ok: false, problems };
  }
  const { root, warnings, error, lines } = await importXML(xml);
  for (const w of warnings) problems.push({ stage: 'import', severity: 'error', ...w });
  if (error) problems.push({ stage: 'import', severity: 'error', ...error, message: `parse error: ${error.message}` });
  if (root) {
    for (const r of await lint(root, lintConfig)) {
      problems.push({ stage: 'lint', severity: r.category, rule: r.rule, elementId: r.elementId, line: lines.get(r.elementId) ?? null, message: r.message });
    }
    for (const d of checkDI(root)) {
      problems.push({ stage: 'di', severity: 'error', rule: d.check, elementId: d.elementId, line: lines.get(d.elementId) ?? null, message: d.message });
    }
  }
  return { file, ok: problems.length === 0, problems };
}

function formatProblem(file, p) {
  const where = p.line ? `${file}:${p.line}` : file;
  const el = p.elementId ? ` ${p.elementId}:` : '';
  const rule = p.rule ? ` (${p.stage}/${p.rule})` : ` (${p.stage})`;
  return `${where}: ${p.severity}${el} ${p.message}${rule}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help || !opts.files.length) {
    console.error('usage: check-diagrams.mjs [--json] [--config FILE] <file.bpmn>...');
    process.exit(opts.help ? 0 : 2);
  }
  const { file: configFile, config } = loadConfig(opts.config);
  const results = [];
  for (const file of opts.files) results.push(await checkFile(file, config));
  const ok = results.every(r => r.ok);
  if (opts.json) {
    console.log(JSON.stringify({ ok, lintConfig: configFile, files: results }, null, 2));
  } else {
    for (const r of results) {
      if (r.ok) console.log(`${r.file}: ok`);
      else for (const p of r.problems) console.error(formatProblem(r.file, p));
    }
    const bad = results.filter(r => !r.ok).length;
    console.log(`${results.length - bad} passed, ${bad} failed`);
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(`check-diagrams: ${err.stack || err}`);
  process.exit(2);
});
