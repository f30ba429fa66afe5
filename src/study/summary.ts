/**
 * From run records to the study's findings: per-configuration means and standard deviations over runs
 * (folds x seeds), paired comparisons of every configuration with the baseline, and a verdict on each hypothesis.
 */
import type { TagLayout } from '../models/tag-layers.js';
import type { StudyConfig } from './config.js';
import { TASKS, type RunRecord, type Task } from './record.js';
import { atFloor, compareCost, compareF1, DOCUMENT_UNIT, holm, mean, type PairedTestResult, type TestUnit } from './significance.js';
import { groupBy } from '../group-by.js';

export interface MeanSd {
  mean: number;
  /** Sample standard deviation (n - 1); 0 with one value. */
  sd: number;
  n: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, n: 0 };
  const m = mean(values);
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1)) : 0;
  return { mean: m, sd, n };
}

export const COSTS = ['trainSeconds', 'cpuSeconds', 'arenaPeakMiB', 'modelStateMiB', 'peakRssMiB', 'inferenceTokensPerSecond'] as const;
export type Cost = (typeof COSTS)[number];
export const COST_LABELS: Record<Cost, string> = {
  trainSeconds: 'training time (s)',
  cpuSeconds: 'CPU time (s)',
  arenaPeakMiB: 'model memory (MiB)',
  modelStateMiB: 'parameters + Adam (MiB)',
  peakRssMiB: 'process peak RSS (MiB)',
  inferenceTokensPerSecond: 'inference (tokens/s)',
};

/** Costs compared with the baseline by a paired test (the model state is fixed by the architecture: no test). */
export const TESTED_COSTS = ['trainSeconds', 'arenaPeakMiB', 'cpuSeconds', 'peakRssMiB'] as const;
export type TestedCost = (typeof TESTED_COSTS)[number];

/**
 * Families of tests corrected together (Holm): each primary hypothesis over every configuration, and the
 * secondary measures (RE on gold entities, CPU time, process RSS) together.
 */
export type Family = 'H1' | 'H2' | 'H3-time' | 'H3-memory' | 'secondary';
export const TASK_FAMILY: Record<Task, Family> = { reEndToEnd: 'H1', ner: 'H2', reGold: 'secondary' };
export const COST_FAMILY: Record<TestedCost, Family> = {
  trainSeconds: 'H3-time',
  arenaPeakMiB: 'H3-memory',
  cpuSeconds: 'secondary',
  peakRssMiB: 'secondary',
};

export interface CurvePoint {
  phase: string;
  epoch: number;
  loss: MeanSd;
  devEntityF1: MeanSd | null;
  devRelationF1: MeanSd | null;
}

export interface ConfigurationSummary {
  name: string;
  model: string;
  sharing: string;
  runs: number;
  f1: Record<Task, { strict: MeanSd; lenient: MeanSd }>;
  /** Strict F1 per type, mean over runs (types in the order the scorer gave them). */
  perType: Record<Task, { type: string; support: number; strictF1: MeanSd }[]>;
  /**
   * NER strict F1 macro-averaged over entity types: per run, the mean of the per-type F1s over the types its test
   * documents have, then mean ± sd over runs. The published ADE results are macro F1 (Bekoulis et al. 2018: NER
   * 86.4, RE 74.6); micro F1, everywhere else in the report, weighs every entity the same instead of every type.
   */
  nerMacroStrict: MeanSd;
  /** Means over runs; n = 0 (mean NaN) when no record has the figure. */
  cost: Record<Cost, MeanSd>;
  parameters: MeanSd;
  /** Mean over runs of each (phase, epoch) present. */
  learningCurve: CurvePoint[];
  /**
   * End-to-end RE under the published ADE protocol (relations between overlapping entities removed), over the runs
   * that recorded it; null when no run recorded it.
   */
  withoutOverlapping: {
    /** Runs that measured it; both strict columns are over these runs. */
    runs: number;
    /** End-to-end RE strict F1 with all relations, over the same runs. */
    allStrict: MeanSd;
    strict: MeanSd;
    lenient: MeanSd;
    /** Gold relations removed, counted once per test fold (seeds score the same documents). */
    goldRelationsRemoved: number;
  } | null;
}

