/**
 * The two-thread direction runner gives bit-identical results to the sequential one. Worker threads need the
 * compiled worker (`dist/`, made by `npm run build`) and the WebAssembly kernels (`build/kernels.wasm`); without
 * them this test is skipped, saying why.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { WasmKernels } from '../kernels/wasm.js';
import { weightedSum } from '../ops/basic.js';
import { biLstm, type DirectionRunner } from '../ops/lstm.js';
import { Rng } from '../../random.js';
import { Graph } from '../tensor.js';
import type { DirectionThreads } from './direction-threads.js';

const distRunner = new URL('../../../dist/engine/parallel/direction-threads.js', import.meta.url);
const distKernels = new URL('../../../dist/engine/kernels/wasm.js', import.meta.url);
const wasm = new URL('../../../build/kernels.wasm', import.meta.url);
const ready = existsSync(distRunner) && existsSync(wasm);
if (!ready) console.warn('direction threads test skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

const distBlas = new URL('../../../dist/engine/kernels/native-blas.js', import.meta.url);
const blasBuilt = existsSync(new URL('../../../build/medrex_blas.node', import.meta.url));

describe.skipIf(!ready)('BiLSTM directions on two threads', () => {
  const opened: DirectionThreads[] = [];
  afterAll(async () => Promise.all(opened.map((t) => t.close())));

  it.each([
    { backend: 'wasm', skip: false },
    // The worker must multiply with OpenBLAS too, or the two directions would differ in rounding.
    { backend: 'blas', skip: !blasBuilt },
  ])('matches the sequential runner bit for bit, outputs and every gradient ($backend)', async ({ backend, skip }) => {
    if (skip) return console.warn('OpenBLAS direction-thread case skipped: the addon is not built');
    const { createWasmKernels } = (await import(distKernels.href)) as typeof import('../kernels/wasm.js');
    const { createBlasKernels } = (await import(distBlas.href)) as typeof import('../kernels/native-blas.js');
    const { createDirectionThreads } = (await import(distRunner.href)) as typeof import('./direction-threads.js');
    const k: WasmKernels = backend === 'blas' ? await createBlasKernels() : await createWasmKernels();
    const threads = await createDirectionThreads(k);
    opened.push(threads);
    const [T, B, E, H] = [7, 5, 6, 8];
    const lengths = [7, 3, 5, 1, 6];
    const rng = new Rng(3);
    const values = (n: number) => Array.from({ length: n }, () => rng.uniform(-1, 1));
    const data = [values(T * B * E), values(E * 4 * H), values(H * 4 * H), values(4 * H), values(E * 4 * H), values(H * 4 * H), values(4 * H)];
    const shapes = [[T, B, E], [E, 4 * H], [H, 4 * H], [4 * H], [E, 4 * H], [H, 4 * H], [4 * H]];
    const lossWeights = values(T * B * 2 * H);
    const run = (runner?: DirectionRunner): Float32Array[] => {
      const mark = k.mark();
      const g = new Graph(k);
      const [x, a, b, c, d, e, f] = data.map((v, i) => g.constant(v, shapes[i], true));
      const out = biLstm(g, x, lengths, { wIh: a, wHh: b, bias: c }, { wIh: d, wHh: e, bias: f }, runner);
      const result = [g.read(out)];
      g.backward(weightedSum(g, out, lossWeights));
      result.push(...[x, a, b, c, d, e, f].map((t) => k.f32(t.grad, t.size).slice()));
      k.reset(mark);
      return result;
    };
    const sequential = run();
    const parallel = run(threads.runner);
    expect(parallel.length).toBe(8);
    parallel.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(sequential[i])));
  });
});
