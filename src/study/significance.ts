/**
 * Paired significance tests between two configurations, A (the baseline) and B.
 *
 * The unit is the test document of one run: items are paired by (fold, seed, document), pooling folds and seeds,
 * and the statistic is the difference of micro F1 over all items, F1(B) - F1(A), computed from summed TP/FP/FN
 * (micro F1 is not a mean of per-document values, so the tests recompute it on each resample).
 *
 * - Approximate randomization (Noreen 1989; Yeh 2000): under H0 the labels A/B of each pair are exchangeable, so
 *   swap them with probability 1/2 per item and count how often |difference| is at least the observed one.
 *   p = (count + 1) / (R + 1). With 2^n <= R the 2^n assignments are enumerated and p is exact.
 * - Paired bootstrap (Efron & Tibshirani 1993; Koehn 2004): resample items with replacement; the 2.5 and 97.5
 *   percentiles of the resampled difference give the 95% confidence interval; the two-sided p-value counts
 *   resamples whose difference is at least |observed| away from the observed one (the shifted null).
 *
 * The same machinery compares per-run costs (time, memory) with the mean as statistic, pairing runs by
 * (fold, seed). Everything is seeded: same inputs and seed, same p-values.
 */
import { mulberry32, type Random } from '../random.js';
import type { DocCounts, RunRecord, Task } from './record.js';

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
    pBootstrap: bootstrap.p,
    ci95: bootstrap.ci95,
    iterations: options.iterations,
    seed: options.seed,
  };
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

/** Per-document strict counts of one task, paired by (fold, seed, document). */
export function pairDocuments(a: readonly RunRecord[], b: readonly RunRecord[], task: Task): Pair<DocCounts>[] {
  const pairs: Pair<DocCounts>[] = [];
  for (const runs of pairRuns(a, b)) {
    const other = new Map(runs.b.documents.map((d) => [d.id, d]));
    for (const doc of runs.a.documents) {
      const partner = other.get(doc.id);
      if (partner) pairs.push({ a: doc[task], b: partner[task] });
    }
  }
  return pairs;
}

/** Document-level paired tests of micro F1 on one task between configurations A and B. */
export function compareF1(a: readonly RunRecord[], b: readonly RunRecord[], task: Task, options: TestOptions): PairedTestResult {
  return pairedTests(pairDocuments(a, b, task), microF1, options);
}

/** Run-level paired tests of the mean of a cost (seconds, MiB) between configurations A and B. */
export function compareCost(
  a: readonly RunRecord[],
  b: readonly RunRecord[],
  cost: (r: RunRecord) => number,
  options: TestOptions,
): PairedTestResult {
  const pairs = pairRuns(a, b).map((p) => ({ a: cost(p.a), b: cost(p.b) }));
  return pairedTests(pairs, mean, options);
}
