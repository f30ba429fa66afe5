/**
 * From run records to the study's findings: per-configuration means and standard deviations over runs
 * (folds x seeds), paired comparisons of every configuration with the baseline, and a verdict on each hypothesis.
 */
import type { StudyConfig } from './config.js';
import { TASKS, type RunRecord, type Task } from './record.js';
import { compareCost, compareF1, mean, type PairedTestResult } from './significance.js';

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

export const COSTS = ['trainSeconds', 'cpuSeconds', 'peakRssMiB', 'inferenceTokensPerSecond'] as const;
export type Cost = (typeof COSTS)[number];
export const COST_LABELS: Record<Cost, string> = {
  trainSeconds: 'training time (s)',
  cpuSeconds: 'CPU time (s)',
  peakRssMiB: 'peak memory (MiB)',
  inferenceTokensPerSecond: 'inference (tokens/s)',
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
  cost: Record<Cost, MeanSd>;
  parameters: MeanSd;
  /** Mean over runs of each (phase, epoch) present. */
  learningCurve: CurvePoint[];
}

export type Verdict = 'supported' | 'contradicted' | 'inconclusive';

export interface Comparison {
  configuration: string;
  baseline: string;
  f1: Record<Task, PairedTestResult>;
  cost: Record<'trainSeconds' | 'peakRssMiB', PairedTestResult>;
}

export interface HypothesisResult {
  id: 'H1' | 'H2' | 'H3';
  statement: string;
  /** Overall: supported when every sharing configuration supports it, partly when some do. */
  verdict: 'supported' | 'partly supported' | 'contradicted' | 'not supported / inconclusive';
  perConfiguration: { configuration: string; verdict: Verdict; evidence: string }[];
}

export interface StudySummary {
  baseline: string;
  alpha: number;
  configurations: ConfigurationSummary[];
  comparisons: Comparison[];
  hypotheses: HypothesisResult[];
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function nullableMeanSd(values: readonly (number | null)[]): MeanSd | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : meanSd(present);
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
  for (const c of COSTS) cost[c] = meanSd(runs.map((r) => r.cost[c]));
  const points = groupBy(runs.flatMap((r) => r.learningCurve), (p) => `${p.phase}\u0000${p.epoch}`);
  const learningCurve = [...points.values()].map((list) => ({
    phase: list[0].phase,
    epoch: list[0].epoch,
    loss: meanSd(list.map((p) => p.loss)),
    devEntityF1: nullableMeanSd(list.map((p) => p.devEntityF1)),
    devRelationF1: nullableMeanSd(list.map((p) => p.devRelationF1)),
  }));
  return {
    name,
    model: runs[0]?.model ?? '',
    sharing: runs[0]?.sharing ?? '',
    runs: runs.length,
    f1,
    perType,
    cost,
    parameters: meanSd(runs.map((r) => r.parameters.total)),
    learningCurve,
  };
}

/** Verdict on "B is better than A" where better means higher (F1) or lower (cost). */
function verdictOf(test: PairedTestResult, alpha: number, higherIsBetter: boolean): Verdict {
  if (test.n === 0 || test.pRandomization >= alpha || test.difference === 0) return 'inconclusive';
  return test.difference > 0 === higherIsBetter ? 'supported' : 'contradicted';
}

function describeTest(test: PairedTestResult, unit: string, digits: number): string {
  const d = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
  return `${d(test.difference)}${unit} [95% CI ${d(test.ci95[0])}, ${d(test.ci95[1])}], p = ${formatP(test.pRandomization)} (n = ${test.n})`;
}

export function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function overall(verdicts: readonly Verdict[]): HypothesisResult['verdict'] {
  if (verdicts.length === 0) return 'not supported / inconclusive';
  if (verdicts.every((v) => v === 'supported')) return 'supported';
  if (verdicts.some((v) => v === 'supported')) return 'partly supported';
  if (verdicts.every((v) => v === 'contradicted')) return 'contradicted';
  return 'not supported / inconclusive';
}

export function summarizeStudy(records: readonly RunRecord[], study: Pick<StudyConfig, 'baseline' | 'configurations' | 'significance'>): StudySummary {
  const byConfig = groupBy(records, (r) => r.configuration);
  const order = study.configurations.map((c) => c.name).filter((n) => byConfig.has(n));
  const configurations = order.map((name) => summarizeConfiguration(name, byConfig.get(name)!));
  const baselineRuns = byConfig.get(study.baseline) ?? [];
  const options = { iterations: study.significance.iterations, seed: study.significance.seed };
  const alpha = study.significance.alpha;

  const comparisons: Comparison[] = order
    .filter((name) => name !== study.baseline && baselineRuns.length > 0)
    .map((name) => {
      const runs = byConfig.get(name)!;
      const f1 = {} as Comparison['f1'];
      for (const task of TASKS) f1[task] = compareF1(baselineRuns, runs, task, options);
      return {
        configuration: name,
        baseline: study.baseline,
        f1,
        cost: {
          trainSeconds: compareCost(baselineRuns, runs, (r) => r.cost.trainSeconds, options),
          peakRssMiB: compareCost(baselineRuns, runs, (r) => r.cost.peakRssMiB, options),
        },
      };
    });

  // The hypotheses are about sharing: only configurations that share something are evidence.
  const sharingNames = new Set(study.configurations.filter((c) => c.sharing !== 'none').map((c) => c.name));
  const sharing = comparisons.filter((c) => sharingNames.has(c.configuration));
  const f1Hypothesis = (id: 'H1' | 'H2', statement: string, task: Task): HypothesisResult => {
    const perConfiguration = sharing.map((c) => ({
      configuration: c.configuration,
      verdict: verdictOf(c.f1[task], alpha, true),
      evidence: `micro F1 ${describeTest(c.f1[task], '', 4)}`,
    }));
    return { id, statement, verdict: overall(perConfiguration.map((p) => p.verdict)), perConfiguration };
  };
  const h3PerConfiguration = sharing.map((c) => {
    const time = verdictOf(c.cost.trainSeconds, alpha, false);
    const memory = verdictOf(c.cost.peakRssMiB, alpha, false);
    // Both must fall for "supported"; one rising (and the other not falling) contradicts; a mix is inconclusive.
    const both = [time, memory];
    const verdict: Verdict = both.every((v) => v === 'supported')
      ? 'supported'
      : both.includes('contradicted') && !both.includes('supported')
        ? 'contradicted'
        : 'inconclusive';
    // Say which half holds: a significant fall in time alone is still worth reading off the report.
    const part = (v: Verdict): string =>
      v === 'supported' ? 'falls significantly' : v === 'contradicted' ? 'rises significantly' : 'no significant change';
    return {
      configuration: c.configuration,
      verdict,
      evidence: `training time ${describeTest(c.cost.trainSeconds, ' s', 1)} (${part(time)}); ` +
        `peak memory ${describeTest(c.cost.peakRssMiB, ' MiB', 1)} (${part(memory)})`,
    };
  });
  const hypotheses: HypothesisResult[] = [
    f1Hypothesis('H1', `Sharing parameters between NER and RE improves end-to-end RE F1 over ${study.baseline}.`, 'reEndToEnd'),
    f1Hypothesis('H2', `Sharing parameters between NER and RE improves NER F1 over ${study.baseline}.`, 'ner'),
    {
      id: 'H3',
      statement: `Sharing parameters reduces training time and peak memory compared with ${study.baseline}.`,
      verdict: overall(h3PerConfiguration.map((p) => p.verdict)),
      perConfiguration: h3PerConfiguration,
    },
  ];
  return { baseline: study.baseline, alpha, configurations, comparisons, hypotheses };
}
