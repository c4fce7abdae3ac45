// esbuild plugin: `import lintConfig from 'virtual:rcp-bpmnlint'` bundles the rules of the
// repository's .bpmnlintrc (flattened, statically imported) for bpmn-js-bpmnlint in the browser.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { loadConfig } from './lint.mjs';

const require = createRequire(import.meta.url);
const Linter = require('bpmnlint/lib/linter');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const { createScopedRequire } = require('bpmnlint/lib/resolver/helper');

export async function generateLintModule(frontendDir) {
  const { file, config } = loadConfig();
  const linter = new Linter({ resolver: new NodeResolver({ require: createScopedRequire(frontendDir) }) });
  const rules = await linter.resolveConfiguredRules(config);
  const imports = [];
  const cache = [];
  Object.keys(rules).sort().forEach((name, i) => {
    const { pkg, ruleName } = linter.parseRuleName(name);
    const path = pkg === 'bpmnlint' ? `bpmnlint/rules/${ruleName}` : `${pkg}/rules/${ruleName}`;
    imports.push(`import rule${i} from ${JSON.stringify(path)};`);
    cache.push(`  ${JSON.stringify(`rule:${pkg}/${ruleName}`)}: rule${i}`);
  });
  return {
    file,
    contents: `${imports.join('\n')}
import StaticResolver from 'bpmnlint/lib/resolver/static-resolver';
const cache = {
${cache.join(',\n')}
};
export const config = ${JSON.stringify({ rules: Object.fromEntries(Object.keys(rules).sort().map((k) => [k, rules[k]])) })};
export const resolver = new StaticResolver(cache);
export default { config, resolver };
`
  };
}

export function bpmnlintPlugin(frontendDir) {
  return {
    name: 'rcp-bpmnlint',
    setup(build) {
      build.onResolve({ filter: /^virtual:rcp-bpmnlint$/ }, () => ({ path: 'rcp-bpmnlint', namespace: 'rcp-bpmnlint' }));
      build.onLoad({ filter: /.*/, namespace: 'rcp-bpmnlint' }, async () => {
        const { file, contents } = await generateLintModule(frontendDir);
        return { contents, loader: 'js', resolveDir: frontendDir, watchFiles: file ? [file] : [] };
      });
    }
  };
}
