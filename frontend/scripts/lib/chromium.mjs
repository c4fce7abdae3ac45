// Headless Debian chromium through playwright-core (never downloads a browser).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
];

export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`chromium not found at ${path} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  return path;
}

export function launch() {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

/**
 * Write a minimal HTML page that loads bundle `<name>.js` + `<name>.css` from distDir
 * and return its file:// URL.
 */
export function bundlePage(distDir, name, body = '<div id="canvas" style="width:1200px;height:800px"></div>') {
  const dir = mkdtempSync(join(tmpdir(), 'rcp-page-'));
  const dist = pathToFileURL(resolve(distDir)).href;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RCP ${name}</title>
<link rel="stylesheet" href="${dist}/${name}.css"></head>
<body><main>${body}</main><script src="${dist}/${name}.js"></script></body></html>`;
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

/** Block every request that is not file:// or data: (no network at run time). */
export async function offlineOnly(page) {
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    return route.abort();
  });
}
