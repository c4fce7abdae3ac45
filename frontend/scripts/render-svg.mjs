#!/usr/bin/env node
// Usage: node scripts/render-svg.mjs [--dist DIR] <out-dir> <file.bpmn>...
// Renders each diagram with the built viewer bundle in headless chromium and writes <out-dir>/<basename>.svg.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage, launch, offlineOnly } from './lib/chromium.mjs';

const defaultDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../service/static/dist');

function parseArgs(argv) {
  const opts = { dist: process.env.RCP_DIST_DIR || defaultDist, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dist') opts.dist = resolve(argv[++i]);
    else opts.rest.push(argv[i]);
  }
  return opts;
}

export async function renderSvgs(outDir, files, dist = defaultDist) {
  mkdirSync(outDir, { recursive: true });
  const browser = await launch();
  const failures = [];
  const written = [];
  try {
    const page = await browser.newPage();
    await offlineOnly(page);
    const consoleErrors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    await page.goto(bundlePage(dist, 'viewer'));
    await page.waitForFunction(() => !!window.RcpViewer);
    for (const file of files) {
      consoleErrors.length = 0;
      try {
        const xml = readFileSync(file, 'utf8');
        const result = await page.evaluate(async (xml) => {
          const { viewer, warnings } = await window.RcpViewer.render('#canvas', xml, {}, { badges: false });
          const { svg } = await viewer.saveSVG();
          return { svg, warnings: warnings.map(w => w.message) };
        }, xml);
        if (result.warnings.length) throw new Error(`import warnings: ${result.warnings.join('; ')}`);
        if (consoleErrors.length) throw new Error(`console errors: ${consoleErrors.join('; ')}`);
        const out = join(outDir, basename(file, extname(file)) + '.svg');
        writeFileSync(out, result.svg);
        written.push(out);
        console.log(`${file} -> ${out}`);
      } catch (err) {
        failures.push({ file, message: err.message.split('\n')[0] });
        console.error(`${file}: error ${err.message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close();
  }
  return { written, failures };
}

async function main() {
  const { dist, rest } = parseArgs(process.argv.slice(2));
  const [outDir, ...files] = rest;
  if (!outDir || !files.length) {
    console.error('usage: render-svg.mjs [--dist DIR] <out-dir> <file.bpmn>...');
    process.exit(2);
  }
  const { failures } = await renderSvgs(outDir, files, dist);
  process.exit(failures.length ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`render-svg: ${err.stack || err}`);
    process.exit(2);
  });
}
