#!/usr/bin/env node
// npm test: build the bundles, then run the CLI and browser tests with node's test runner.
import { build } from '../scripts/build.mjs';

const dist = process.env.RCP_DIST_DIR || new URL('../../service/static/dist', import.meta.url).pathname;
process.env.RCP_DIST_DIR = dist;
const { files } = await build(dist);
console.log(`# built ${files.length} files into ${dist}`);

await import('./cli.test.mjs');
await import('./browser.test.mjs');
