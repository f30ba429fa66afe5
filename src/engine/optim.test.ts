import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmBias, orthogonalBlocks, xavierUniform } from './init.js';
import { createReferenceKernels } from './kernels/reference.js';
import type { Kernels } from './kernels/types.js';
import { matmul, sum, tanh } from './ops/basic.js';
import { Adam, Sgd, clipGradNorm } from './optim.js';
import { ParameterStore } from './params.js';
import { Rng } from '../random.js';
import { createSchedule } from './schedule.js';
import { Graph } from './tensor.js';
import { loadTestBackends } from './test-backends.js';

const backends = await loadTestBackends();

const START = [[0.5, -1.5, 2], [0.25, 0.75]];
// Gradients for three steps, different each step and of mixed sign and size.
const GRADS = [
  [[0.1, -0.2, 0.3], [1, -1]],
  [[-0.4, 0.05, 0.3], [0.5, 2]],
  [[0.2, 0.2, -0.6], [-0.1, 0.01]],
];

describe.each(backends)('optimisers on $name kernels, against TensorFlow.js', (backend) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await backend.create();
    await tf.setBackend('cpu');
  });

  /** Runs our optimiser for three steps; returns the final parameter values. */
  function runOurs(make: (store: ParameterStore) => { step: () => void }): number[][] {
    const store = new ParameterStore(k);
    const params = START.map((values, i) => store.create(`p${i}`, [values.length], (v) => v.set(values)));
    const optimizer = make(store);
    for (const step of GRADS) {
      params.forEach((p, i) => store.gradient(p).set(step[i]));
      optimizer.step();
    }
    return params.map((p) => Array.from(store.values(p)));
  }

  /** The same three steps with a tf.train optimiser; `afterStep` may adjust variables (for AdamW). */
  function runTf(optimizer: tf.Optimizer, afterStep?: (vars: tf.Variable[], before: tf.Tensor[]) => void): number[][] {
    const vars = START.map((values, i) => tf.variable(tf.tensor1d(values), true, `opt_${optimizer.getClassName()}_${Date.now()}_${i}`));
    for (const step of GRADS) {
      const before = vars.map((v) => v.clone());
      optimizer.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor1d(step[i])])));
      afterStep?.(vars, before);
    }
    return vars.map((v) => Array.from(v.dataSync()));
  }

  const expectClose = (got: number[][], want: number[][]): void =>
    want.forEach((row, i) => row.forEach((w, j) => expect(got[i][j]).toBeCloseTo(w, 5)));

  it('Adam matches tf.train.adam over three steps', () => {
    const ours = runOurs((s) => new Adam(k, s.list(), { lr: 0.1, beta1: 0.8, beta2: 0.95, eps: 1e-7 }));
    expectClose(ours, runTf(tf.train.adam(0.1, 0.8, 0.95, 1e-7)));
    expect(ours[0][0]).not.toBeCloseTo(START[0][0], 2); // it moved
  });

  it('AdamW equals Adam plus decoupled decay -lr * wd * p_old each step', () => {
    const lr = 0.1;
    const wd = 0.2;
    const ours = runOurs((s) => new Adam(k, s.list(), { lr, eps: 1e-7, weightDecay: wd }));
    const want = runTf(tf.train.adam(lr, 0.9, 0.999, 1e-7), (vars, before) =>
      vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(before[i], lr * wd)))));
    expectClose(ours, want);
  });

  it('SGD with momentum matches tf.train.momentum, plain SGD moves by -lr * g', () => {
    expectClose(runOurs((s) => new Sgd(k, s.list(), { lr: 0.5, momentum: 0.9 })), runTf(tf.train.momentum(0.5, 0.9)));
    const plain = runOurs((s) => new Sgd(k, s.list(), { lr: 0.5 }));
    // 0.5 - 0.5 * (0.1 - 0.4 + 0.2) = 0.55
    expect(plain[0][0]).toBeCloseTo(0.55, 6);
  });

  it('a snapshot restored into a fresh optimiser continues bit-identically', () => {
    const run = (resumeAfter?: number): number[] => {
      const store = new ParameterStore(k);
      const params = START.map((values, i) => store.create(`p${i}`, [values.length], (v) => v.set(values)));
      let optimizer = new Adam(k, store.list(), { lr: 0.1 });
      GRADS.forEach((step, s) => {
        if (s === resumeAfter) {
          const state = optimizer.snapshot();
          optimizer = new Adam(k, store.list(), { lr: 0.1 });
          optimizer.restore(state);
        }
        params.forEach((p, i) => store.gradient(p).set(step[i]));
        optimizer.step();
      });
      expect(optimizer.steps).toBe(3);
      return params.flatMap((p) => Array.from(store.values(p)));
    };
    expect(run(2)).toEqual(run());
    const sgd = new Sgd(k, new ParameterStore(k).list(), { lr: 1, momentum: 0.9 });
    expect(() => new Adam(k, [new ParameterStore(k).create('x', [2])], { lr: 1 }).restore(sgd.snapshot())).toThrow(/m.x is missing/);
  });

  it('clipGradNorm scales gradients down to the maximum norm and reports the norm before', () => {
    const store = new ParameterStore(k);
    const a = store.create('a', [1]);
    const b = store.create('b', [1]);
    store.gradient(a).set([3]);
    store.gradient(b).set([4]);
    expect(clipGradNorm(k, store.list(), 1)).toBeCloseTo(5, 6);
    expect(store.gradient(a)[0]).toBeCloseTo(0.6, 5);
    expect(store.gradient(b)[0]).toBeCloseTo(0.8, 5);
    expect(clipGradNorm(k, store.list(), 10)).toBeCloseTo(1, 5); // below the maximum: unchanged
    expect(store.gradient(b)[0]).toBeCloseTo(0.8, 5);
  });
});

