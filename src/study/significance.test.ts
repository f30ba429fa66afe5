import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import {
  approximateRandomization,
  atFloor,
  holm,
  pairDocuments,
  pairFolds,
  randomizationFloor,
  compareCost,
  compareF1,
  mean,
  microF1,
  pairedBootstrap,
  pairedTests,
  quantile,
  testUnitFor,
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
  it('pairs documents by (fold, document), sums the seeds both sides ran, and skips unpaired runs', () => {
    const a = [
      fakeRecord({ configuration: 'A', fold: 0, seed: 1, docs: { d1: c(1, 0, 1), d2: c(0, 0, 1) } }),
      fakeRecord({ configuration: 'A', fold: 0, seed: 2, docs: { d1: c(2, 0, 0), d2: c(1, 0, 0) } }),
      fakeRecord({ configuration: 'A', fold: 1, seed: 1, docs: { d3: c(1, 0, 0) } }),
    ];
    const b = [
      fakeRecord({ configuration: 'B', fold: 0, seed: 1, docs: { d1: c(2, 0, 0), d2: c(1, 0, 0) } }),
      fakeRecord({ configuration: 'B', fold: 0, seed: 2, docs: { d1: c(2, 0, 0), d2: c(0, 1, 1) } }),
      // fold 1 seed 2 has no partner in A
      fakeRecord({ configuration: 'B', fold: 1, seed: 2, docs: { d3: c(0, 1, 1) } }),
    ];
    const pairs = pairDocuments(a, b, 'ner');
    // Two documents, each with both seeds summed: d1 A (3,0,1) B (4,0,0); d2 A (1,0,1) B (1,1,1).
    expect(pairs).toEqual([
      { a: c(3, 0, 1), b: c(4, 0, 0) },
      { a: c(1, 0, 1), b: c(1, 1, 1) },
    ]);
    const result = compareF1(a, b, 'ner', options);
    expect(result.n).toBe(2);
    // A: (4,0,2) -> 8/10; B: (5,1,1) -> 10/12
    expect(result.statisticA).toBeCloseTo(0.8, 12);
    expect(result.statisticB).toBeCloseTo(10 / 12, 12);
    // Costs: one unit per fold, seeds averaged (fold 1 has no pair).
    expect(pairFolds(a, b, (r) => r.seed * 10)).toEqual([{ a: 15, b: 15 }]);
    expect(compareCost(a, b, (r) => r.cost.trainSeconds, options).n).toBe(1);
  });

  it('makes the article the unit for ADE: sentences of one abstract are summed, even across folds', () => {
    // ADE ids are PMID-sentence; article 100 has sentences in folds 0 and 1 (a sentence-level split).
    const a = [
      fakeRecord({ configuration: 'A', fold: 0, seed: 1, docs: { '100-1': c(1, 0, 1), '200-1': c(0, 0, 1) } }),
      fakeRecord({ configuration: 'A', fold: 1, seed: 1, docs: { '100-2': c(2, 0, 0), '300-1': c(1, 0, 0) } }),
    ];
    const b = [
      fakeRecord({ configuration: 'B', fold: 0, seed: 1, docs: { '100-1': c(2, 0, 0), '200-1': c(1, 0, 0) } }),
      fakeRecord({ configuration: 'B', fold: 1, seed: 1, docs: { '100-2': c(1, 1, 1), '300-1': c(0, 1, 1) } }),
    ];
    const ade = testUnitFor('ade');
    expect(ade.plural).toBe('articles');
    expect(pairDocuments(a, b, 'ner', ade)).toEqual([
      { a: c(3, 0, 1), b: c(3, 1, 1) },
      { a: c(0, 0, 1), b: c(1, 0, 0) },
      { a: c(1, 0, 0), b: c(0, 1, 1) },
    ]);
    expect(pairDocuments(a, b, 'ner')).toHaveLength(4);
    // Grouping changes what is resampled, never the statistic itself.
    const byArticle = compareF1(a, b, 'ner', options, ade);
    const byDocument = compareF1(a, b, 'ner', options);
    expect(byArticle.n).toBe(3);
    expect(byArticle.statisticA).toBeCloseTo(byDocument.statisticA, 12);
    expect(byArticle.statisticB).toBeCloseTo(byDocument.statisticB, 12);
    expect(testUnitFor('brat').plural).toBe('documents');
  });
});

