import { beforeAll, describe, expect, it } from 'vitest';
import { gradCheck, type GradLeaf } from '../gradcheck.js';
import type { Kernels } from '../kernels/types.js';
import { Rng } from '../../random.js';
import { Graph } from '../tensor.js';
import { loadTestBackends } from '../test-backends.js';
import { add, addBias, linear, matmul, mul, relu, reshape, scale, sigmoid, sum, tanh } from './basic.js';

const backends = await loadTestBackends();

function leaf(shape: number[], seed: number): GradLeaf {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: n }, () => rng.uniform(-1, 1)) };
}

describe.each(backends)('basic ops on $name kernels', (backend) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await backend.create();
  });

  it('matmul computes a hand-worked product', () => {
    const mark = k.mark();
    const g = new Graph(k);
    const a = g.constant([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = g.constant([7, 8, 9, 10, 11, 12], [3, 2]);
    expect(Array.from(g.read(matmul(g, a, b)))).toEqual([58, 64, 139, 154]);
    k.reset(mark);
  });

  it('backward refuses a loss that is not a scalar or that depends on nothing trainable', () => {
    const g = new Graph(k);
    const x = g.constant([1, 2], [2], true);
    expect(() => g.backward(scale(g, x, 2))).toThrow(/must be a scalar/);
    expect(() => g.backward(sum(g, g.constant([1, 2], [2])))).toThrow(/does not depend on anything/);
  });

  it('an inference graph records nothing, so its outputs need no gradient', () => {
    const g = new Graph(k, { training: false });
    const w = g.constant([1, 2, 3, 4], [2, 2], true);
    expect(matmul(g, w, w).requiresGrad).toBe(false);
  });

  it('matmul rejects mismatched inner dimensions', () => {
    const g = new Graph(k);
    expect(() => matmul(g, g.zeros([2, 3]), g.zeros([2, 3]))).toThrow(/inner dimensions differ/);
  });

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`matmul gradients with transA=${transA} transB=${transB}`, () => {
        // op(A) is 3 x 4, op(B) is 4 x 2.
        const a = leaf(transA ? [4, 3] : [3, 4], 1);
        const b = leaf(transB ? [2, 4] : [4, 2], 2);
        const r = gradCheck(k, [a, b], (g, [x, y]) => matmul(g, x, y, { transA, transB }));
        expect(r.maxRelativeError).toBeLessThan(2e-3);
        expect(Math.max(...r.analytic[0].map(Math.abs))).toBeGreaterThan(0.05);
      });
    }
  }

  it('linear over a rank-3 input, with bias, has correct gradients for input, weight and bias', () => {
    const r = gradCheck(k, [leaf([2, 3, 4], 3), leaf([4, 5], 4), leaf([5], 5)], (g, [x, w, b]) => linear(g, x, w, b));
    expect(r.maxRelativeError).toBeLessThan(2e-3);
  });

  it('addBias adds the bias to each row', () => {
    const g = new Graph(k);
    const y = addBias(g, g.constant([1, 2, 3, 4], [2, 2]), g.constant([10, 20], [2]));
    expect(Array.from(g.read(y))).toEqual([11, 22, 13, 24]);
  });

  for (const [name, op] of [['sigmoid', sigmoid], ['tanh', tanh], ['relu', relu]] as const) {
    it(`${name} gradient matches finite differences`, () => {
      // Keep relu inputs away from the kink at 0, where finite differences are meaningless.
      const x = leaf([3, 4], 6);
      if (name === 'relu') x.data = Array.from(x.data, (v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
      const r = gradCheck(k, [x], (g, [t]) => op(g, t));
      expect(r.maxRelativeError).toBeLessThan(2e-3);
    });
  }

  it('add, mul, scale, reshape and sum compose with correct gradients (an input used twice accumulates)', () => {
    const r = gradCheck(k, [leaf([2, 3], 7), leaf([2, 3], 8)], (g, [a, b]) => {
      const prod = mul(g, a, b);
      const both = add(g, prod, scale(g, a, -3)); // a is used twice
      return reshape(g, both, [3, 2]);
    });
    expect(r.maxRelativeError).toBeLessThan(2e-3);
    // d/da of w . (a*b - 3a) = w * (b - 3): check one element by hand.
    const g = new Graph(k);
    const a = g.constant([2], [1], true);
    const b = g.constant([5], [1], true);
    g.backward(sum(g, add(g, mul(g, a, b), scale(g, a, -3))));
    expect(k.f32(a.grad, 1)[0]).toBe(2);
    expect(k.f32(b.grad, 1)[0]).toBe(2);
  });
});
