import { describe, expect, it } from 'vitest';
import { ParameterAverage } from './average.js';
import { createReferenceKernels } from './kernels/reference.js';
import { ParameterStore } from './params.js';

async function twoParameters() {
  const k = await createReferenceKernels();
  const store = new ParameterStore(k);
  const a = store.create('a', [2], (v) => v.set([1, -1]));
  const b = store.create('b', [1], (v) => v.set([4]));
  return { store, a, b, params: [a, b] };
}

describe('ParameterAverage', () => {
  it('follows average = d x average + (1 - d) x value with the warm-up decay, and swaps in and out', async () => {
    const { store, a, b, params } = await twoParameters();
    const average = new ParameterAverage(store.kernels, params, 0.9);
    // Step 1: d = min(0.9, 2/11); step 2: d = min(0.9, 3/12).
    store.values(a).set([3, 1]);
    store.values(b).set([0]);
    average.update();
    const d1 = 2 / 11;
    store.values(a).set([5, 5]);
    average.update();
    const d2 = 3 / 12;
    const expectA0 = d2 * (d1 * 1 + (1 - d1) * 3) + (1 - d2) * 5;
    const expectB = d2 * (d1 * 4 + (1 - d1) * 0) + (1 - d2) * 0;
    average.swapIn();
    expect(store.values(a)[0]).toBeCloseTo(expectA0, 5);
    expect(store.values(b)[0]).toBeCloseTo(expectB, 5);
    expect(() => average.update()).toThrow(/swapped in/);
    average.swapOut();
    expect(Array.from(store.values(a))).toEqual([5, 5]);
    expect(Array.from(store.values(b))).toEqual([0]);
  });

  it('restores from its snapshot, so a resumed run averages as an uninterrupted one', async () => {
    const first = await twoParameters();
    const average = new ParameterAverage(first.store.kernels, first.params, 0.99);
    for (let t = 0; t < 5; t++) {
      first.store.values(first.a).set([t, -t]);
      average.update();
    }
    const saved = average.snapshot();
    const second = await twoParameters();
    const resumed = new ParameterAverage(second.store.kernels, second.params, 0.99);
    resumed.restore(saved, 5);
    for (const [store, p, avg] of [[first.store, first.a, average], [second.store, second.a, resumed]] as const) {
      store.values(p).set([9, 9]);
      avg.update();
      avg.swapIn();
    }
    expect(Array.from(second.store.values(second.a))).toEqual(Array.from(first.store.values(first.a)));
    expect(() => resumed.restore([], 0)).toThrow(/average\.a is missing/);
    expect(() => new ParameterAverage(first.store.kernels, first.params, 1)).toThrow(/decay/);
  });
});
