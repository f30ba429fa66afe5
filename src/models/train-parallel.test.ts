/**
 * Data-parallel training (TrainOptions.threads) on real worker threads ends with the weights of one thread, up to
 * float rounding, for every kind of model; and a fixed thread count is exactly reproducible. Needs `npm run build`
 * (the workers run from dist/); skipped, saying why, without it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import { parseConfig, type ModelConfigInput } from './config.js';
import type { train as trainFn } from './train.js';
import { weightsOf, type Weights } from './weights-io.js';

const distTrain = new URL('../../dist/models/train.js', import.meta.url);
const built = existsSync(distTrain) && existsSync(new URL('../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('data-parallel training tests skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

const docs = generateCorpus({ docs: 8, seed: 3 });
// Dropout and word dropout on: the per-row noise must make them independent of the sharding too.
const small: ModelConfigInput = {
  hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8, epochs: 2, patience: 0, batchSize: 6, dropout: 0.2, wordDropout: 0.1,
};

async function trainWith(config: ModelConfigInput, threads: number, backend: 'wasm' | 'blas' = 'wasm') {
  const { train } = (await import(distTrain.href)) as { train: typeof trainFn };
  return train(docs, parseConfig(config), { threads, backend, progress: false });
}

const blasBuilt = existsSync(new URL('../../build/medrex_blas.node', import.meta.url));

describe.skipIf(!built)('data-parallel training on worker threads', () => {
  // With a learning rate of ~0 the weights stay put, so each epoch's mean loss is the sum of the same per-batch
  // losses, computed in shards: equal to one thread's up to float rounding.
  it.each([
    { kind: 'joint', sharing: 'encoder', threads: 2 },
    { kind: 'joint', sharing: 'embeddings', threads: 3 },
    { kind: 'pipeline', sharing: 'none', threads: 2 },
  ] as const)('$kind ($sharing) on $threads threads computes the losses of one thread, up to rounding', async ({ kind, sharing, threads }) => {
    const config = { ...small, kind, sharing, learningRate: 1e-9 };
    const one = await trainWith(config, 1);
    const many = await trainWith(config, threads);
    expect(many.history.map((r) => r.phase)).toEqual(one.history.map((r) => r.phase));
    many.history.forEach((r, i) => expect(Math.abs(r.loss - one.history[i].loss) / one.history[i].loss).toBeLessThan(1e-6));
  }, 60_000);

  // Training for real, rounding differences grow from step to step (Adam divides each gradient by its own scale,
  // so the sign of a near-zero component matters), as with any multi-threaded trainer; the runs stay close.
  it('learns as one thread does when the weights move', async () => {
    const config = { ...small, kind: 'joint', sharing: 'encoder' } as const;
    const one = await trainWith(config, 1);
    const two = await trainWith(config, 2);
    expect(one.history[1].loss).toBeLessThan(one.history[0].loss * 0.8);
    two.history.forEach((r, i) => expect(Math.abs(r.loss - one.history[i].loss) / one.history[i].loss).toBeLessThan(0.01));
    // The two runs moved the weights the same way: the updates (final minus initial weights) nearly coincide.
    const initial = weightsOf((await trainWith({ ...config, learningRate: 1e-12 }, 1)).model.network.params);
    const moved = (w: Weights) => [...initial].flatMap(([name, t]) => Array.from(w.get(name)!.data, (v, i) => v - t.data[i]));
    const a = moved(weightsOf(one.model.network.params));
    const b = moved(weightsOf(two.model.network.params));
    const dot = a.reduce((sum, v, i) => sum + v * b[i], 0);
    const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
    expect(norm(a)).toBeGreaterThan(0.5);
    expect(dot / (norm(a) * norm(b))).toBeGreaterThan(0.95);
  }, 60_000);

  // The workers must multiply the way the main thread does: with OpenBLAS when it does.
  it.skipIf(!blasBuilt)('on the OpenBLAS backend, the workers compute the losses of one thread too', async () => {
    const config = { ...small, kind: 'joint', sharing: 'embeddings', learningRate: 1e-9 } as const;
    const one = await trainWith(config, 1, 'blas');
    const two = await trainWith(config, 2, 'blas');
    two.history.forEach((r, i) => expect(Math.abs(r.loss - one.history[i].loss) / one.history[i].loss).toBeLessThan(1e-6));
    expect(one.model.network.kernels.name).toContain('openblas');
  }, 60_000);

  it('is exactly reproducible for a fixed thread count', async () => {
    const config = { ...small, kind: 'joint', sharing: 'encoder' } as const;
    const first = await trainWith(config, 2);
    const second = await trainWith(config, 2);
    expect(second.history.map((r) => r.loss)).toEqual(first.history.map((r) => r.loss));
    expect(weightsOf(second.model.network.params)).toEqual(weightsOf(first.model.network.params));
  }, 60_000);

  it('refuses kernels that cannot be shared with workers', async () => {
    const { train } = (await import(distTrain.href)) as { train: typeof trainFn };
    const { loadKernels } = await import('../engine/kernels/index.js');
    const kernels = await loadKernels('reference');
    await expect(train(docs, parseConfig({ ...small, kind: 'joint' }), { kernels, threads: 2, progress: false }))
      .rejects.toThrow(/shared memory/);
  });
});
