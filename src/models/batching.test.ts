import { describe, expect, it } from 'vitest';
import { batchSegments, padLabels, padSentences, planSegments, capBatchSize } from './batching.js';

describe('segments and batches', () => {
  it('cuts documents into anchor runs with trailing context sentences', () => {
    // doc 0 has 5 sentences, doc 1 has 2; 2 anchors and 1 context sentence each.
    expect(planSegments([5, 2], 2, 1)).toEqual([
      { doc: 0, start: 0, anchorEnd: 2, end: 3 },
      { doc: 0, start: 2, anchorEnd: 4, end: 5 },
      { doc: 0, start: 4, anchorEnd: 5, end: 5 },
      { doc: 1, start: 0, anchorEnd: 2, end: 2 },
    ]);
  });

  it('groups segments until the batch holds enough anchor sentences', () => {
    const segments = planSegments([3, 3], 1, 0);
    const batches = batchSegments(segments, 4);
    expect(batches.map((b) => b.length)).toEqual([4, 2]);
  });

  it('shuffles deterministically by seed and epoch', () => {
    const segments = planSegments([20], 1, 0);
    const order = (seed: number, epoch: number) =>
      batchSegments(segments, 1, { seed, epoch }).map((b) => b[0].start);
    expect(order(1, 0)).toEqual(order(1, 0));
    expect(order(1, 0)).not.toEqual(order(1, 1));
    expect([...order(1, 0)].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('pads sentences with masks and lengths', () => {
    const batch = padSentences([
      { words: Int32Array.of(5, 6, 7), chars: [Int32Array.of(2), Int32Array.of(3, 4), Int32Array.of(5)] },
      { words: Int32Array.of(8), chars: [Int32Array.of(6, 7, 8)] },
    ]);
    expect([batch.batch, batch.maxLen, batch.maxChars]).toEqual([2, 3, 3]);
    expect(Array.from(batch.words)).toEqual([5, 6, 7, 8, 0, 0]);
    expect(Array.from(batch.mask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(batch.lengths)).toEqual([3, 1]);
    // Token (1, 0) has chars 6 7 8 at (1 * 3 + 0) * 3.
    expect(Array.from(batch.chars.slice(9, 12))).toEqual([6, 7, 8]);
    expect(Array.from(batch.chars.slice(3, 6))).toEqual([3, 4, 0]);
    expect(Array.from(padLabels([Int32Array.of(1, 2), Int32Array.of(3)], 2))).toEqual([1, 2, 3, 0]);
    expect(() => padSentences([{ words: new Int32Array(0), chars: [] }])).toThrow(/empty/);
  });
});

describe('capBatchSize', () => {
  const seg = (doc: number, start: number, end: number) => ({ doc, start, anchorEnd: end, end });
  it('leaves batches within the budget alone and cuts larger ones between segments', () => {
    // Sentence lengths: doc 0 all 10 tokens, except sentence 2 with 100.
    const length = (doc: number, s: number) => (doc === 0 && s === 2 ? 100 : 10);
    const small = [seg(0, 0, 1), seg(0, 1, 2)];
    const big = [seg(0, 0, 1), seg(0, 1, 2), seg(0, 2, 3), seg(0, 3, 4)];
    const out = capBatchSize([small, big], length, 150);
    expect(out[0]).toBe(small);
    // [s0, s1] = 2 x 10; adding s2 makes 3 x 100 > 150; s2 alone 100; [s2, s3] = 200 > 150.
    expect(out.slice(1).map((b) => b.map((x) => x.start))).toEqual([[0, 1], [2], [3]]);
    // Every segment kept exactly once, in order.
    expect(out.flat()).toEqual([...small, ...big]);
  });
});
