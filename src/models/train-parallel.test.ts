/**
 * Data-parallel training (TrainOptions.shards) on real worker threads ends with the weights of one thread, up to
 * float rounding, for every kind of model; and a fixed thread count is exactly reproducible. Needs `npm run build`
 * (the workers run from dist/); skipped, saying why, without it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import type { TrainingBackend } from '../engine/kernels/load.js';
import { parseConfig, type ModelConfigInput } from './config.js';
import type { train as trainFn } from './train.js';
import { weightsOf, type Weights } from './weights.js';

const distTrain = new URL('../../dist/models/train.js', import.meta.url);
const built = existsSync(distTrain) && existsSync(new URL('../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('data-parallel training tests skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

const docs = generateCorpus({ docs: 8, seed: 3, length: 'short' });
// Dropout and word dropout on: the per-row noise must make them independent of the sharding too. One network: an
// ensemble's members would train on threads of their own instead (member-threads.test.ts).
const small: ModelConfigInput = {
  ensemble: 1, hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8, epochs: 2, patience: 0, batchSize: 6, dropout: 0.2, wordDropout: 0.1,
};

async function trainWith(config: ModelConfigInput, threads: number, backend: TrainingBackend = 'wasm') {
  const { train } = (await import(distTrain.href)) as { train: typeof trainFn };
  return train(docs, parseConfig(config), { shards: threads, backend, progress: false });
}

const blasBuilt = existsSync(new URL('../../build/medrex_blas.node', import.meta.url));

describe.skipIf(!built)('data-parallel training on worker threads', () => {
  // With a learning rate of ~0 the weights stay put, so each epoch's mean loss is the sum of the same per-batch
  // losses, computed in shards: equal to one thread's up to float rounding.
  it.each([
    { kind: 'joint', sharing: 'encoder', threads: 2 },
    { kind: 'joint', sharing: 'embeddings', threads: 3 },
    { kind: 'pipeline', sharing: 'none', threads: 2 },
    // The selection head's slot pairs are sampled per segment, never per shard.
    { kind: 'joint', sharing: 'encoder', threads: 2, extra: { relationHead: 'selection' } },
    // The entities the tagger adds from epoch 2 on reach the workers with the shards that read them.
    { kind: 'joint', sharing: 'encoder', threads: 2, extra: { relationTrainEntities: 'gold+predicted' } },
    { kind: 'pipeline', sharing: 'none', threads: 2, extra: { relationTrainEntities: 'gold+predicted', relationHead: 'selection' } },
  ] as const)('$kind ($sharing) $extra on $threads threads computes the losses of one thread, up to rounding', async ({ kind, sharing, threads, ...rest }) => {
    const extra: ModelConfigInput = ('extra' in rest ? rest.extra : undefined) ?? {};
    const config = { ...small, kind, sharing, learningRate: 1e-9, ...extra };
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

  // The gradients themselves, not only the losses: one step's summed gradient on 3 threads equals one thread's, for a
  // batch where several shards hold relation pairs; and the workers multiply the way the main thread does.
  it.each([
    { backend: 'wasm', skip: false, lm: false },
    { backend: 'blas', skip: !blasBuilt, lm: false },
    // The auxiliary language-model loss is a mean over the whole batch's tokens, whichever shard holds them.
    { backend: 'wasm', skip: false, lm: true },
  ] as const)('sums the workers\' gradients into one thread\'s gradient ($backend, language-model loss $lm)', async ({ backend, skip, lm }) => {
    if (skip) return console.warn('OpenBLAS gradient case skipped: the addon is not built');
    const load = async <T>(path: string) => (await import(new URL(`../../dist/${path}`, import.meta.url).href)) as T;
    const { createWasmKernels } = await load<typeof import('../engine/kernels/wasm.js')>('engine/kernels/wasm.js');
    const { createBlasKernels } = await load<typeof import('../engine/kernels/native-blas.js')>('engine/kernels/native-blas.js');
    const { createModel } = await load<typeof import('./model.js')>('models/model.js');
    const { encodeDocument } = await load<typeof import('./examples.js')>('models/examples.js');
    const { batchSegments, planSegments } = await load<typeof import('./batching.js')>('models/batching.js');
    const { epochPairs, runShard, shardBatch } = await load<typeof import('./shards.js')>('models/shards.js');
    const { createTrainingPool } = await load<typeof import('./parallel/training-pool.js')>('models/parallel/training-pool.js');
    const kernels = backend === 'blas' ? await createBlasKernels({ maximumPages: 65_536 }) : await createWasmKernels({ maximumPages: 65_536 });
    const config = parseConfig({ ...small, kind: 'joint', sharing: 'encoder', batchSize: 24, lmLossWeight: lm ? 0.5 : 0 });
    const { network, vocabs, labels } = createModel(kernels, docs, config);
    const encoded = docs.map((d) => encodeDocument(d, vocabs, labels, config.windowSentences));
    const pool = await createTrainingPool(network, encoded, 3);
    try {
      expect(pool.workerKernels).toHaveLength(2);
      for (const name of pool.workerKernels) expect(name).toContain(backend === 'blas' ? 'openblas' : 'wasm-simd');
      const pairs = epochPairs(encoded, config, 'joint', 1);
      const pairsOf = (d: number) => pairs[d];
      const segments = planSegments(encoded.map((d) => d.sentences.length), 4, config.windowSentences - 1);
      const cutOf = (batch: typeof segments, n: number) => shardBatch(encoded, batch, pairsOf, n, network.classWeights());
      const batch = batchSegments(segments, config.batchSize, { seed: 1, epoch: 1 })
        .find((b) => cutOf(b, 3).shards.filter((s) => s.pairs > 0).length >= 2)!;
      expect(batch).toBeDefined();
      const key = { phase: 'joint', epoch: 1, index: 0 } as const;
      const gradients = () => network.params.list().map((p) => Float32Array.from(network.params.gradient(p)));

      network.params.zeroGrads();
      const whole = cutOf(batch, 1);
      runShard(network, encoded, pairsOf, whole.shards[0], whole.totals, key);
      const expected = gradients();
      network.params.zeroGrads();
      const cut = cutOf(batch, 3);
      expect(cut.shards).toHaveLength(3);
      pool.run(cut.shards, cut.totals, key, () => runShard(network, encoded, pairsOf, cut.shards[0], cut.totals, key));
      pool.addGradients(network.params.list(), cut.shards.length);
      const actual = gradients();
      let largest = 0;
      expected.forEach((g, p) => g.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - actual[p][i]) / Math.max(1e-3, Math.abs(v))))));
      expect(largest).toBeLessThan(1e-3);
      expect(expected.flatMap((g) => Array.from(g)).filter((v) => v !== 0).length).toBeGreaterThan(100);
      if (lm) {
        const lmWeight = network.params.list().findIndex((p) => p.name === 'ner.lm.fwd.w');
        expect(expected[lmWeight].some((v) => v !== 0)).toBe(true);
      }
    } finally {
      await pool.close();
    }
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
    const { loadKernels } = await import('../engine/kernels/load.js');
    const kernels = await loadKernels('reference');
    await expect(train(docs, parseConfig({ ...small, kind: 'joint' }), { kernels, shards: 2, progress: false }))
      .rejects.toThrow(/shared memory/);
  });
});
