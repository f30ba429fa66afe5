import { describe, expect, it } from 'vitest';
import {
  approximateRandomization,
  compareCost,
  compareF1,
  mean,
  microF1,
  pairedBootstrap,
  pairedTests,
  quantile,
  type Pair,
} from './significance.js';
import type { DocCounts } from './record.js';
import { fakeRecord } from './test-helpers/records.js';

const c = (tp: number, fp: number, fn: number): DocCounts => ({ tp, fp, fn });
const options = { iterations: 2000, seed: 7 };

describe('microF1', () => {
  it('is 2tp / (2tp + fp + fn) of the summed counts', () => {
    // (1,0,1) + (1,1,0) = (2,1,1): 4 / 6
    expect(microF1([c(1, 0, 1), c(1, 1, 0)])).toBeCloseTo(4 / 6, 12);
    expect(microF1([])).toBe(0);
  });
});

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([0, 10], 0.25)).toBeCloseTo(2.5, 12);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});

describe('paired tests', () => {
  it('identical systems: p = 1 and a CI that contains 0', () => {
    const pairs: Pair<DocCounts>[] = Array.from({ length: 40 }, (_, i) => ({ a: c(i % 5, i % 3, i % 2), b: c(i % 5, i % 3, i % 2) }));
    const result = pairedTests(pairs, microF1, options);
    expect(result.difference).toBe(0);
    expect(result.pRandomization).toBe(1);
    expect(result.pBootstrap).toBe(1);
    expect(result.ci95[0]).toBeLessThanOrEqual(0);
    expect(result.ci95[1]).toBeGreaterThanOrEqual(0);
  });

  it('a system better on every document gets a tiny p and a CI above 0', () => {
    // 30 documents: A finds 2 of 4 entities, B finds 4 of 4.
    const pairs = Array.from({ length: 30 }, () => ({ a: c(2, 1, 2), b: c(4, 0, 0) }));
    const result = pairedTests(pairs, microF1, options);
    // F1(A) = 4 / 7 per document and pooled; F1(B) = 1.
    expect(result.statisticA).toBeCloseTo(4 / 7, 12);
    expect(result.statisticB).toBe(1);
    expect(result.exact).toBe(false);
    // Only the two all-swapped-or-none assignments are as extreme: Monte Carlo finds none, p = 1 / (R + 1).
    expect(result.pRandomization).toBeLessThan(0.002);
    expect(result.pBootstrap).toBeLessThan(0.002);
    expect(result.ci95[0]).toBeGreaterThan(0);
  });

  it('a hand-worked case: exact enumeration of 2^3 swaps gives p = 1/2', () => {
    // d1, d2: A misses the entity B finds; d3: both find it.
    // Observed: A = (1,0,2) -> F1 1/2, B = (3,0,0) -> F1 1, |diff| 1/2.
    // Swapping exactly one of d1, d2 makes both sides (2,0,1): diff 0. Swapping both gives -1/2. d3 swaps nothing.
    // So 4 of the 8 assignments reach |diff| >= 1/2.
    const pairs = [
      { a: c(0, 0, 1), b: c(1, 0, 0) },
      { a: c(0, 0, 1), b: c(1, 0, 0) },
      { a: c(1, 0, 0), b: c(1, 0, 0) },
    ];
    const result = approximateRandomization(pairs, microF1, options);
    expect(result).toEqual({ p: 0.5, exact: true });
  });

  it('is seeded: the same seed repeats the bootstrap, another seed differs', () => {
    const pairs = Array.from({ length: 25 }, (_, i) => ({ a: c(i % 4, 1, i % 3), b: c((i + 1) % 4, i % 2, 1) }));
    const first = pairedBootstrap(pairs, microF1, options);
    expect(pairedBootstrap(pairs, microF1, options)).toEqual(first);
    expect(pairedBootstrap(pairs, microF1, { ...options, seed: 8 }).ci95).not.toEqual(first.ci95);
  });

  it('mean as statistic: runs compared by mean cost', () => {
    const pairs = [
      { a: 10, b: 6 },
      { a: 12, b: 7 },
    ];
    const result = pairedTests(pairs, mean, options);
    expect(result.difference).toBeCloseTo(-4.5, 12);
    // 4 assignments: none/both swapped give |diff| 4.5; one swapped gives |(-4+5)/2| or |(4-5)/2| = 0.5.
    expect(result.pRandomization).toBe(0.5);
  });
});

describe('pairing records', () => {
  it('pairs documents by (fold, seed, document) and skips unpaired ones', () => {
    const a = [
      fakeRecord({ configuration: 'A', fold: 0, seed: 1, docs: { d1: c(1, 0, 1), d2: c(0, 0, 1) } }),
      fakeRecord({ configuration: 'A', fold: 1, seed: 1, docs: { d3: c(1, 0, 0) } }),
    ];
    const b = [
      fakeRecord({ configuration: 'B', fold: 0, seed: 1, docs: { d1: c(2, 0, 0), d2: c(1, 0, 0) } }),
      // fold 1 seed 2 has no partner in A
      fakeRecord({ configuration: 'B', fold: 1, seed: 2, docs: { d3: c(0, 1, 1) } }),
    ];
    const result = compareF1(a, b, 'ner', options);
    expect(result.n).toBe(2);
    // A: (1,0,2) -> 2/4; B: (3,0,0) -> 1
    expect(result.statisticA).toBeCloseTo(0.5, 12);
    expect(result.statisticB).toBe(1);
    const cost = compareCost(a, b, (r) => r.cost.trainSeconds, options);
    expect(cost.n).toBe(1);
  });
});
