#!/usr/bin/env node
// Builds the viewer as static files: index.html, style.css, viewer.js (the page), engine-worker.js (the
// in-browser engine: the medrex model code bundled for the browser) and the WebAssembly kernels it runs on.
//
// Usage: node web/build.mjs [--out DIR]   (default dist/web, which `medrex serve` serves at /)
//
// The model code is shared with Node. The few Node built-ins it imports (node:fs for reading model files,
// node:crypto for training checkpoints) are only used on paths the browser never takes, so they are replaced by
// a stub that throws if ever called, rather than by browser polyfills.
/* global process, console */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));
const root = join(webDir, '..');
const outIndex = process.argv.indexOf('--out');
const outDir = resolve(outIndex >= 0 ? process.argv[outIndex + 1] : join(root, 'dist/web'));

/** Resolves every `node:*` import to a CommonJS stub whose every export throws (CommonJS so any name imports). */
const nodeBuiltinStub = {
  name: 'node-builtin-stub',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, name) => name === '__esModule' ? false : () => {
        throw new Error(${JSON.stringify(args.path)} + '.' + String(name) + ' is not available in the browser');
      } });`,
      loader: 'js',
    }));
  },
};

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: { viewer: join(webDir, 'src/main.ts'), 'engine-worker': join(webDir, 'src/engine-worker.ts') },
  outdir: outDir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome114', 'firefox115', 'safari16.4'],
  sourcemap: true,
  minify: true,
  legalComments: 'none',
  plugins: [nodeBuiltinStub],
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(join(webDir, file), join(outDir, file));
for (const file of ['kernels.wasm', 'kernels-relaxed.wasm']) {
  const from = join(root, 'build', file);
  if (existsSync(from)) copyFileSync(from, join(outDir, file));
  else if (file === 'kernels.wasm') console.warn(`warning: ${from} is missing (run npm run build:wasm): in-browser mode will not work`);
}
console.log(`wrote the viewer to ${outDir}`);
