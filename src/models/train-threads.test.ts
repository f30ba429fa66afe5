/**
 * Training with the BiLSTM directions on two threads (TrainOptions.directionRunner) ends with exactly the weights
 * of training on one thread. Needs `npm run build` (the worker runs from dist/); skipped, saying why, without it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import { parseConfig } from './config.js';
import { train } from './train.js';
import { weightsOf } from './weights.js';

const distThreads = new URL('../../dist/engine/parallel/direction-threads.js', import.meta.url);
const distKernels = new URL('../../dist/engine/kernels/wasm.js', import.meta.url);
const built = existsSync(distThreads) && existsSync(new URL('../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('two-thread training test skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

describe.skipIf(!built)('training on two threads', () => {
  it('gives bit-identical weights to one thread (joint model, shared encoder)', async () => {
    const { createWasmKernels } = (await import(distKernels.href)) as typeof import('../engine/kernels/wasm.js');
    const { createDirectionThreads } = (await import(distThreads.href)) as typeof import('../engine/parallel/direction-threads.js');
    const docs = generateCorpus({ docs: 4, seed: 3, length: 'short' });
    const config = parseConfig({ kind: 'joint', sharing: 'encoder', hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8, epochs: 1, patience: 0 });
    const single = await train(docs, config, { kernels: await createWasmKernels(), progress: false });
    const kernels = await createWasmKernels();
    const threads = await createDirectionThreads(kernels);
    try {
      // Count the calls, so that the test fails if training quietly ignored the runner.
      let calls = 0;
      const counted = {
        forward: (d: Parameters<typeof threads.runner.forward>[0]) => (calls++, threads.runner.forward(d)),
        backward: (d: Parameters<typeof threads.runner.backward>[0]) => (calls++, threads.runner.backward(d)),
      };
      const parallel = await train(docs, config, { kernels, directionRunner: counted, progress: false });
      expect(calls).toBeGreaterThan(0);
      expect(parallel.history[0].loss).toBe(single.history[0].loss);
      expect(weightsOf(parallel.model.network.params)).toEqual(weightsOf(single.model.network.params));
    } finally {
      await threads.close();
    }
  });
});
