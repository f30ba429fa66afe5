/**
 * Paired significance tests between two configurations, A (the baseline) and B.
 *
 * The unit is the test document: what is independent is the documents (and the folds they fall in), not the seeds,
 * which train again on the same data and score the same documents. So each document's strict TP/FP/FN are summed
 * over the seeds that both configurations ran (seeds averaged within a document: micro F1 does not change when
 * every document's counts are scaled alike), items are paired by (fold, document), and the statistic is the
 * difference of micro F1 over all items, F1(B) - F1(A), computed from summed TP/FP/FN (micro F1 is not a mean of
 * per-document values, so the tests recompute it on each resample).
 *
 * - Approximate randomization (Noreen 1989; Yeh 2000): under H0 the labels A/B of each pair are exchangeable, so
 *   swap them with probability 1/2 per item and count how often |difference| is at least the observed one.
 *   p = (count + 1) / (R + 1). With 2^n <= R the 2^n assignments are enumerated and p is exact.
 * - Paired bootstrap (Efron & Tibshirani 1993; Koehn 2004): resample items with replacement; the 2.5 and 97.5
 *   percentiles of the resampled difference give the 95% confidence interval; the two-sided p-value counts
 *   resamples whose difference is at least |observed| away from the observed one (the shifted null).
 *
 * The same machinery compares per-run costs (time, memory) with the mean as statistic; the unit is the fold, each
 * fold's cost averaged over the seeds both configurations ran. Everything is seeded: same inputs and seed, same
 * p-values.
 *
 * A study tests several configurations against one baseline, so p-values are corrected within each family of
 * tests (one hypothesis, every configuration) by Holm's step-down method (`holm`). A p-value cannot go below what
 * the test can produce (`pFloor`): 1/(R + 1) for R random swaps, 2/2^n for the exact test on n pairs.
 */
import { documentGroup } from '../corpus/unlabelled.js';
import { mulberry32, type Random } from '../random.js';
import type { DocCounts, RunRecord, Task } from './record.js';

/**
 * What the F1 tests resample: the test document, or the group it belongs to when documents are parts of one
 * source (an ADE "document" is one sentence of a PubMed abstract; its sibling sentences share drugs, phrasing and
 * annotator, so they are not independent, and the article is the unit). A unit's counts are summed over its
 * documents (micro F1 is unchanged by the grouping; only the resampling is).
 */
export interface TestUnit {
  /** The unit a test document belongs to. */
  of: (documentId: string) => string;
  /** Plural noun for reports: `documents`, `articles`. */
  plural: string;
}

export const DOCUMENT_UNIT: TestUnit = { of: (id) => id, plural: 'documents' };

/** The unit of a corpus format: articles for ADE, documents otherwise. */
export function testUnitFor(format: string | undefined): TestUnit {
  return format === 'ade' ? { of: (id) => documentGroup(id, 'ade'), plural: 'articles' } : DOCUMENT_UNIT;
}

export interface Pair<T> {
  a: T;
  b: T;
}

export interface TestOptions {
  iterations: number;
  seed: number;
}

export interface PairedTestResult {
  /** Number of paired items. */
  n: number;
  statisticA: number;
  statisticB: number;
  /** statisticB - statisticA. */
  difference: number;
  pRandomization: number;
  /** Whether the randomization p-value is exact (all 2^n assignments enumerated). */
  exact: boolean;
  /** The smallest randomization p-value this test can give: 2/2^n when exact, else 1/(iterations + 1). */
  pFloor: number;
  pBootstrap: number;
  /** Bootstrap 95% confidence interval of the difference. */
  ci95: [number, number];
  iterations: number;
  seed: number;
}

/** Tolerance for "at least as extreme": sums in another order may differ in the last bits. */
const EPSILON = 1e-12;