export type Verdict = 'supported' | 'contradicted' | 'inconclusive';

/** One paired test of one measure, with its family, its Holm-corrected p-value and its verdict. */
export interface TestedDifference extends PairedTestResult {
  family: Family;
  /** Holm-corrected randomization p-value within the family. */
  pHolm: number;
  /** The raw p-value is the smallest the test can give (read "p <= pFloor"). */
  atFloor: boolean;
  /** On the corrected p: supported = better (higher F1, lower cost) with pHolm < alpha. */
  verdict: Verdict;
}

export interface Comparison {
  configuration: string;
  baseline: string;
  f1: Record<Task, TestedDifference>;
  cost: Record<TestedCost, TestedDifference>;
}

export type HypothesisId = 'H1' | 'H2' | 'H3-time' | 'H3-memory';

export interface HypothesisResult {
  id: HypothesisId;
  statement: string;
  /** One line: the verdict of each configuration (there is no pooled verdict). */
  verdict: string;
  perConfiguration: { configuration: string; verdict: Verdict; evidence: string }[];
}

/** A run whose best dev score came at its last epoch of a phase: it was stopped while still improving. */
export interface ConvergenceFlag {
  run: string;
  configuration: string;
  phase: string;
  bestEpoch: number;
  epochs: number;
}

/** Where lenient F1 sits below strict F1 (possible for relations under the official duplicate rule). */
export interface LenientBelowStrict {
  configuration: string;
  task: Task;
  strict: number;
  lenient: number;
}

export interface StudySummary {
  baseline: string;
  alpha: number;
  /** What the F1 tests resampled, plural (`documents`, or `articles` for ADE's sentences): see `TestUnit`. */
  f1Unit: string;
  configurations: ConfigurationSummary[];
  comparisons: Comparison[];
  hypotheses: HypothesisResult[];
  /** Runs stopped while their dev score still rose; `judged` runs had a dev set to judge by. */
  convergence: { flagged: ConvergenceFlag[]; judged: number; runs: number };
  lenientBelowStrict: LenientBelowStrict[];
  /** Runs per tag layout their models used (`tagLayers: "auto"` decides per training part); older records: none. */
  tagLayouts: Partial<Record<TagLayout, number>>;
  /** Runs per relation decision weight (`noneWeight: "tune"` chooses per training part), lightest first; older records: none. */
  noneWeights: { noneWeight: number; runs: number }[];
}


function nullableMeanSd(values: readonly (number | null)[]): MeanSd | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : meanSd(present);
}

/**
 * A run's NER strict F1 averaged over entity types: the scorer's macro (every type found in gold or prediction);
 * records written before it was kept fall back to the types the test documents have (null: none).
 */
function macroOverTypes(run: RunRecord): number | null {
  if (run.scores.ner.macroStrictF1 !== undefined) return run.scores.ner.macroStrictF1;
  const occurring = run.scores.ner.perType.filter((row) => row.support > 0);
  return occurring.length === 0 ? null : occurring.reduce((sum, row) => sum + row.strictF1, 0) / occurring.length;
}