describe('learning-rate schedules', () => {
  it('constant', () => {
    expect(createSchedule({ kind: 'constant', lr: 0.01 })(1000)).toBe(0.01);
  });

  it('linear warmup then linear decay (worked by hand)', () => {
    const s = createSchedule({ kind: 'warmup', lr: 1, warmupSteps: 4, totalSteps: 12, decay: 'linear' });
    expect([0, 1, 3, 4, 8, 12, 20].map(s)).toEqual([0.25, 0.5, 1, 1, 0.5, 0, 0]);
  });

  it('cosine decay reaches half-way at the mid point and minLr at the end', () => {
    const s = createSchedule({ kind: 'warmup', lr: 1, warmupSteps: 0, totalSteps: 10, decay: 'cosine', minLr: 0.1 });
    expect(s(0)).toBeCloseTo(1, 10);
    expect(s(5)).toBeCloseTo(0.55, 10);
    expect(s(10)).toBeCloseTo(0.1, 10);
  });

  it('step decay multiplies by gamma every stepSize steps', () => {
    const s = createSchedule({ kind: 'step', lr: 1, stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 6, 7].map(s)).toEqual([1, 1, 0.5, 0.25, 0.25]);
  });
});

describe('initialisers', () => {
  it('xavierUniform stays within sqrt(6 / (in + out)) and is fixed by the seed', () => {
    const a = new Float32Array(600);
    xavierUniform(a, 10, 14, new Rng(1));
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.45);
    const b = new Float32Array(600);
    xavierUniform(b, 10, 14, new Rng(1));
    expect(b).toEqual(a);
  });

  it('orthogonalBlocks makes every H x H gate block orthogonal', () => {
    const H = 3;
    const w = new Float32Array(H * 4 * H);
    orthogonalBlocks(w, H, 4 * H, new Rng(2));
    for (let block = 0; block < 4; block++) {
      for (let r1 = 0; r1 < H; r1++) {
        for (let r2 = 0; r2 < H; r2++) {
          let dot = 0;
          for (let c = 0; c < H; c++) dot += w[r1 * 4 * H + block * H + c] * w[r2 * 4 * H + block * H + c];
          expect(dot).toBeCloseTo(r1 === r2 ? 1 : 0, 5);
        }
      }
    }
  });

  it('lstmBias sets only the forget-gate quarter', () => {
    const b = new Float32Array(8);
    lstmBias(b, 2);
    expect(Array.from(b)).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });
});

describe('data-parallel building blocks', () => {
  it('gradients of two half-batches on replicas, summed in order, equal the full batch gradient', () => {
    const k = createReferenceKernels();
    const store = new ParameterStore(k);
    const w = store.create('w', [3, 2], (v) => v.set([0.5, -1, 0.25, 2, -0.75, 1.5]));
    const rows = [[1, 2, 3], [-1, 0.5, 2], [0, 1, -1], [2, -2, 0.5]];
    const lossOn = (s: ParameterStore, batch: number[][]): void => {
      const mark = k.mark();
      const g = new Graph(k);
      const x = g.constant(batch.flat(), [batch.length, 3]);
      g.backward(sum(g, tanh(g, matmul(g, x, s.get('w')))));
      k.reset(mark);
    };
    lossOn(store, rows);
    const full = Array.from(store.gradient(w));
    store.zeroGrads();
    const shards = [store.replica(), store.replica()];
    lossOn(shards[0], rows.slice(0, 2));
    lossOn(shards[1], rows.slice(2));
    expect(shards[0].values(shards[0].get('w'))).toEqual(store.values(w)); // shared values
    for (const shard of shards) store.addGradientsFrom(shard);
    Array.from(store.gradient(w)).forEach((v, i) => expect(v).toBeCloseTo(full[i], 6));
  });
});
