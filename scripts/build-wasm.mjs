#!/usr/bin/env node
/* global process, console */
// Compiles the AssemblyScript kernels (assembly/) to build/kernels.wasm, offline, with the installed
// `assemblyscript` package. The module imports ONE shared memory (env.memory) so that several worker threads
// can run instances over the same tensors; it has no runtime (stub) and no static data.
// A second module, build/kernels-relaxed.wasm, uses relaxed SIMD (fused multiply-add); it is optional: the
// loader feature-detects it and falls back to kernels.wasm, and a failure to build it is only a warning.
//
// Usage: node scripts/build-wasm.mjs [--wat]   (--wat also writes the text format, for reading the code)
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build');
const writeText = process.argv.includes('--wat');

/** 65536 pages = 4 GiB, the wasm32 limit: the module accepts any shared memory up to that maximum. */
const MAX_PAGES = 65536;

const common = [
  join(root, 'assembly/index.ts'),
  '-O3', '--noAssert', '--runtime', 'stub',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', String(MAX_PAGES),
  '--enable', 'simd', '--enable', 'threads',
  // Kernels never allocate and never abort; an empty abort keeps the import list to the memory alone.
  '--use', 'abort=',
];

async function compile(name, extra) {
  const out = join(outDir, name + '.wasm');
  const args = [...common, ...extra, '-o', out];
  if (writeText) args.push('-t', join(outDir, name + '.wat'));
  let stderrText = '';
  const stderr = { write: (chunk) => { stderrText += chunk; return true; } };
  const { error } = await asc.main(args, { stdout: process.stdout, stderr });
  if (error) throw new Error(`asc failed for ${name}: ${error.message}\n${stderrText}`);
  return out;
}

mkdirSync(outDir, { recursive: true });
const base = await compile('kernels', []);
console.log(`wrote ${base}`);
try {
  const relaxed = await compile('kernels-relaxed', ['--enable', 'relaxed-simd']);
  console.log(`wrote ${relaxed} (optional, used where relaxed SIMD is available)`);
} catch (err) {
  console.warn(`warning: optional relaxed-SIMD build skipped: ${err instanceof Error ? err.message : err}`);
}
