/**
 * Sharded batches (the arithmetic of data-parallel training, without threads): the shards' gradients add up to
 * the whole batch's gradient, and the per-row noise gives a sentence the same dropout in any shard.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import { loadKernels } from '../engine/kernels/load.js';
import type { Kernels } from '../engine/kernels/types.js';
import { batchSegments, planSegments } from './batching.js';
import { parseConfig } from './config.js';
import { encodeDocument, type EncodedDocument } from './examples.js';
import { createModel, type Model } from './model.js';
import { RowNoise } from './noise.js';
import { epochPairs, runShard, shardBatch, type BatchKey, type TrainingPhase } from './shards.js';

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels('reference');
});

const documents = generateCorpus({ docs: 6, seed: 5, length: 'short' });

function setUp(kind: 'pipeline' | 'joint', sharing: 'none' | 'embeddings' | 'encoder') {
  // Dropout and word dropout on, so that the test also covers the per-row noise.
  const config = parseConfig({
    kind, sharing, hidden: 6, wordDim: 6, charFilters: 4, relHidden: 6, batchSize: 24, dropout: 0.3, wordDropout: 0.2,
    windowSentences: 2,
  });
  const model = createModel(kernels, documents, config);
  const encoded = documents.map((d) => encodeDocument(d, model.vocabs, model.labels, config.windowSentences));
  return { model, encoded };
}

/** Gradients of all parameters after running `shardCount` shards of the batch into the same buffers. */
function gradientsOf(model: Model, encoded: EncodedDocument[], phase: TrainingPhase, shardCount: number) {
  const { network, config } = model;
  const counts = encoded.map((d) => d.sentences.length);
  const segments = phase === 'ner' ? planSegments(counts, 1, 0) : planSegments(counts, 4, config.windowSentences - 1);
  const pairs = epochPairs(encoded, config, phase, 1);
  // The batch whose shards most often hold relation pairs: the relation loss must add up across shards too.
  const withPairs = (b: typeof segments) =>
    shardBatch(encoded, b, (d) => pairs[d], 3, network.classWeights()).shards.filter((s) => s.pairs > 0).length;
  const batch = batchSegments(segments, config.batchSize, { seed: 1, epoch: 1 }).sort((a, b) => withPairs(b) - withPairs(a))[0];
  const { shards, totals } = shardBatch(encoded, batch, (d) => pairs[d], shardCount, network.classWeights());
  const key: BatchKey = { phase, epoch: 1, index: 0 };
  network.params.zeroGrads();
  let ner = 0;
  let rel = 0;
  for (const shard of shards) {
    const losses = runShard(network, encoded, (d) => pairs[d], shard, totals, key);
    ner += losses.ner ?? 0;
    rel += losses.rel ?? 0;
  }
  const grads = new Map(network.params.list().map((p) => [p.name, Float32Array.from(network.params.gradient(p))]));
  return { shards, totals, grads, ner, rel };
}

describe('shardBatch', () => {
  it('cuts a batch into contiguous shards of similar size with the right offsets and totals', () => {
    const { model, encoded } = setUp('joint', 'encoder');
    const counts = encoded.map((d) => d.sentences.length);
    const segments = planSegments(counts, 1, 0).slice(0, 12);
    const pairs = epochPairs(encoded, model.config, 'joint', 1);
    const one = shardBatch(encoded, segments, (d) => pairs[d], 1, model.network.classWeights());
    const three = shardBatch(encoded, segments, (d) => pairs[d], 3, model.network.classWeights());
    expect(one.shards).toHaveLength(1);
    expect(three.shards).toHaveLength(3);
    expect(three.totals).toEqual(one.totals);
    expect(three.shards.flatMap((s) => s.segments)).toEqual(segments);
    let rows = 0;
    let pairCount = 0;
    for (const shard of three.shards) {
      expect(shard.rowOffset).toBe(rows);
      expect(shard.pairOffset).toBe(pairCount);
      expect(shard.segments.length).toBeGreaterThan(0);
      rows += shard.segments.reduce((n, s) => n + s.end - s.start, 0);
      pairCount += shard.pairs;
    }
    expect(pairCount).toBe(one.totals.pairs);
    expect(one.totals.scoredSentences).toBe(12);
  });

  it('never makes an empty shard when there are fewer segments than threads', () => {
    const { model, encoded } = setUp('joint', 'encoder');
    const segments = planSegments(encoded.map((d) => d.sentences.length), 1, 0).slice(0, 2);
    const { shards } = shardBatch(encoded, segments, () => [], 8, model.network.classWeights());
    expect(shards).toHaveLength(2);
  });
});

