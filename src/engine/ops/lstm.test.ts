import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradCheck, type GradLeaf } from '../gradcheck.js';
import type { Kernels } from '../kernels/types.js';
import { Rng } from '../../random.js';
import { Graph } from '../tensor.js';
import { loadTestBackends } from '../test-backends.js';
import { weightedSum } from './basic.js';
import { biLstm, lstm, runLstmBackward, runLstmForward, type DirectionRunner } from './lstm.js';
import { concat } from './shape.js';

const backends = await loadTestBackends();

function leaf(shape: number[], seed: number, range = 1): GradLeaf {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: n }, () => rng.uniform(-range, range)) };
}

const T = 4;
const B = 3;
const E = 3;
const H = 2;
const lengths = [4, 1, 3];

/**
 * The oracle: one sequence at a time, unpadded, from basic TensorFlow.js ops (gate order i, f, c, o with a
 * kernel [input, 4H], as in tf.layers.lstm). Returns h for each real step, in time order.
 */
function tfLstmSequence(x: tf.Tensor2D, wIh: tf.Tensor2D, wHh: tf.Tensor2D, bias: tf.Tensor1D, reverse: boolean): tf.Tensor2D[] {
  const steps = x.shape[0];
  let h = tf.zeros([1, H]) as tf.Tensor2D;
  let c = tf.zeros([1, H]) as tf.Tensor2D;
  const outputs: tf.Tensor2D[] = new Array(steps);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const z = tf.add(tf.add(tf.matMul(tf.slice(x, [t, 0], [1, E]), wIh), tf.matMul(h, wHh)), bias) as tf.Tensor2D;
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    outputs[t] = h;
  }
  return outputs;
}

