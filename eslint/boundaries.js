/**
 * The import boundaries of ../shared/design/ARCHITECTURE.md as lint rules, so that CI fails when one is crossed.
 *
 * `medrex/boundaries`: a module under src/<folder>/ may import only the folders listed for it below (its own folder
 * and the shared files directly in src/, such as errors.ts and random.ts, always). The engine and the corpus import
 * nothing of ours, text only the corpus, and nothing imports study, cli, bench or server except the shells above
 * them. Test helpers (`test-helpers/` folders) are for tests only. Tests keep the same rules, except that
 * end-to-end tests (`*.slow.test.ts`) may drive the command line.
 *
 * `medrex/no-reexports`: only src/index.ts (the package's public surface) re-exports; everything else imports the
 * module that defines a name, so there is one way in to each module (no per-folder barrels).
 */
import path from 'node:path';

/** Folder -> the folders it may import (besides itself and the shared files in src/). */
export const ALLOWED = {
  corpus: [],
  engine: [],
  text: ['corpus'],
  eval: ['corpus', 'text'],
  models: ['corpus', 'text', 'engine'],
  api: ['corpus', 'text', 'engine', 'models'],
  study: ['corpus', 'text', 'engine', 'models', 'eval', 'api'],
  server: ['corpus', 'text', 'engine', 'models', 'eval', 'api'],
  bench: ['corpus', 'text', 'engine', 'models'],
  cli: ['corpus', 'text', 'engine', 'models', 'eval', 'api', 'study', 'server'],
  'test-helpers': ['corpus', 'text'],
};

/** Where a file sits: { root, folder } with folder null for the shared files directly in src/. */
function locate(file) {
  const parts = path.resolve(file).split(path.sep);
  const src = parts.lastIndexOf('src');
  if (src < 0) return null;
  const rest = parts.slice(src + 1);
  return { root: parts.slice(0, src + 1).join(path.sep), folder: rest.length > 1 ? rest[0] : null, rest };
}

function sourceOf(node) {
  const source = node.source;
  return source && source.type === 'Literal' && typeof source.value === 'string' ? source : null;
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the layering of ARCHITECTURE.md' },
    schema: [],
    messages: {
      layer: 'src/{{from}}/ may not import src/{{to}}/ (allowed: {{allowed}}; see eslint/boundaries.js and ARCHITECTURE.md)',
      entry: 'src/index.ts is the package entry for library users; import the module itself',
      helpers: 'test helpers ({{to}}) are for tests only',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const here = locate(file);
    if (!here || here.folder === null) return {};
    const isTest = /\.test\.ts$/.test(file);
    const isEndToEnd = /\.slow\.test\.ts$/.test(file);
    const inHelpers = here.rest.includes('test-helpers');
    const check = (node) => {
      const source = sourceOf(node);
      if (!source || !source.value.startsWith('.')) return;
      const target = locate(path.resolve(path.dirname(file), source.value));
      if (!target || target.root !== here.root) return;
      if (target.folder === null) {
        if (target.rest[0] === 'index.js' || target.rest[0] === 'index.ts') context.report({ node: source, messageId: 'entry' });
        return;
      }
      if (target.rest.includes('test-helpers') && !isTest && !inHelpers) {
        context.report({ node: source, messageId: 'helpers', data: { to: target.rest.join('/') } });
        return;
      }
      if (target.folder === here.folder) return;
      if (isTest && target.folder === 'test-helpers') return;
      if (isEndToEnd && target.folder === 'cli') return;
      const allowed = ALLOWED[here.folder];
      if (allowed === undefined || allowed.includes(target.folder)) return;
      context.report({
        node: source,
        messageId: 'layer',
        data: { from: here.folder, to: target.folder, allowed: allowed.length ? allowed.join(', ') : 'nothing of ours' },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const noReexports = {
  meta: {
    type: 'suggestion',
    docs: { description: 'only src/index.ts re-exports' },
    schema: [],
    messages: { reexport: 'only src/index.ts re-exports: import {{what}} from its own module where it is used' },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const here = locate(file);
    if (!here || (here.folder === null && here.rest[0] === 'index.ts')) return {};
    const report = (node) => {
      const source = sourceOf(node);
      if (source) context.report({ node, messageId: 'reexport', data: { what: source.value } });
    };
    return { ExportNamedDeclaration: report, ExportAllDeclaration: report };
  },
};

export default { rules: { boundaries, 'no-reexports': noReexports } };
