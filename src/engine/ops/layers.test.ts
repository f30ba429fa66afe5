import { beforeAll, describe, expect, it } from 'vitest';
import { gradCheck, type GradLeaf } from '../gradcheck.js';
import type { Kernels } from '../kernels/types.js';
import { Rng } from '../../random.js';
import { Graph, type Tensor } from '../tensor.js';
import { loadTestBackends } from '../test-backends.js';
import { add, reshape, sum, tanh } from './basic.js';
import { charCnn, windows } from './conv.js';
import { dropout } from './dropout.js';
import { sigmoidCrossEntropy, softmax, softmaxCrossEntropy } from './loss.js';
import { rowsMean, spanMax, spanMean } from './pool.js';
import { concat, embedding, gatherRows, split, transpose01 } from './shape.js';

const backends = await loadTestBackends();

function leaf(shape: number[], seed: number): GradLeaf {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: n }, () => rng.uniform(-1, 1)) };
}

describe.each(backends)('shape, pooling, dropout, char CNN and loss ops on $name kernels', (backend) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await backend.create();
  });
  const withGraph = <T>(body: (g: Graph) => T): T => {
    const mark = k.mark();
    try {
      return body(new Graph(k));
    } finally {
      k.reset(mark);
    }
  };

  it('concat and split along the last axis are inverse, values placed by hand', () => {
    withGraph((g) => {
      const a = g.constant([1, 2, 3, 4], [2, 2]);
      const b = g.constant([5, 6], [2, 1]);
      const c = concat(g, [a, b]);
      expect(c.shape).toEqual([2, 3]);
      expect(Array.from(g.read(c))).toEqual([1, 2, 5, 3, 4, 6]);
      const [left, right] = split(g, c, [1, 2]);
      expect(Array.from(g.read(left))).toEqual([1, 3]);
      expect(Array.from(g.read(right))).toEqual([2, 5, 4, 6]);
    });
  });

  it('concat and split gradients', () => {
    const r = gradCheck(k, [leaf([2, 3, 2], 1), leaf([2, 3, 1], 2)], (g, [a, b]) => {
      const [x, y] = split(g, concat(g, [a, b, a]), [4, 1]);
      return concat(g, [y, tanh(g, x)]);
    });
    expect(r.maxRelativeError).toBeLessThan(2e-3);
  });

  it('gatherRows (embedding) copies rows and accumulates repeated ids in the gradient', () => {
    withGraph((g) => {
      const table = g.constant([0, 1, 10, 11, 20, 21], [3, 2], true);
      const out = embedding(g, table, [2, 0, 2, 2], [2, 2]);
      expect(out.shape).toEqual([2, 2, 2]);
      expect(Array.from(g.read(out))).toEqual([20, 21, 0, 1, 20, 21, 20, 21]);
      g.backward(sum(g, out));
      expect(Array.from(k.f32(table.grad, 6))).toEqual([1, 1, 0, 0, 3, 3]);
    });
    const r = gradCheck(k, [leaf([4, 3], 3)], (g, [t]) => gatherRows(g, t, [3, 1, 3, 0]));
    expect(r.maxRelativeError).toBeLessThan(2e-3);
  });

  it('gatherRows rejects an id outside the table', () => {
    withGraph((g) => expect(() => gatherRows(g, g.zeros([2, 2]), [2])).toThrow(/outside \[0, 2\)/));
  });

  it('transpose01 swaps the first two axes and its gradient swaps back', () => {
    withGraph((g) => {
      const x = g.constant([1, 2, 3, 4, 5, 6], [3, 2, 1]);
      expect(Array.from(g.read(transpose01(g, x)))).toEqual([1, 3, 5, 2, 4, 6]);
    });
    const r = gradCheck(k, [leaf([3, 2, 2], 4)], (g, [x]) => transpose01(g, x));
    expect(r.maxRelativeError).toBeLessThan(2e-3);
  });

  it('span mean and max pool the rows of each span (hand-worked)', () => {
    withGraph((g) => {
      const x = g.constant([1, 8, 3, 2, 5, 6, 7, 0], [4, 2]);
      expect(Array.from(g.read(spanMean(g, x, [0, 2, 1, 4])))).toEqual([2, 5, 5, 8 / 3].map(Math.fround));
      expect(Array.from(g.read(spanMax(g, x, [0, 2, 1, 4])))).toEqual([3, 8, 7, 6]);
      expect(() => spanMax(g, x, [2, 2])).toThrow(/empty or outside/);
    });
  });

  it('rows mean averages gathered rows, any order and repeats, zero for an empty list (hand-worked)', () => {
    withGraph((g) => {
      const x = g.constant([1, 8, 3, 2, 5, 6, 7, 0], [4, 2]);
      const out = rowsMean(g, x, Int32Array.from([0, 2, 2, 5]), Int32Array.from([3, 0, 1, 1, 2]));
      expect(Array.from(g.read(out))).toEqual([4, 4, 0, 0, 11 / 3, 10 / 3].map(Math.fround));
      expect(() => rowsMean(g, x, Int32Array.from([0, 1]), Int32Array.from([4]))).toThrow(/outside/);
      expect(() => rowsMean(g, x, Int32Array.from([0, 2]), Int32Array.from([1]))).toThrow(/offsets/);
    });
  });

  it('rows mean gradient', () => {
    const offsets = Int32Array.from([0, 3, 3, 5]);
    const rows = Int32Array.from([4, 0, 2, 2, 1]);
    const check = gradCheck(k, [leaf([5, 3], 7)], (g, [x]) => rowsMean(g, x, offsets, rows));
    expect(check.maxRelativeError).toBeLessThan(2e-3);
  });

  it('span mean and max gradients', () => {
    const spans = [0, 3, 2, 5, 4, 5];
    const mean = gradCheck(k, [leaf([5, 3], 5)], (g, [x]) => spanMean(g, x, spans));
    expect(mean.maxRelativeError).toBeLessThan(2e-3);
    const max = gradCheck(k, [leaf([5, 3], 6)], (g, [x]) => spanMax(g, x, spans), { eps: 1e-3 });
    expect(max.maxRelativeError).toBeLessThan(2e-3);
    // Each output's gradient lands on exactly one row, so every non-zero input gradient is one output weight.
    expect(max.analytic[0].filter((v) => v !== 0).length).toBeLessThanOrEqual(9);
  });

  it('dropout zeroes about p of the values, scales the rest by 1/(1-p), is seeded, and is the identity in inference', () => {
    const kept = withGraph((g) => {
      const x = g.constant(new Float32Array(1000).fill(1), [1000]);
      return Array.from(g.read(dropout(g, x, 0.25, new Rng(3))));
    });
    const zeros = kept.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(200);
    expect(zeros).toBeLessThan(300);
    expect(kept.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    const again = withGraph((g) => Array.from(g.read(dropout(g, g.constant(new Float32Array(1000).fill(1), [1000]), 0.25, new Rng(3)))));
    expect(again).toEqual(kept);
    withGraph(() => {
      const inference = new Graph(k, { training: false });
      const x = inference.constant([1, 2], [2]);
      expect(dropout(inference, x, 0.5, new Rng(1))).toBe(x);
    });
    const r = gradCheck(k, [leaf([4, 5], 7)], (g, [x]) => dropout(g, x, 0.3, new Rng(11)));
    expect(r.maxRelativeError).toBeLessThan(2e-3);
  });

  it('windows lays out each convolution window as one row (hand-worked)', () => {
    withGraph((g) => {
      // One word, 3 chars of dim 1: [1, 2, 3]; width 2 -> rows [1, 2] and [2, 3].
      const w = windows(g, g.constant([1, 2, 3], [1, 3, 1]), 2);
      expect(w.shape).toEqual([2, 2]);
      expect(Array.from(g.read(w))).toEqual([1, 2, 2, 3]);
    });
  });

  it('char CNN: max over valid windows only, with gradients for chars, filters and bias', () => {
    withGraph((g) => {
      // Filter [1, 1] (sum of 2 adjacent chars), no bias, no activation. Word "a b c" = [1, 5, 9] with length 2:
      // only the window [1, 5] counts -> 6; without lengths the max is 5 + 9 = 14.
      const chars = g.constant([1, 5, 9], [1, 3, 1]);
      const weights = { filters: g.constant([1, 1], [2, 1]), bias: g.constant([0], [1]) };
      expect(Array.from(g.read(charCnn(g, chars, weights, { width: 2, activation: 'none', lengths: [2] })))).toEqual([6]);
      expect(Array.from(g.read(charCnn(g, chars, weights, { width: 2, activation: 'none' })))).toEqual([14]);
    });
    const r = gradCheck(k, [leaf([3, 5, 2], 8), leaf([6, 4], 9), leaf([4], 10)], (g, [chars, filters, bias]) =>
      charCnn(g, chars, { filters, bias }, { width: 3, lengths: [5, 2, 4] }), { eps: 1e-3 });
    expect(r.maxRelativeError).toBeLessThan(3e-3);
  });

  it('softmax gives row probabilities (hand-worked)', () => {
    withGraph((g) => {
      const p = g.read(softmax(g, g.constant([0, Math.log(3), 1, 1], [2, 2])));
      [0.25, 0.75, 0.5, 0.5].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 6));
    });
  });

  it('softmax cross-entropy: weighted mean loss with an ignored row, and its gradient', () => {
    withGraph((g) => {
      // Row 0: p = [0.25, 0.75], target 1, weight 2; row 1 ignored; row 2: p = [0.5, 0.5], target 0, weight 1.
      const logits = g.constant([0, Math.log(3), 5, -5, 0, 0], [3, 2]);
      const { loss } = softmaxCrossEntropy(g, logits, [1, -1, 0], [1, 2]);
      expect(g.read(loss)[0]).toBeCloseTo((-2 * Math.log(0.75) + Math.log(2)) / 3, 6);
      expect(() => softmaxCrossEntropy(g, logits, [1, 2, 0])).toThrow(/target 2 at row 1/);
    });
    const r = gradCheck(k, [leaf([4, 3], 12)], (g, [x]) => softmaxCrossEntropy(g, x, [2, -1, 0, 1], [0.5, 1, 2]).loss);
    expect(r.maxRelativeError).toBeLessThan(2e-3);
    expect(Math.max(...r.analytic[0].map(Math.abs))).toBeGreaterThan(0.01);
    expect(Array.from(r.analytic[0].slice(3, 6))).toEqual([0, 0, 0]); // the ignored row
  });

  it('sigmoid cross-entropy: summed binary losses over a normaliser, stable for large logits, and its gradient', () => {
    withGraph((g) => {
      // Cells: sigmoid(0) = 0.5 with target 1; sigmoid(ln 3) = 0.75 with target 0; a huge logit with target 1.
      const logits = g.constant([0, Math.log(3), 80], [1, 3]);
      const { loss, probs } = sigmoidCrossEntropy(g, logits, [1, 0, 1], { normaliser: 2 });
      expect(g.read(loss)[0]).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 5);
      expect(Array.from(g.read(probs))).toEqual([0.5, 0.75, 1].map((v) => expect.closeTo(v, 6)));
      expect(() => sigmoidCrossEntropy(g, logits, [1, 0.5, 1], { normaliser: 1 })).toThrow(/neither 0 nor 1/);
    });
    const r = gradCheck(k, [leaf([4, 3], 12)], (g, [x]) => sigmoidCrossEntropy(g, x, [1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1], { normaliser: 3 }).loss);
    expect(r.maxRelativeError).toBeLessThan(2e-3);
    expect(Math.max(...r.analytic[0].map(Math.abs))).toBeGreaterThan(0.01);
  });

  it('softmax cross-entropy with a given normaliser: loss and gradient both divided by it (batch shards add up)', () => {
    // Own weight of these rows: 1 + 0.5 + 2 = 3.5; divided by 10 instead, as one shard of a larger batch.
    const r = gradCheck(k, [leaf([4, 3], 12)], (g, [x]) => softmaxCrossEntropy(g, x, [2, -1, 0, 1], [0.5, 1, 2], { normaliser: 10 }).loss);
    expect(r.maxRelativeError).toBeLessThan(2e-3);
    const plain = gradCheck(k, [leaf([4, 3], 12)], (g, [x]) => softmaxCrossEntropy(g, x, [2, -1, 0, 1], [0.5, 1, 2]).loss);
    r.analytic[0].forEach((v, i) => expect(v).toBeCloseTo((plain.analytic[0][i] * 3.5) / 10, 6));
    // Two parts of one batch (own weights 2 and 2.5), each over the batch's 4.5, give the whole batch's gradient.
    const rows = (g: Graph, x: Tensor, from: number, to: number) => reshape(g, gatherRows(g, x, Int32Array.from({ length: to - from }, (_, i) => from + i)), [to - from, 3]);
    const whole = gradCheck(k, [leaf([4, 3], 5)], (g, [x]) => softmaxCrossEntropy(g, x, [2, 1, 0, 1], [0.5, 1, 2]).loss);
    const halves = gradCheck(k, [leaf([4, 3], 5)], (g, [x]) => add(g,
      softmaxCrossEntropy(g, rows(g, x, 0, 1), [2], [0.5, 1, 2], { normaliser: 4.5 }).loss,
      softmaxCrossEntropy(g, rows(g, x, 1, 4), [1, 0, 1], [0.5, 1, 2], { normaliser: 4.5 }).loss));
    whole.analytic[0].forEach((v, i) => expect(halves.analytic[0][i]).toBeCloseTo(v, 6));
  });
});
