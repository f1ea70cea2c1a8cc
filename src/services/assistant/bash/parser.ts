/**
 * The one bash parser of the assistant: web-tree-sitter + the tree-sitter-bash grammar (wasm, no
 * native rebuild). The grammar file is resolved at run time (not a static import) so it is found
 * both from the sources and from the electron-vite bundle in out/main.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

let ready: Promise<Parser> | null = null;
let parser: Parser | null = null;

/** Loads the wasm runtime and the bash grammar once; later calls return the same parser. */
export function initBashParser(): Promise<Parser> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init();
    const lang = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const p = new Parser();
    p.setLanguage(lang);
    parser = p;
    return p;
  })();
  ready.catch(() => {
    ready = null;
  });
  return ready;
}

/** Synchronous parse; initBashParser() must have resolved first. */
export function parseBash(source: string): Tree {
  if (!parser) throw new Error('bash parser not initialised (await initBashParser() first)');
  const tree = parser.parse(source);
  if (!tree) throw new Error('bash parser returned no tree');
  return tree;
}

export function isBashParserReady(): boolean {
  return parser !== null;
}

export type { Node, Tree };