describe.each(backends)('LSTM on $name kernels', (backend) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await backend.create();
    await tf.setBackend('cpu');
  });

  for (const reverse of [false, true]) {
    it(`${reverse ? 'reverse' : 'forward'} direction: gradients for input, both weights and bias match finite differences`, () => {
      const leaves = [leaf([T, B, E], 1), leaf([E, 4 * H], 2), leaf([H, 4 * H], 3), leaf([4 * H], 4)];
      const r = gradCheck(k, leaves, (g, [x, wIh, wHh, bias]) => lstm(g, x, lengths, { wIh, wHh, bias }, reverse), { eps: 1e-2 });
      expect(r.maxRelativeError).toBeLessThan(3e-3);
      // The recurrent weights must actually receive gradient (a missing BPTT term would leave them ~0).
      expect(Math.max(...r.analytic[2].map(Math.abs))).toBeGreaterThan(0.01);
    });
  }

  it('padded steps: the forward direction repeats the last real h, the reverse direction outputs 0', () => {
    const mark = k.mark();
    const g = new Graph(k);
    const [x, wIh, wHh, bias] = [leaf([T, B, E], 1), leaf([E, 4 * H], 2), leaf([H, 4 * H], 3), leaf([4 * H], 4)]
      .map((l) => g.constant(l.data, l.shape));
    const fwd = g.read(lstm(g, x, lengths, { wIh, wHh, bias }));
    const rev = g.read(lstm(g, x, lengths, { wIh, wHh, bias }, true));
    const at = (values: Float32Array, t: number, b: number): number[] => Array.from(values.slice((t * B + b) * H, (t * B + b + 1) * H));
    expect(at(fwd, 3, 1)).toEqual(at(fwd, 0, 1)); // sequence 1 has length 1
    expect(at(fwd, 3, 2)).toEqual(at(fwd, 2, 2));
    expect(at(rev, 1, 1)).toEqual([0, 0]);
    expect(at(rev, 3, 2)).toEqual([0, 0]);
    k.reset(mark);
  });

  for (const reverse of [false, true]) {
    it(`${reverse ? 'reverse' : 'forward'} direction equals TensorFlow.js per sequence: outputs and gradients`, () => {
      const leaves = [leaf([T, B, E], 5), leaf([E, 4 * H], 6), leaf([H, 4 * H], 7), leaf([4 * H], 8)];
      // Loss: random weights on the real steps only (padded outputs are not part of the TF computation).
      const rng = new Rng(9);
      const lossWeights = Array.from({ length: T * B * H }, (_, i) => (Math.floor(i / (B * H)) < lengths[Math.floor(i / H) % B] ? rng.uniform(-1, 1) : 0));

      const mark = k.mark();
      const g = new Graph(k);
      const [x, wIh, wHh, bias] = leaves.map((l) => g.constant(l.data, l.shape, true));
      const out = lstm(g, x, lengths, { wIh, wHh, bias }, reverse);
      const ours = g.read(out);
      g.backward(weightedSum(g, out, lossWeights));
      const ourGrads = [x, wIh, wHh, bias].map((t) => Array.from(k.f32(t.grad, t.size)));
      k.reset(mark);

      const [tfIh, tfHh, tfBias] = [
        tf.tensor2d(leaves[1].data as number[], [E, 4 * H]),
        tf.tensor2d(leaves[2].data as number[], [H, 4 * H]),
        tf.tensor1d(leaves[3].data as number[]),
      ];
      const xFull = tf.tensor3d(leaves[0].data as number[], [T, B, E]);
      const weightsFull = tf.tensor3d(lossWeights, [T, B, H]);
      const expectedOut = new Float32Array(T * B * H);
      const lossOf = (xs: tf.Tensor, wi: tf.Tensor, wh: tf.Tensor, bi: tf.Tensor): tf.Scalar => {
        let total = tf.scalar(0);
        for (let b = 0; b < B; b++) {
          const xb = tf.slice(xs, [0, b, 0], [lengths[b], 1, E]).reshape([lengths[b], E]) as tf.Tensor2D;
          const hs = tfLstmSequence(xb, wi as tf.Tensor2D, wh as tf.Tensor2D, bi as tf.Tensor1D, reverse);
          hs.forEach((h, t) => {
            const wv = tf.slice(weightsFull, [t, b, 0], [1, 1, H]).reshape([1, H]);
            total = tf.add(total, tf.sum(tf.mul(h, wv)));
            const values = h.dataSync();
            for (let j = 0; j < H; j++) expectedOut[(t * B + b) * H + j] = values[j];
          });
        }
        return total;
      };
      const grads = tf.grads(lossOf)([xFull, tfIh, tfHh, tfBias]);
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < lengths.length; b++) {
          if (t >= lengths[b]) continue;
          for (let j = 0; j < H; j++) expect(ours[(t * B + b) * H + j]).toBeCloseTo(expectedOut[(t * B + b) * H + j], 5);
        }
      }
      grads.forEach((grad, i) => {
        const want = grad.dataSync();
        // The input gradient at padded steps is 0 in both (TF never sees those steps).
        want.forEach((v, j) => expect(ourGrads[i][j]).toBeCloseTo(v, 5));
      });
    });
  }

  it('biLstm concatenates both directions: [T, B, 2H], with correct gradients', () => {
    const leaves = [leaf([T, B, E], 10), leaf([E, 4 * H], 11), leaf([H, 4 * H], 12), leaf([4 * H], 13), leaf([E, 4 * H], 14), leaf([H, 4 * H], 15), leaf([4 * H], 16)];
    const r = gradCheck(k, leaves, (g, [x, a, b, c, d, e, f]) => {
      const out = biLstm(g, x, lengths, { wIh: a, wHh: b, bias: c }, { wIh: d, wHh: e, bias: f });
      expect(out.shape).toEqual([T, B, 2 * H]);
      return out;
    });
    expect(r.maxRelativeError).toBeLessThan(3e-3);
  });

  it('biLstm equals concat(lstm, reverse lstm) in values and gradients, whatever order a runner uses', () => {
    const leaves = [leaf([T, B, E], 17), leaf([E, 4 * H], 18), leaf([H, 4 * H], 19), leaf([4 * H], 20), leaf([E, 4 * H], 21), leaf([H, 4 * H], 22), leaf([4 * H], 23)];
    const lossWeights = Array.from({ length: T * B * 2 * H }, (_, i) => Math.sin(i + 1));
    // A runner that runs the directions last-first: a stand-in for running them on two threads.
    const backwardsRunner: DirectionRunner = {
      forward: (dirs) => [...dirs].reverse().forEach((d) => runLstmForward(k, d)),
      backward: (dirs) => [...dirs].reverse().forEach((d) => runLstmBackward(k, d)),
    };
    const run = (fused: boolean): number[][] => {
      const mark = k.mark();
      const g = new Graph(k);
      const [x, a, b, c, d, e, f] = leaves.map((l) => g.constant(l.data, l.shape, true));
      const out = fused
        ? biLstm(g, x, lengths, { wIh: a, wHh: b, bias: c }, { wIh: d, wHh: e, bias: f }, backwardsRunner)
        : concat(g, [lstm(g, x, lengths, { wIh: a, wHh: b, bias: c }), lstm(g, x, lengths, { wIh: d, wHh: e, bias: f }, true)]);
      const values = Array.from(g.read(out));
      g.backward(weightedSum(g, out, lossWeights));
      const grads = [x, a, b, c, d, e, f].map((t) => Array.from(k.f32(t.grad, t.size)));
      k.reset(mark);
      return [values, ...grads];
    };
    const fused = run(true);
    const composed = run(false);
    fused.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(composed[i][j], 6)));
  });

  it('rejects a length longer than the batch', () => {
    const g = new Graph(k);
    const w = { wIh: g.zeros([E, 4 * H]), wHh: g.zeros([H, 4 * H]), bias: g.zeros([4 * H]) };
    expect(() => lstm(g, g.zeros([T, B, E]), [5, 1, 1], w)).toThrow(/length 5 of sequence 0/);
  });
});
