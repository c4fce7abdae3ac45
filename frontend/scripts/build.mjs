#!/usr/bin/env node
// Bundle the browser entry points with esbuild into ../service/static/dist (or --outdir DIR).
// Deterministic: no hashes in names, no timestamps, sources from node_modules only.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bpmnlintPlugin } from './lib/bpmnlint-plugin.mjs';
import { cspPlugin } from './lib/csp-plugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function outdirFromArgs(argv) {
  const i = argv.indexOf('--outdir');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]);
  return process.env.RCP_DIST_DIR ? resolve(process.env.RCP_DIST_DIR) : resolve(root, '../service/static/dist');
}

const ENTRIES = {
  viewer: ['src/viewer.js', 'src/css/viewer.css'],
  modeler: ['src/modeler.js', 'src/css/modeler.css'],
  diff: ['src/diff.js', 'src/css/diff.css'],
  dmn: ['src/dmn.js', 'src/css/dmn.css'],
  'rcp-markers': [null, 'src/css/rcp-markers.css']
};

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

// Source paths in maps are relative to the output dir; make them location independent
// (rcp-frontend:///src/..., rcp-frontend:///node_modules/...) so any outdir gives identical bytes.
function normalizeSourceMaps(outdir) {
  for (const file of listFiles(outdir).filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(file, 'utf8'));
    map.sources = map.sources.map((s) => (/^[\w-]+:[\w-]+$/.test(s.split('/').pop()) && !s.includes('node_modules')
      ? `rcp-frontend:///virtual/${s.split('/').pop()}` // esbuild plugin namespace (namespace:path)
      : `rcp-frontend:///${relative(root, resolve(dirname(file), s)).split('\\').join('/')}`));
    writeFileSync(file, JSON.stringify(map));
  }
}

export async function build(outdir = outdirFromArgs(process.argv.slice(2)), { minify = true } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    outdir,
    minify,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
    assetNames: 'fonts/[name]',
    charset: 'utf8',
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' }
  };
  const js = Object.entries(ENTRIES).filter(([, [src]]) => src).map(([out, [src]]) => ({ in: src, out }));
  const css = Object.entries(ENTRIES).map(([out, [, src]]) => ({ in: src, out }));
  await esbuild.build({
    ...common,
    entryPoints: js,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [bpmnlintPlugin(root), cspPlugin()]
  });
  await esbuild.build({ ...common, entryPoints: css });
  normalizeSourceMaps(outdir);
  const manifest = {};
  for (const file of listFiles(outdir).sort()) {
    manifest[relative(outdir, file).split('\\').join('/')] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { outdir, files: Object.keys(manifest) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build().then(({ outdir, files }) => {
    console.log(`built ${files.length} files into ${outdir}`);
  }).catch((err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  });
}