describe.each([
  { kind: 'joint', sharing: 'encoder', phase: 'joint' },
  { kind: 'joint', sharing: 'none', phase: 'joint' },
  { kind: 'pipeline', sharing: 'none', phase: 'ner' },
  { kind: 'pipeline', sharing: 'none', phase: 're' },
] as const)('a $kind model ($sharing, phase $phase) cut into shards', ({ kind, sharing, phase }) => {
  it('gets the same losses and gradients as from the whole batch, up to float rounding', () => {
    const { model, encoded } = setUp(kind, sharing);
    const whole = gradientsOf(model, encoded, phase, 1);
    const cut = gradientsOf(model, encoded, phase, 3);
    expect(cut.shards.length).toBeGreaterThan(1);
    if (phase !== 'ner') expect(cut.shards.filter((s) => s.pairs > 0).length).toBeGreaterThan(1);
    expect(cut.ner).toBeCloseTo(whole.ner, 4);
    expect(cut.rel).toBeCloseTo(whole.rel, 4);
    let largest = 0;
    let nonZero = 0;
    for (const [name, g] of whole.grads) {
      const h = cut.grads.get(name)!;
      for (let i = 0; i < g.length; i++) {
        largest = Math.max(largest, Math.abs(g[i] - h[i]) / Math.max(1e-3, Math.abs(g[i])));
        if (g[i] !== 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(100);
    expect(largest).toBeLessThan(1e-3);
  });
});

describe('RowNoise', () => {
  it('gives each row the same dropout draws whatever shard it is in', () => {
    const whole = new RowNoise(7, ['joint', 1, 0]);
    const shard = new RowNoise(7, ['joint', 1, 0], 2);
    const [T, B, D] = [5, 4, 3];
    const all = new Float32Array(T * B * D);
    (whole.timeMajor('x') as (u: Float32Array, s: readonly number[]) => void)(all, [T, B, D]);
    // The shard holds rows 2 and 3 of the batch, padded to only 3 steps.
    const part = new Float32Array(3 * 2 * D);
    (shard.timeMajor('x') as (u: Float32Array, s: readonly number[]) => void)(part, [3, 2, D]);
    for (let t = 0; t < 3; t++) {
      for (let b = 0; b < 2; b++) {
        for (let d = 0; d < D; d++) expect(part[(t * 2 + b) * D + d]).toBe(all[(t * B + b + 2) * D + d]);
      }
    }
    const other = new Float32Array(T * B * D);
    (whole.timeMajor('y') as (u: Float32Array, s: readonly number[]) => void)(other, [T, B, D]);
    expect(other).not.toEqual(all);
  });

  it('drops words per row, never padding', () => {
    const noise = new RowNoise(3, ['ner', 1, 0]);
    const words = new Int32Array(200 * 2).fill(9);
    for (let t = 150; t < 200; t++) words[t * 2 + 1] = 0; // row 1 is padded after 150 steps
    const dropped = noise.dropWords(words, 200, 2, 0.5);
    let unk = 0;
    for (let i = 0; i < dropped.length; i++) if (dropped[i] === 1) unk++;
    expect(unk).toBeGreaterThan(100);
    expect(unk).toBeLessThan(250);
    for (let t = 150; t < 200; t++) expect(dropped[t * 2 + 1]).toBe(0);
  });
});
