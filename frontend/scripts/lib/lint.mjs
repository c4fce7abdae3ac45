// bpmnlint wrapper: resolves .bpmnlintrc (walking up from a start dir) and lints a moddle root.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Linter = require('bpmnlint/lib/linter');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const { createScopedRequire } = require('bpmnlint/lib/resolver/helper');

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const DEFAULT_CONFIG = { extends: 'bpmnlint:recommended' };

/** Find the nearest .bpmnlintrc from each start dir upwards; null if none. */
export function findConfigFile(...startDirs) {
  for (const start of startDirs) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, '.bpmnlintrc');
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

export function loadConfig(explicitPath) {
  const file = explicitPath || findConfigFile(process.cwd(), frontendDir);
  if (!file) return { file: null, config: DEFAULT_CONFIG };
  return { file, config: JSON.parse(readFileSync(file, 'utf8')) };
}

/**
 * Lint a bpmn:Definitions moddle root. Returns a flat list of
 * {rule, category, elementId, message}.
 */
export async function lint(root, config) {
  // resolve rules/configs from the frontend package (where bpmnlint is installed)
  const resolver = new NodeResolver({ require: createScopedRequire(frontendDir) });
  const linter = new Linter({ config, resolver });
  const results = await linter.lint(root);
  const reports = [];
  for (const [rule, list] of Object.entries(results)) {
    for (const r of list) {
      reports.push({
        rule,
        category: r.category === 'warn' ? 'warning' : r.category,
        elementId: r.id || null,
        message: r.message
      });
    }
  }
  return reports;
}
