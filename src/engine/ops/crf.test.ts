import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradCheck, type GradLeaf } from '../gradcheck.js';
import type { Kernels } from '../kernels/types.js';
import { Rng } from '../../random.js';
import { Graph } from '../tensor.js';
import { loadTestBackends } from '../test-backends.js';
import { bioConstraints, crfDecode, crfNll } from './crf.js';

const backends = await loadTestBackends();

function leaf(shape: number[], seed: number, range = 1): GradLeaf {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: n }, () => rng.uniform(-range, range)) };
}

const TAGS = ['O', 'B-A', 'I-A', 'B-B', 'I-B'];
const K = TAGS.length;
const B = 3;
const T = 4;
const lengths = [4, 2, 3];
// Valid BIO gold paths; values past each length are ignored (0 here).
const gold = [1, 2, 0, 3, /**/ 3, 4, 0, 0, /**/ 0, 1, 2, 0];
const constraints = bioConstraints(TAGS);

describe('bioConstraints', () => {
  it('forbids I-X after anything but B-X or I-X, and I-X at the start (worked by hand)', () => {
    // Columns are "to": I-A (2) only from B-A (1) and I-A (2); I-B (4) only from B-B (3) and I-B (4).
    expect(Array.from(constraints.allowed)).toEqual([
      1, 1, 0, 1, 0, // from O
      1, 1, 1, 1, 0, // from B-A
      1, 1, 1, 1, 0, // from I-A
      1, 1, 0, 1, 1, // from B-B
      1, 1, 0, 1, 1, // from I-B
    ]);
    expect(Array.from(constraints.allowedStart)).toEqual([1, 1, 0, 1, 0]);
  });

  it('with BIOES tags, an entity goes on until E-X or is one S-X (worked by hand)', () => {
    const bioes = bioConstraints(['O', 'B-A', 'I-A', 'E-A', 'S-A']);
    expect(Array.from(bioes.allowed)).toEqual([
      1, 1, 0, 0, 1, // from O
      0, 0, 1, 1, 0, // from B-A
      0, 0, 1, 1, 0, // from I-A
      1, 1, 0, 0, 1, // from E-A
      1, 1, 0, 0, 1, // from S-A
    ]);
    expect(Array.from(bioes.allowedStart)).toEqual([1, 1, 0, 0, 1]);
  });
});

