/**
 * The benchmark's data-parallel engine models: the same first loss as one thread (up to rounding), and they learn.
 * Needs `npm run build` (the workers run from dist/); skipped, saying why, without it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as DataParallel from './data-parallel-model.js';
import type * as Models from './engine-models.js';
import type * as Wasm from '../engine/kernels/wasm.js';

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url);
const built = existsSync(dist('bench/engine-model-task.js')) && existsSync(new URL('../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('data-parallel bench model test skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

const SIZE: Models.EngineModelSize = { vocab: 50, embedding: 8, hidden: 8, tags: 5, batch: 6, steps: 7, pairs: 3, relHidden: 8, relations: 4 };

describe.skipIf(!built)('data-parallel engine models', () => {
  it.each(['tagger', 'joint', 'pipeline'] as const)('%s: the same losses as one thread, up to rounding', async (kind) => {
    const { createWasmKernels } = (await import(dist('engine/kernels/wasm.js').href)) as typeof Wasm;
    const { createEngineModel } = (await import(dist('bench/engine-models.js').href)) as typeof Models;
    const { createDataParallelEngineModel } = (await import(dist('bench/data-parallel-model.js').href)) as typeof DataParallel;
    const one = createEngineModel(await createWasmKernels(), kind, SIZE, 3);
    const kernels = await createWasmKernels();
    const three = await createDataParallelEngineModel(kernels, kind, SIZE, 3, 3);
    try {
      const expected = one.lossAndGradients();
      one.params.zeroGrads();
      const first = three.train();
      expect(Math.abs(first - expected) / expected).toBeLessThan(1e-5);
      // Ten steps on both: the same trajectory (up to rounding), going down.
      let last = first;
      let lastOne = one.train();
      for (let i = 0; i < 10; i++) {
        last = three.train();
        lastOne = one.train();
      }
      expect(last).toBeLessThan(first);
      expect(Math.abs(last - lastOne) / lastOne).toBeLessThan(1e-3);
      expect(three.infer()).toHaveLength(2); // this thread's shard: sentences 0 and 1 of 6
      for (const name of three.workerKernels) expect(name).toContain('wasm-simd');
    } finally {
      await three.close();
    }
  }, 60_000);
});
