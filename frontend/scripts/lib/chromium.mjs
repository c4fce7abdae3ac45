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

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.json': 'application/json', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject', '.svg': 'image/svg+xml', '.bpmn': 'application/xml', '.html': 'text/html' };

/**
 * Serve a fake origin (default http://rcp.test) from memory/disk via request interception:
 * `routes` maps a path to {body} or {file}; /static/dist/* is served from distDir.
 * Every other request is aborted, so nothing leaves the machine.
 */
export async function serveFakeOrigin(page, distDir, routes, origin = 'http://rcp.test') {
  const { readFileSync } = await import('node:fs');
  const { extname, join } = await import('node:path');
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== origin) return route.abort();
    const entry = routes[url.pathname];
    try {
      if (entry) {
        const body = entry.file ? readFileSync(entry.file) : entry.body;
        return route.fulfill({ status: entry.status || 200, body, contentType: entry.contentType || TYPES[extname(entry.file || url.pathname)] || 'text/html' });
      }
      if (url.pathname.startsWith('/static/dist/')) {
        const file = join(distDir, url.pathname.slice('/static/dist/'.length));
        return route.fulfill({ status: 200, body: readFileSync(file), contentType: TYPES[extname(file)] || 'application/octet-stream' });
      }
    } catch (err) {
      return route.fulfill({ status: 404, body: String(err.message) });
    }
    return route.fulfill({ status: 404, body: 'not found' });
  });
  return origin;
}

/** HTML page using the bundles exactly as the service does. */
export function servicePage(name, body, title = `RCP ${name}`) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/static/dist/${name}.css"></head>
<body><main id="main"><h1>${title}</h1>${body}</main><script src="/static/dist/${name}.js"></script></body></html>`;
}