describe.each(backends)('CRF on $name kernels', (backend) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await backend.create();
    await tf.setBackend('cpu');
  });

  it('NLL gradients for emissions, transitions, start and end match finite differences (with constraints)', () => {
    const leaves = [leaf([B, T, K], 1, 2), leaf([K, K], 2), leaf([K], 3), leaf([K], 4)];
    const r = gradCheck(k, leaves, (g, [emissions, transitions, start, end]) =>
      crfNll(g, emissions, lengths, gold, { transitions, start, end }, { constraints }), { eps: 1e-2 });
    expect(r.maxRelativeError).toBeLessThan(3e-3);
    expect(Math.max(...r.analytic[1].map(Math.abs))).toBeGreaterThan(0.01);
  });

  it('NLL and its gradients equal a TensorFlow.js forward-algorithm oracle differentiated by tf.grads', () => {
    const [em, tr, st, en] = [leaf([B, T, K], 5, 2), leaf([K, K], 6), leaf([K], 7), leaf([K], 8)];
    const mark = k.mark();
    const g = new Graph(k);
    const [emissions, transitions, start, end] = [em, tr, st, en].map((l) => g.constant(l.data, l.shape, true));
    const loss = crfNll(g, emissions, lengths, gold, { transitions, start, end }, { constraints });
    const ourLoss = g.read(loss)[0];
    g.backward(loss);
    const ours = [emissions, transitions, start, end].map((t) => Array.from(k.f32(t.grad, t.size)));
    k.reset(mark);

    // Forbidden moves get -1e4 (exp underflows to exactly 0, as -infinity would).
    const mask = tf.tensor2d(Array.from(constraints.allowed, (a) => (a ? 0 : -1e4)), [K, K]);
    const startMask = tf.tensor1d(Array.from(constraints.allowedStart, (a) => (a ? 0 : -1e4)));
    const nll = (e: tf.Tensor, t: tf.Tensor, s: tf.Tensor, n: tf.Tensor): tf.Scalar => {
      const trans = tf.add(t, mask);
      let total = tf.scalar(0);
      for (let b = 0; b < B; b++) {
        const emit = (step: number): tf.Tensor1D => tf.slice(e, [b, step, 0], [1, 1, K]).reshape([K]);
        let alpha = tf.add(tf.add(s, startMask), emit(0));
        for (let step = 1; step < lengths[b]; step++) {
          // alpha_j = logsumexp_i(alpha_i + trans[i, j]) + emission_j
          alpha = tf.add(tf.logSumExp(tf.add(alpha.reshape([K, 1]), trans), 0), emit(step));
        }
        const logZ = tf.logSumExp(tf.add(alpha, n));
        const y = gold.slice(b * T, b * T + lengths[b]);
        let score = tf.add(tf.gather(s, [y[0]]).sum(), tf.gather(n, [y[y.length - 1]]).sum());
        y.forEach((tag, step) => (score = tf.add(score, emit(step).gather([tag]).sum())));
        for (let step = 1; step < y.length; step++) score = tf.add(score, tf.gather(trans.reshape([K * K]), [y[step - 1] * K + y[step]]).sum());
        total = tf.add(total, tf.sub(logZ, score));
      }
      return tf.div(total, B);
    };
    const inputs = [tf.tensor3d(em.data as number[], [B, T, K]), tf.tensor2d(tr.data as number[], [K, K]),
      tf.tensor1d(st.data as number[]), tf.tensor1d(en.data as number[])];
    const { value, grads } = tf.valueAndGrads(nll)(inputs);
    expect(ourLoss).toBeCloseTo(value.dataSync()[0], 4);
    grads.forEach((grad, i) => grad.dataSync().forEach((v, j) => expect(ours[i][j]).toBeCloseTo(v, 5)));
  });

  it('Viterbi returns the best valid path, equal to enumerating every path', () => {
    const em = leaf([B, T, K], 9, 3);
    const tr = leaf([K, K], 10);
    const st = leaf([K], 11);
    const en = leaf([K], 12);
    const mark = k.mark();
    const g = new Graph(k, { training: false });
    const [emissions, transitions, start, end] = [em, tr, st, en].map((l) => g.constant(l.data, l.shape));
    const decoded = crfDecode(g, emissions, lengths, { transitions, start, end }, constraints);
    k.reset(mark);

    const at = (values: ArrayLike<number>, i: number): number => values[i];
    for (let b = 0; b < B; b++) {
      let best: number[] = [];
      let bestScore = -Infinity;
      const visit = (path: number[]): void => {
        if (path.length === lengths[b]) {
          if (!constraints.allowedStart[path[0]]) return;
          let s = at(st.data, path[0]) + at(en.data, path[path.length - 1]);
          for (let t = 0; t < path.length; t++) {
            s += at(em.data, (b * T + t) * K + path[t]);
            if (t > 0) {
              if (!constraints.allowed[path[t - 1] * K + path[t]]) return;
              s += at(tr.data, path[t - 1] * K + path[t]);
            }
          }
          if (s > bestScore) {
            bestScore = s;
            best = path;
          }
          return;
        }
        for (let y = 0; y < K; y++) visit([...path, y]);
      };
      visit([]);
      expect(decoded[b]).toEqual(best);
    }
  });

  it('an empty sequence adds nothing to a summed NLL, and the mean divides by the batch size', () => {
    const em = leaf([B, T, K], 13);
    const mark = k.mark();
    const g = new Graph(k, { training: false });
    const w = { transitions: g.constant(leaf([K, K], 14).data, [K, K]), start: g.zeros([K]), end: g.zeros([K]) };
    const emissions = g.constant(em.data, [B, T, K]);
    const all = g.read(crfNll(g, emissions, [4, 0, 3], gold, w, { reduction: 'sum' }))[0];
    const first = g.read(crfNll(g, emissions, [4, 0, 0], gold, w, { reduction: 'sum' }))[0];
    const third = g.read(crfNll(g, emissions, [0, 0, 3], gold, w, { reduction: 'sum' }))[0];
    const mean = g.read(crfNll(g, emissions, [4, 0, 3], gold, w))[0];
    k.reset(mark);
    expect(first).toBeGreaterThan(0);
    expect(all).toBeCloseTo(first + third, 4);
    expect(mean).toBeCloseTo(all / B, 4);
  });

  it('rejects a gold tag outside the tag set', () => {
    const g = new Graph(k);
    const w = { transitions: g.zeros([K, K]), start: g.zeros([K]), end: g.zeros([K]) };
    const bad = gold.slice();
    bad[5] = 7;
    expect(() => crfNll(g, g.zeros([B, T, K]), lengths, bad, w)).toThrow(/tag 7 at \[1, 1\]/);
  });
});