export function summarizeConfiguration(name: string, runs: readonly RunRecord[]): ConfigurationSummary {
  const f1 = {} as ConfigurationSummary['f1'];
  const perType = {} as ConfigurationSummary['perType'];
  for (const task of TASKS) {
    f1[task] = {
      strict: meanSd(runs.map((r) => r.scores[task].strict.f1)),
      lenient: meanSd(runs.map((r) => r.scores[task].lenient.f1)),
    };
    const rows = groupBy(runs.flatMap((r) => r.scores[task].perType), (row) => row.type);
    perType[task] = [...rows].map(([type, list]) => ({
      type,
      support: list.reduce((s, row) => s + row.support, 0),
      strictF1: meanSd(list.map((row) => row.strictF1)),
    }));
  }
  const cost = {} as ConfigurationSummary['cost'];
  for (const c of COSTS) cost[c] = meanSd(runs.map((r) => r.cost[c]).filter((v): v is number => v !== null));
  const points = groupBy(runs.flatMap((r) => r.learningCurve), (p) => `${p.phase}\u0000${p.epoch}`);
  const learningCurve = [...points.values()].map((list) => ({
    phase: list[0].phase,
    epoch: list[0].epoch,
    loss: meanSd(list.map((p) => p.loss)),
    devEntityF1: nullableMeanSd(list.map((p) => p.devEntityF1)),
    devRelationF1: nullableMeanSd(list.map((p) => p.devRelationF1)),
  }));
  // Both columns over the same runs (those that measured it); the removed gold relations once per test fold (every
  // seed scores the same test documents), so the count reads as a corpus count.
  const measured = runs.filter((r) => r.withoutOverlapping !== null);
  const removedPerFold = new Map(measured.map((r) => [r.fold, r.withoutOverlapping!.goldRelationsRemoved]));
  const withoutOverlapping =
    measured.length === 0
      ? null
      : {
          runs: measured.length,
          allStrict: meanSd(measured.map((r) => r.scores.reEndToEnd.strict.f1)),
          strict: meanSd(measured.map((r) => r.withoutOverlapping!.reEndToEnd.strict.f1)),
          lenient: meanSd(measured.map((r) => r.withoutOverlapping!.reEndToEnd.lenient.f1)),
          goldRelationsRemoved: [...removedPerFold.values()].reduce((sum, n) => sum + n, 0),
        };
  return {
    name,
    model: runs[0]?.model ?? '',
    sharing: runs[0]?.sharing ?? '',
    runs: runs.length,
    f1,
    perType,
    nerMacroStrict: meanSd(runs.map(macroOverTypes).filter((v): v is number => v !== null)),
    cost,
    parameters: meanSd(runs.map((r) => r.parameters.total)),
    learningCurve,
    withoutOverlapping,
  };
}

/** Verdict on "B is better than A" where better means higher (F1) or lower (cost), on the corrected p. */
function verdictOf(test: PairedTestResult, pHolm: number, alpha: number, higherIsBetter: boolean): Verdict {
  if (test.n === 0 || pHolm >= alpha || test.difference === 0) return 'inconclusive';
  return test.difference > 0 === higherIsBetter ? 'supported' : 'contradicted';
}

export function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** "p = 0.031" or "p <= 0.031 (floor)" for a p-value at the smallest its test can give. */
export function formatRawP(test: Pick<TestedDifference, 'pRandomization' | 'atFloor'>): string {
  return test.atFloor ? `≤ ${formatP(test.pRandomization)} (floor)` : formatP(test.pRandomization);
}

function describeTest(test: TestedDifference, unit: string, digits: number, items: string): string {
  const d = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
  return (
    `${d(test.difference)}${unit} [95% CI ${d(test.ci95[0])}, ${d(test.ci95[1])}], ` +
    `p ${test.atFloor ? '≤' : '='} ${formatP(test.pRandomization)}${test.atFloor ? ' (the floor of the test)' : ''}, ` +
    `Holm-corrected p = ${formatP(test.pHolm)} (n = ${test.n} ${items})`
  );
}

/** Dev score of a learning-curve point: what early stopping compared, or for older records its best stand-in. */
function devScoreOf(p: RunRecord['learningCurve'][number]): number | null {
  if (p.devScore !== null) return p.devScore;
  if (p.devEntityF1 !== null && p.devRelationF1 !== null) return (p.devEntityF1 + p.devRelationF1) / 2;
  return p.devEntityF1 ?? p.devRelationF1;
}

/**
 * Runs stopped while still improving: in some phase, the best dev score (first epoch reaching the maximum, as early
 * stopping keeps it) is that phase's last epoch. Early stopping with patience ends a phase only after epochs without
 * a better score, so those phases are never flagged; a phase cut by the epoch limit at its best is.
 */
