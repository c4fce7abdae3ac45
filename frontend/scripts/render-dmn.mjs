#!/usr/bin/env node
// Usage: node scripts/render-dmn.mjs [--dist DIR] <out-dir> <file.dmn>...
// Renders each file's decision table with the built dmn-js bundle (window.RcpDmn) in headless
// chromium and writes <out-dir>/<basename>.png, a picture of the table as analysts see it.
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage, launch, offlineOnly } from './lib/chromium.mjs';

const defaultDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../service/static/dist');
const PAGE = '<div id="canvas" style="width:2200px;background:#fff;padding:8px"></div>';

async function renderOne(page, file, outDir) {
  const xml = readFileSync(file, 'utf8');
  const warnings = await page.evaluate(async (xml) => {
    const canvas = document.querySelector('#canvas');
    canvas.innerHTML = '';
    const handle = await window.RcpDmn.create(canvas, xml);
    return handle.warnings.map((w) => w.message);
  }, xml);
  if (warnings.length) throw new Error(`import warnings: ${warnings.join('; ')}`);
  const table = page.locator('#canvas table.tjs-table').first();
  const out = join(outDir, basename(file, extname(file)) + '.png');
  await table.screenshot({ path: out });
  return out;
}

export async function renderTables(outDir, files, dist = defaultDist) {
  mkdirSync(outDir, { recursive: true });
  const browser = await launch();
  const failures = [];
  try {
    const page = await browser.newPage({ viewport: { width: 2300, height: 1200 } });
    await offlineOnly(page);
    await page.goto(bundlePage(dist, 'dmn', PAGE));
    await page.waitForFunction(() => !!window.RcpDmn);
    for (const file of files) {
      try {
        console.log(`${file} -> ${await renderOne(page, file, outDir)}`);
      } catch (err) {
        failures.push(file);
        console.error(`${file}: error ${err.message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close();
  }
  return failures;
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--dist');
  const dist = at >= 0 ? resolve(args.splice(at, 2)[1]) : defaultDist;
  const [outDir, ...files] = args;
  if (!outDir || !files.length) {
    console.error('usage: render-dmn.mjs [--dist DIR] <out-dir> <file.dmn>...');
    process.exit(2);
  }
  process.exit((await renderTables(outDir, files, dist)).length ? 1 : 0);
}

main().catch((err) => {
  console.error(`render-dmn: ${err.stack || err}`);
  process.exit(2);
});