/** F1 of summed counts (0 when there is nothing to find and nothing found). */
export function microF1(items: readonly DocCounts[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const c of items) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** The `q` quantile (0..1) of sorted values, linear interpolation between order statistics. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Approximate randomization p-value of statistic(B) - statistic(A); exact when 2^n <= iterations. */
export function approximateRandomization<T>(
  pairs: readonly Pair<T>[],
  statistic: (side: readonly T[]) => number,
  options: TestOptions,
): { p: number; exact: boolean } {
  const n = pairs.length;
  const observed = Math.abs(statistic(pairs.map((p) => p.b)) - statistic(pairs.map((p) => p.a)));
  const sideA: T[] = new Array<T>(n);
  const sideB: T[] = new Array<T>(n);
  const extremeWith = (swapped: (i: number) => boolean): boolean => {
    for (let i = 0; i < n; i++) {
      const swap = swapped(i);
      sideA[i] = swap ? pairs[i].b : pairs[i].a;
      sideB[i] = swap ? pairs[i].a : pairs[i].b;
    }
    return Math.abs(statistic(sideB) - statistic(sideA)) >= observed - EPSILON;
  };
  if (n <= 30 && 2 ** n <= options.iterations) {
    let count = 0;
    for (let mask = 0; mask < 2 ** n; mask++) if (extremeWith((i) => ((mask >>> i) & 1) === 1)) count++;
    return { p: count / 2 ** n, exact: true };
  }
  const random = mulberry32(options.seed);
  let count = 0;
  for (let r = 0; r < options.iterations; r++) if (extremeWith(() => random() < 0.5)) count++;
  return { p: (count + 1) / (options.iterations + 1), exact: false };
}

/** Paired bootstrap: 95% CI of statistic(B) - statistic(A) and the two-sided shifted-null p-value. */
export function pairedBootstrap<T>(
  pairs: readonly Pair<T>[],
  statistic: (side: readonly T[]) => number,
  options: TestOptions,
): { p: number; ci95: [number, number] } {
  const n = pairs.length;
  if (n === 0) return { p: 1, ci95: [0, 0] };
  const observed = statistic(pairs.map((p) => p.b)) - statistic(pairs.map((p) => p.a));
  // A stream distinct from the randomization test's, so the two tests do not share draws.
  const random: Random = mulberry32((options.seed ^ 0x5bd1e995) >>> 0);
  const sideA: T[] = new Array<T>(n);
  const sideB: T[] = new Array<T>(n);
  const differences: number[] = [];
  let count = 0;
  for (let r = 0; r < options.iterations; r++) {
    for (let i = 0; i < n; i++) {
      const pick = pairs[Math.floor(random() * n)];
      sideA[i] = pick.a;
      sideB[i] = pick.b;
    }
    const d = statistic(sideB) - statistic(sideA);
    differences.push(d);
    if (Math.abs(d - observed) >= Math.abs(observed) - EPSILON) count++;
  }
  differences.sort((x, y) => x - y);
  return { p: (count + 1) / (options.iterations + 1), ci95: [quantile(differences, 0.025), quantile(differences, 0.975)] };
}

/** Both tests on one set of pairs. */
export function pairedTests<T>(
  pairs: readonly Pair<T>[],
  statistic: (side: readonly T[]) => number,
  options: TestOptions,
): PairedTestResult {
  const statisticA = statistic(pairs.map((p) => p.a));
  const statisticB = statistic(pairs.map((p) => p.b));
  const randomization = approximateRandomization(pairs, statistic, options);
  const bootstrap = pairedBootstrap(pairs, statistic, options);
  return {
    n: pairs.length,
    statisticA,
    statisticB,
    difference: statisticB - statisticA,
    pRandomization: randomization.p,
    exact: randomization.exact,
    pFloor: randomizationFloor(pairs.length, randomization.exact, options.iterations),
    pBootstrap: bootstrap.p,
    ci95: bootstrap.ci95,
    iterations: options.iterations,
    seed: options.seed,
  };
}

/** The smallest p-value the randomization test can give for n pairs. */
export function randomizationFloor(n: number, exact: boolean, iterations: number): number {
  if (n === 0) return 1;
  return exact ? Math.min(1, 2 / 2 ** n) : 1 / (iterations + 1);
}

/** Whether a p-value is at the floor of its test (so "p = floor" means "p <= floor"). */
export function atFloor(test: Pick<PairedTestResult, 'pRandomization' | 'pFloor' | 'n'>): boolean {
  return test.n > 0 && test.pRandomization <= test.pFloor * (1 + 1e-9);
}

/**
 * Holm's step-down correction of a family of p-values (Holm 1979): sort ascending, multiply the i-th smallest
 * (0-based) by (m - i), make the sequence non-decreasing, cap at 1. Returns the adjusted values in input order.
 * It controls the family-wise error rate at alpha with no assumption about how the tests depend on each other.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** Runs of two configurations paired by (fold, seed); runs without a partner are left out. */
export function pairRuns(a: readonly RunRecord[], b: readonly RunRecord[]): Pair<RunRecord>[] {
  const key = (r: RunRecord): string => `${r.fold}\u0000${r.seed}`;
  const byKey = new Map(b.map((r) => [key(r), r]));
  const pairs: Pair<RunRecord>[] = [];
  for (const ra of a) {
    const rb = byKey.get(key(ra));
    if (rb) pairs.push({ a: ra, b: rb });
  }
  return pairs;
}

function addCounts(into: DocCounts | undefined, c: DocCounts): DocCounts {
  return into ? { tp: into.tp + c.tp, fp: into.fp + c.fp, fn: into.fn + c.fn } : { ...c };
}

/**
 * Strict counts of one task per test unit (a document, or its group: see `TestUnit`), paired between the two
 * configurations, each summed over the seeds that both ran on that fold and over the unit's documents (runs without
 * a partner are left out, and so are documents one side lacks). A group whose documents fall in several folds
 * (sentence-level folds) is still one unit.
 */
export function pairDocuments(
  a: readonly RunRecord[],
  b: readonly RunRecord[],
  task: Task,
  unit: TestUnit = DOCUMENT_UNIT,
): Pair<DocCounts>[] {
  const sums = new Map<string, { a?: DocCounts; b?: DocCounts; seeds: number }>();
  for (const runs of pairRuns(a, b)) {
    const other = new Map(runs.b.documents.map((d) => [d.id, d]));
    for (const doc of runs.a.documents) {
      const partner = other.get(doc.id);
      if (!partner) continue;
      // Each document is tested in one fold only, so the unit alone identifies the item.
      const key = unit.of(doc.id);
      const entry = sums.get(key) ?? { seeds: 0 };
      entry.a = addCounts(entry.a, doc[task]);
      entry.b = addCounts(entry.b, partner[task]);
      entry.seeds++;
      sums.set(key, entry);
    }
  }
  return [...sums.values()].map((e) => ({ a: e.a!, b: e.b! }));
}

/** A cost per fold, averaged over the seeds both configurations ran on it, paired by fold. */
export function pairFolds(a: readonly RunRecord[], b: readonly RunRecord[], cost: (r: RunRecord) => number): Pair<number>[] {
  const byFold = new Map<number, { a: number[]; b: number[] }>();
  for (const p of pairRuns(a, b)) {
    const entry = byFold.get(p.a.fold) ?? { a: [], b: [] };
    entry.a.push(cost(p.a));
    entry.b.push(cost(p.b));
    byFold.set(p.a.fold, entry);
  }
  return [...byFold.keys()].sort((x, y) => x - y).map((fold) => ({ a: mean(byFold.get(fold)!.a), b: mean(byFold.get(fold)!.b) }));
}

/** Paired tests of micro F1 on one task between configurations A and B, per test unit (seeds summed per unit). */
export function compareF1(
  a: readonly RunRecord[],
  b: readonly RunRecord[],
  task: Task,
  options: TestOptions,
  unit: TestUnit = DOCUMENT_UNIT,
): PairedTestResult {
  return pairedTests(pairDocuments(a, b, task, unit), microF1, options);
}

/** Fold-level paired tests of the mean of a cost (seconds, MiB) between configurations A and B (seeds averaged). */
export function compareCost(
  a: readonly RunRecord[],
  b: readonly RunRecord[],
  cost: (r: RunRecord) => number,
  options: TestOptions,
): PairedTestResult {
  return pairedTests(pairFolds(a, b, cost), mean, options);
}