export function convergenceFlags(records: readonly RunRecord[]): StudySummary['convergence'] {
  const flagged: ConvergenceFlag[] = [];
  let judged = 0;
  for (const r of records) {
    // Each ensemble member stops early by itself: judge each member's phases apart.
    const phases = groupBy(r.learningCurve, (p) => `${p.phase}\u0000${p.member ?? 1}`);
    let hasDev = false;
    for (const points of phases.values()) {
      const member = points[0].member;
      const phase = member === undefined ? points[0].phase : `${points[0].phase}, member ${member}`;
      const scored = points.map((p) => ({ epoch: p.epoch, score: devScoreOf(p) })).filter((p): p is { epoch: number; score: number } => p.score !== null);
      if (scored.length === 0) continue;
      hasDev = true;
      let best = scored[0];
      for (const p of scored) if (p.score > best.score) best = p;
      const last = Math.max(...points.map((p) => p.epoch));
      if (best.epoch === last) flagged.push({ run: r.id, configuration: r.configuration, phase, bestEpoch: best.epoch, epochs: last });
    }
    if (hasDev) judged++;
  }
  return { flagged, judged, runs: records.length };
}

export function lenientBelowStrict(configurations: readonly ConfigurationSummary[]): LenientBelowStrict[] {
  const rows: LenientBelowStrict[] = [];
  for (const c of configurations) {
    for (const task of TASKS) {
      const { strict, lenient } = c.f1[task];
      if (strict.n > 0 && lenient.mean < strict.mean - 1e-9) rows.push({ configuration: c.name, task, strict: strict.mean, lenient: lenient.mean });
    }
  }
  return rows;
}

const VERDICT_ORDER: Verdict[] = ['supported', 'contradicted', 'inconclusive'];

/** "supported for a; inconclusive for b, c" (no pooled verdict: each configuration stands alone). */
function verdictLine(perConfiguration: HypothesisResult['perConfiguration']): string {
  if (perConfiguration.length === 0) return 'inconclusive (no configuration that shares parameters has records)';
  return VERDICT_ORDER.flatMap((v) => {
    const names = perConfiguration.filter((p) => p.verdict === v).map((p) => p.configuration);
    return names.length === 0 ? [] : [`${v} for ${names.join(', ')}`];
  }).join('; ');
}

