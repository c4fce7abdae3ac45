// esbuild plugin: keep inline style attributes out of the bundles, so pages can send a strict
// Content-Security-Policy (style-src 'self', no 'unsafe-inline'). An HTML string parsed with
// innerHTML that carries style="..." is refused by such a policy; styles set through the CSSOM
// (element.style.x = ...) are allowed. Each rewrite must match, so a package upgrade that changes
// the string fails the build instead of silently bringing the inline style back.
import { readFile } from 'node:fs/promises';

const PANEL = /bpmn-js-properties-panel[\\/]dist[\\/]index\.esm\.js$/;

// The styles removed here are in src/css/modeler.css.
export const REWRITES = [
  {
    // CodeMirror's style-mod (dmn-js's cell editors) writes a <style> element into a document and
    // keeps constructed style sheets for shadow roots; a constructed sheet is CSSOM, which the
    // policy allows, so documents get one too (Chrome 99, Firefox 101, Safari 16.4).
    file: /style-mod[\\/]src[\\/]style-mod\.js$/,
    pairs: [
      [
        'if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {',
        'if (root.adoptedStyleSheets && win.CSSStyleSheet) {'
      ]
    ]
  },
  {
    file: PANEL,
    pairs: [
      [
        `domify('<div style="height: 100%" tabindex="-1" class="bio-properties-panel-container"></div>')`,
        `domify('<div tabindex="-1" class="bio-properties-panel-container"></div>')`
      ],
      [
        `domify('<div style="flex: none; height: auto" class="bio-properties-panel bio-theme-parent bio-properties-panel-header-container"></div>')`,
        `domify('<div class="bio-properties-panel bio-theme-parent bio-properties-panel-header-container"></div>')`
      ]
    ]
  }
];

export function cspPlugin() {
  return {
    name: 'rcp-csp',
    setup(build) {
      for (const rewrite of REWRITES) {
        build.onLoad({ filter: rewrite.file }, async (args) => {
          let source = await readFile(args.path, 'utf8');
          for (const [from, to] of rewrite.pairs) {
            if (!source.includes(from)) {
              throw new Error(`csp-plugin: ${args.path} no longer contains ${from}; update the rewrite`);
            }
            source = source.replace(from, to);
          }
          return { contents: source, loader: 'js' };
        });
      }
    }
  };
}