describe('floors and multiple testing', () => {
  it('knows the smallest p-value each test can give', () => {
    // Six pairs enumerated exactly: 2 of 64 sign assignments are as extreme as the observed one.
    expect(randomizationFloor(6, true, 10_000)).toBeCloseTo(0.03125, 12);
    expect(randomizationFloor(40, false, 1999)).toBe(5e-4);
    const six = pairedTests(Array.from({ length: 6 }, (_, i) => ({ a: 10 + i, b: 5 + i })), mean, { iterations: 100, seed: 1 });
    expect(six.exact).toBe(true);
    expect(six.pRandomization).toBeCloseTo(0.03125, 12);
    expect(atFloor(six)).toBe(true);
    const many = pairedTests(Array.from({ length: 30 }, () => ({ a: c(2, 1, 2), b: c(4, 0, 0) })), microF1, { iterations: 1999, seed: 1 });
    expect(many.pRandomization).toBe(5e-4);
    expect(atFloor(many)).toBe(true);
  });

  it("Holm's step-down: hand-worked values, order kept, capped at 1", () => {
    // Sorted 0.01, 0.02, 0.04, 0.5 times 4, 3, 2, 1 -> 0.04, 0.06, 0.08, 0.5 (already non-decreasing).
    const adjusted = holm([0.04, 0.5, 0.01, 0.02]);
    [0.08, 0.5, 0.04, 0.06].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    // Monotone: 0.03 x 2 = 0.06 would sit above 0.04 x 1, so the larger one carries over.
    expect(holm([0.03, 0.04])).toEqual([0.06, 0.06]);
    expect(holm([0.9, 0.8])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});

/**
 * Simulated studies with a known answer. Each document has 10 gold relations and a difficulty shared by both
 * configurations and every seed; each configuration adds its own per-document effect (shared by its seeds, mean 0),
 * and each seed draws which gold relations are found. B finds each with probability `lift` more than A.
 */
function simulateStudy(seed: number, lift: number, documents = 30, seeds = 3): { a: ReturnType<typeof fakeRecord>[]; b: ReturnType<typeof fakeRecord>[] } {
  const random = mulberry32(seed);
  const docs = Array.from({ length: documents }, (_, i) => ({
    id: `d${i}`,
    difficulty: 0.45 + 0.3 * random(),
    effectA: (random() - 0.5) * 0.3,
    effectB: (random() - 0.5) * 0.3,
  }));
  const counts = (p: number): DocCounts => {
    let tp = 0;
    for (let g = 0; g < 10; g++) if (random() < p) tp++;
    const fp = random() < 0.5 ? 1 : 0;
    return c(tp, fp, 10 - tp);
  };
  const clamp = (p: number) => Math.min(0.98, Math.max(0.02, p));
  const a = [];
  const b = [];
  for (let s = 1; s <= seeds; s++) {
    a.push(fakeRecord({ configuration: 'A', fold: 0, seed: s, docs: Object.fromEntries(docs.map((d) => [d.id, counts(clamp(d.difficulty + d.effectA))])) }));
    b.push(fakeRecord({ configuration: 'B', fold: 0, seed: s, docs: Object.fromEntries(docs.map((d) => [d.id, counts(clamp(d.difficulty + d.effectB + lift))])) }));
  }
  return { a, b };
}

describe('error rates on simulated studies (fixed seeds)', () => {
  const studies = 200;
  const alpha = 0.05;
  const test = { iterations: 400, seed: 11 };
  const rejections = (lift: number, pick: 'documents' | 'seeds as items'): number => {
    let count = 0;
    for (let s = 0; s < studies; s++) {
      const { a, b } = simulateStudy(1000 + s, lift);
      const pairs = pick === 'documents'
        ? pairDocuments(a, b, 'ner')
        // The old way: every (seed, document) as its own item.
        : a.flatMap((ra, i) => ra.documents.map((d, j) => ({ a: d.ner, b: b[i].documents[j].ner })));
      if (approximateRandomization(pairs, microF1, test).p < alpha) count++;
    }
    return count / studies;
  };

  it('finds a true difference of 12 points of recall in at least 90% of studies', () => {
    expect(rejections(0.12, 'documents')).toBeGreaterThanOrEqual(0.9);
  });

  it('rejects a null difference at about the stated 5%, where pooling seeds as documents rejects far more often', () => {
    const documents = rejections(0, 'documents');
    // 200 studies at a true rate of 5%: 10 expected, sd 3.1; 9% is 2.6 sd above.
    expect(documents).toBeLessThanOrEqual(0.09);
    // Pooling seeds treats each configuration's per-document effect as if it were new evidence three times.
    expect(rejections(0, 'seeds as items')).toBeGreaterThan(documents + 0.05);
  });

  it("Holm keeps the family-wise error near alpha for three null comparisons, where raw p-values do not", () => {
    let raw = 0;
    let corrected = 0;
    for (let s = 0; s < studies; s++) {
      const p = [0, 1, 2].map((k) => {
        const { a, b } = simulateStudy(5000 + 3 * s + k, 0, 20, 1);
        return approximateRandomization(pairDocuments(a, b, 'ner'), microF1, test).p;
      });
      if (p.some((v) => v < alpha)) raw++;
      if (holm(p).some((v) => v < alpha)) corrected++;
    }
    expect(corrected / studies).toBeLessThanOrEqual(0.09);
    expect(raw).toBeGreaterThan(corrected);
  });
});