export function summarizeStudy(
  records: readonly RunRecord[],
  study: Pick<StudyConfig, 'baseline' | 'configurations' | 'significance'>,
  unit: TestUnit = DOCUMENT_UNIT,
): StudySummary {
  const byConfig = groupBy(records, (r) => r.configuration);
  const order = study.configurations.map((c) => c.name).filter((n) => byConfig.has(n));
  const configurations = order.map((name) => summarizeConfiguration(name, byConfig.get(name)!));
  const baselineRuns = byConfig.get(study.baseline) ?? [];
  const options = { iterations: study.significance.iterations, seed: study.significance.seed };
  const alpha = study.significance.alpha;
  const withCost = (runs: readonly RunRecord[], cost: TestedCost) => runs.filter((r) => r.cost[cost] !== null);

  type Raw = { configuration: string; f1: Record<Task, PairedTestResult>; cost: Record<TestedCost, PairedTestResult> };
  const raw: Raw[] = order
    .filter((name) => name !== study.baseline && baselineRuns.length > 0)
    .map((name) => {
      const runs = byConfig.get(name)!;
      const f1 = {} as Raw['f1'];
      for (const task of TASKS) f1[task] = compareF1(baselineRuns, runs, task, options, unit);
      const cost = {} as Raw['cost'];
      for (const c of TESTED_COSTS) cost[c] = compareCost(withCost(baselineRuns, c), withCost(runs, c), (r) => r.cost[c] as number, options);
      return { configuration: name, f1, cost };
    });

  // Holm within each family, over every configuration compared with the baseline.
  const members: { family: Family; test: PairedTestResult; set: (t: TestedDifference) => void; higherIsBetter: boolean }[] = [];
  const comparisons: Comparison[] = raw.map((r) => {
    const comparison = { configuration: r.configuration, baseline: study.baseline, f1: {}, cost: {} } as Comparison;
    for (const task of TASKS) {
      members.push({ family: TASK_FAMILY[task], test: r.f1[task], higherIsBetter: true, set: (t) => (comparison.f1[task] = t) });
    }
    for (const c of TESTED_COSTS) {
      members.push({ family: COST_FAMILY[c], test: r.cost[c], higherIsBetter: false, set: (t) => (comparison.cost[c] = t) });
    }
    return comparison;
  });
  for (const [family, list] of groupBy(members, (m) => m.family)) {
    const adjusted = holm(list.map((m) => (m.test.n === 0 ? 1 : m.test.pRandomization)));
    list.forEach((m, i) => m.set({
      ...m.test,
      family: family as Family,
      pHolm: adjusted[i],
      atFloor: atFloor(m.test),
      verdict: verdictOf(m.test, adjusted[i], alpha, m.higherIsBetter),
    }));
  }

  // The hypotheses are about sharing: only configurations that share something are evidence.
  const sharingNames = new Set(study.configurations.filter((c) => c.sharing !== 'none').map((c) => c.name));
  const sharing = comparisons.filter((c) => sharingNames.has(c.configuration));
  const hypothesis = (id: HypothesisId, statement: string, pick: (c: Comparison) => TestedDifference, describe: (t: TestedDifference) => string): HypothesisResult => {
    const perConfiguration = sharing.map((c) => ({ configuration: c.configuration, verdict: pick(c).verdict, evidence: describe(pick(c)) }));
    return { id, statement, verdict: verdictLine(perConfiguration), perConfiguration };
  };
  const f1Points = (t: TestedDifference): string =>
    `micro F1 ${describeTest({ ...t, difference: t.difference * 100, ci95: [t.ci95[0] * 100, t.ci95[1] * 100] }, ' points', 2, unit.plural)}`;
  const hypotheses: HypothesisResult[] = [
    hypothesis('H1', `Sharing parameters between NER and RE improves end-to-end RE F1 over ${study.baseline}.`, (c) => c.f1.reEndToEnd, f1Points),
    hypothesis('H2', `Sharing parameters between NER and RE improves NER F1 over ${study.baseline}.`, (c) => c.f1.ner, f1Points),
    hypothesis('H3-time', `Sharing parameters reduces training time compared with ${study.baseline}.`, (c) => c.cost.trainSeconds, (t) => `training wall time ${describeTest(t, ' s', 1, 'folds')}`),
    hypothesis('H3-memory', `Sharing parameters reduces the model's memory compared with ${study.baseline}.`, (c) => c.cost.arenaPeakMiB, (t) => `engine arena peak ${describeTest(t, ' MiB', 2, 'folds')}`),
  ];
  return {
    baseline: study.baseline,
    alpha,
    f1Unit: unit.plural,
    configurations,
    comparisons,
    hypotheses,
    convergence: convergenceFlags(records),
    lenientBelowStrict: lenientBelowStrict(configurations),
    tagLayouts: countTagLayouts(records),
    noneWeights: countNoneWeights(records),
  };
}

// An array, not a record keyed by weight: a record would list integer keys before "0.25".
function countNoneWeights(records: readonly RunRecord[]): { noneWeight: number; runs: number }[] {
  const counts = new Map<number, number>();
  for (const r of records) if (r.noneWeight !== null) counts.set(r.noneWeight, (counts.get(r.noneWeight) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b).map(([noneWeight, runs]) => ({ noneWeight, runs }));
}

function countTagLayouts(records: readonly RunRecord[]): Partial<Record<TagLayout, number>> {
  const counts: Partial<Record<TagLayout, number>> = {};
  for (const r of records) if (r.tagLayers !== null) counts[r.tagLayers] = (counts[r.tagLayers] ?? 0) + 1;
  return counts;
}
