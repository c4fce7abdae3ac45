#!/usr/bin/env node
// Usage: node scripts/roundtrip.mjs <in.bpmn> <out.bpmn>
// Parses with bpmn-moddle + the spiffworkflow descriptor and writes it back with toXML({format: true}).
// Fails (exit 1) on a parse error or any import warning (a warning means content would be dropped).
import { readFileSync, writeFileSync } from 'node:fs';
import { importXML } from './lib/moddle.mjs';

export async function roundtrip(xml) {
  const { root, warnings, error, moddle } = await importXML(xml);
  const problems = [...warnings, ...(error ? [error] : [])];
  if (!root) return { xml: null, problems };
  const { xml: out } = await moddle.toXML(root, { format: true });
  return { xml: out, problems };
}

async function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: roundtrip.mjs <in.bpmn> <out.bpmn>');
    process.exit(2);
  }
  const { xml, problems } = await roundtrip(readFileSync(input, 'utf8'));
  for (const p of problems) {
    console.error(`${input}${p.line ? ':' + p.line : ''}: error${p.elementId ? ' ' + p.elementId + ':' : ''} ${p.message}`);
  }
  if (!xml || problems.length) process.exit(1);
  writeFileSync(output, xml.endsWith('\n') ? xml : xml + '\n');
  console.log(`${input} -> ${output}`);
}

main().catch((err) => {
  console.error(`roundtrip: ${err.stack || err}`);
  process.exit(2);
});
