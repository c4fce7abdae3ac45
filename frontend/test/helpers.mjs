import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const frontendDir = fileURLToPath(new URL('..', import.meta.url));
export const fixture = (name) => join(frontendDir, 'test/fixtures', name);
export const FIXTURES = ['sample.bpmn', 'all-extensions.bpmn'].map(fixture);

export function tmp(prefix = 'rcp-test-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Run a script under scripts/ and capture its output. */
export function runScript(script, args) {
  const res = spawnSync(process.execPath, [join(frontendDir, 'scripts', script), ...args], { cwd: frontendDir, encoding: 'utf8', env: process.env });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
