/**
 * What the report says, as blocks: the question, the method, the results tables, the charts, the comparisons with
 * the baseline, and each hypothesis with its verdict. Shared by the Markdown report, the HTML page and the poster.
 */
import type { StudyConfig } from '../config.js';
import { TASK_LABELS, TASKS, type Task } from '../record.js';
import {
  COST_FAMILY,
  COST_LABELS,
  COSTS,
  formatP,
  formatRawP,
  TASK_FAMILY,
  TESTED_COSTS,
  type Comparison,
  type MeanSd,
  type StudySummary,
  type TestedDifference,
} from '../summary.js';
import type { Block } from './blocks.js';
import { costChart, f1Chart, forestPlot, learningCurveChart, perTypeChart, REPORT_CHART, type ChartSize, type ForestRow } from './charts.js';

export interface ReportContext {
  generatedAt: string;
  codeVersion: string;
  corpus: {
    source: string;
    documents: number;
    hash: string;
    cleaning: { changes: number; documentsBefore: number; documentsAfter: number } | null;
  };
  /** How the splits were made (from folds.ts). */
  splitDescription: string;
  study: StudyConfig;
  plannedRuns: number;
  completedRuns: number;
  failed: { id: string; error: string }[];
  /** Record files that could not be read. */
  invalidRecords: string[];
}

export const QUESTION =
  'Does sharing parameters between the NER and RE models improve F1, speed and memory, compared with training them separately?';

export function fmt(v: MeanSd, digits: number): string {
  if (v.n === 0 || Number.isNaN(v.mean)) return '–';
  return v.n > 1 ? `${v.mean.toFixed(digits)} ± ${v.sd.toFixed(digits)}` : v.mean.toFixed(digits);
}

function signed(v: number, digits: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
}

export function questionBlocks(): Block[] {
  return [
    { kind: 'paragraph', text: `**Question.** ${QUESTION}` },
    {
      kind: 'list',
      items: [
        '**H1**: sharing improves relation extraction F1 (end to end).',
        '**H2**: sharing improves NER F1.',
        "**H3**: sharing reduces training time (H3-time) and the model's memory (H3-memory), judged separately.",
      ],
    },
  ];
}

export function methodBlocks(ctx: ReportContext, summary: StudySummary): Block[] {
  const s = ctx.study;
  const cleaning = ctx.corpus.cleaning
    ? `cleaned with every rule of \`medrex clean\` (${ctx.corpus.cleaning.changes} changes, ${ctx.corpus.cleaning.documentsBefore} → ${ctx.corpus.cleaning.documentsAfter} documents)`
    : 'not cleaned';
  const overrides = Object.keys(s.model).length > 0 ? `\`${JSON.stringify(s.model)}\`` : 'none (model defaults)';
  return [
    {
      kind: 'list',
      items: [
        `**Corpus**: ${ctx.corpus.source}; ${ctx.corpus.documents} documents; ${cleaning}; SHA-256 \`${ctx.corpus.hash.slice(0, 12)}\`.`,
        `**Splits**: ${ctx.splitDescription}; ${Math.round(s.devShare * 100)}% of each training part held out as dev set for early stopping.`,
        `**Seeds**: ${s.seeds.join(', ')}. **Runs**: ${ctx.completedRuns} of ${ctx.plannedRuns} planned have a record.`,
        `**Configurations**: ${s.configurations.map((c) => `\`${c.name}\` (${c.model}, sharing ${c.sharing})`).join('; ')}. Baseline: \`${summary.baseline}\`.`,
        `**Model settings** shared by all configurations: ${overrides}.`,
        '**Scoring**: the n2c2 2018 Track 2 scorer, strict and lenient micro P/R/F1; NER, RE on gold entities (RE in isolation) and RE end to end (on predicted entities).',
        `**Significance**: paired approximate randomization (p-value) and paired bootstrap (95% CI), ${s.significance.iterations} iterations, seed ${s.significance.seed}, on strict micro F1 with **n = documents (seeds averaged within a document)**: each test document's TP/FP/FN are summed over the seeds before resampling, because the seeds score the same documents and are not independent samples. Costs: n = folds (seeds averaged within a fold). p-values are Holm-corrected within each family (H1, H2, H3-time, H3-memory, and the secondary measures); verdicts use the corrected p, α = ${summary.alpha}. A p-value marked "floor" is the smallest its test can give (1/(iterations + 1), or 2/2^n when all 2^n sign swaps of n pairs are enumerated): the true p may be smaller.`,
        `**Costs**: each run in its own process, ${s.parallel === 1 ? '**timed runs one at a time** (no other run shared the machine)' : `${s.parallel} runs at a time (times include contention)`}, training on ${s.threads} thread${s.threads === 1 ? '' : 's'} with the ${s.backend === 'blas' ? 'OpenBLAS' : 'WebAssembly'} kernels: wall time and CPU time (user + system, \`process.cpuUsage\`) of training and inference; the model's memory as the peak of the engine's arena (parameters, gradients, Adam state, activations and scratch of the largest step${s.threads > 1 ? ', plus the fixed regions reserved for the worker threads' : ''}); parameters + Adam state alone; and, for reference, the peak resident memory of the whole process, which is mostly Node itself. Code ${ctx.codeVersion}.`,
      ],
    },
  ];
}

export function mainTable(summary: StudySummary): Block {
  return {
    kind: 'table',
    caption: "Strict micro F1 (lenient in brackets) and costs per run, mean ± sd over folds × seeds. Model MiB: peak of the engine's arena; RSS: the whole process.",
    header: ['configuration', 'runs', ...TASKS.map((t) => TASK_LABELS[t]), 'train s', 'CPU s', 'model MiB', 'RSS MiB', 'parameters'],
    rows: summary.configurations.map((c) => [
      c.name,
      String(c.runs),
      ...TASKS.map((t) => `${fmt(c.f1[t].strict, 3)} (${c.f1[t].lenient.mean.toFixed(3)})`),
      fmt(c.cost.trainSeconds, 1),
      fmt(c.cost.cpuSeconds, 1),
      fmt(c.cost.arenaPeakMiB, 2),
      fmt(c.cost.peakRssMiB, 0),
      Math.round(c.parameters.mean).toLocaleString('en-US'),
    ]),
  };
}

export function perTypeTable(summary: StudySummary, task: Task): Block {
  const types: string[] = [];
  for (const c of summary.configurations) for (const row of c.perType[task]) if (!types.includes(row.type)) types.push(row.type);
  return {
    kind: 'table',
    caption: `${TASK_LABELS[task]}: strict F1 per type (mean ± sd); support = gold count summed over runs' test parts.`,
    header: ['type', 'support', ...summary.configurations.map((c) => c.name)],
    rows: types.map((type) => {
      const support = summary.configurations[0]?.perType[task].find((r) => r.type === type)?.support ?? 0;
      return [
        type,
        String(support),
        ...summary.configurations.map((c) => {
          const row = c.perType[task].find((r) => r.type === type);
          return row ? fmt(row.strictF1, 3) : '–';
        }),
      ];
    }),
  };
}

const COST_DIGITS: Record<(typeof COSTS)[number], number> = {
  trainSeconds: 1,
  cpuSeconds: 1,
  arenaPeakMiB: 2,
  modelStateMiB: 3,
  peakRssMiB: 0,
  inferenceTokensPerSecond: 0,
};

export function costTable(summary: StudySummary): Block {
  return {
    kind: 'table',
    caption: 'Costs per run (mean ± sd).',
    header: ['configuration', ...COSTS.map((c) => COST_LABELS[c])],
    rows: summary.configurations.map((c) => [c.name, ...COSTS.map((k) => fmt(c.cost[k], COST_DIGITS[k]))]),
  };
}

/** What each tested measure is called, its unit and how its difference is printed. */
export const MEASURES: { key: string; label: string; family: string; pick: (c: Comparison) => TestedDifference; scale: number; digits: number; unit: string }[] = [
  ...TASKS.map((task) => ({ key: task, label: `${TASK_LABELS[task]} F1`, family: TASK_FAMILY[task], pick: (c: Comparison) => c.f1[task], scale: 100, digits: 2, unit: 'points' })),
  ...TESTED_COSTS.map((cost) => ({
    key: cost,
    label: COST_LABELS[cost],
    family: COST_FAMILY[cost],
    pick: (c: Comparison) => c.cost[cost],
    scale: 1,
    digits: cost === 'arenaPeakMiB' ? 2 : 1,
    unit: cost.endsWith('MiB') ? 'MiB' : 's',
  })),
];

export function comparisonTable(summary: StudySummary): Block {
  const rows: string[][] = [];
  for (const c of summary.comparisons) {
    for (const m of MEASURES) {
      const t = m.pick(c);
      const v = (x: number) => signed(x * m.scale, m.digits);
      rows.push([c.configuration, m.label, m.family, v(t.difference), `[${v(t.ci95[0])}, ${v(t.ci95[1])}]`, formatRawP(t), formatP(t.pHolm), t.verdict, String(t.n)]);
    }
  }
  return {
    kind: 'table',
    caption: `Difference from the baseline (${summary.baseline}): configuration minus baseline; F1 in points (× 100). n = documents (seeds averaged within a document) for F1, folds (seeds averaged within a fold) for costs. p: paired randomization test, raw and Holm-corrected within the family; "floor" = the smallest p the test can give. Verdict on the corrected p.`,
    header: ['configuration', 'measure', 'family', 'difference', 'bootstrap 95% CI', 'p raw', 'p Holm', 'verdict', 'n'],
    rows,
  };
}

export function hypothesisBlocks(summary: StudySummary): Block[] {
  const blocks: Block[] = [];
  for (const h of summary.hypotheses) {
    blocks.push({ kind: 'paragraph', text: `**${h.id}** — ${h.statement} **Verdict: ${h.verdict}.**` });
    if (h.perConfiguration.length === 0) {
      blocks.push({ kind: 'paragraph', text: 'No configuration that shares parameters has records to compare with the baseline.' });
    } else {
      blocks.push({ kind: 'list', items: h.perConfiguration.map((p) => `\`${p.configuration}\`: **${p.verdict}** — ${p.evidence}`) });
    }
  }
  blocks.push({
    kind: 'paragraph',
    text: `Each configuration gets its own verdict; there is no pooled one. A hypothesis is supported for a configuration when the difference has the hypothesised sign and the Holm-corrected randomization p < ${summary.alpha}; contradicted when the sign is the opposite with corrected p < ${summary.alpha}; otherwise inconclusive (no detectable difference at this sample size, which is not evidence of no difference).`,
  });
  return blocks;
}

/** Runs stopped while their dev score was still rising. */
export function convergenceBlocks(summary: StudySummary): Block[] {
  const { flagged, judged, runs } = summary.convergence;
  if (judged === 0) {
    return [{ kind: 'paragraph', text: 'Convergence cannot be judged: no run had a dev set (devShare 0), so every run trained its full number of epochs.' }];
  }
  const byRun = new Set(flagged.map((f) => f.run));
  if (byRun.size === 0) {
    return [{ kind: 'paragraph', text: `**Convergence**: every one of the ${judged} runs with a dev set reached its best dev score before its last epoch (none was stopped while still improving).` }];
  }
  const items = flagged.map((f) => `\`${f.run}\` (${f.phase} phase): best dev score at epoch ${f.bestEpoch} of ${f.epochs}`);
  return [
    {
      kind: 'paragraph',
      text: `**Convergence: ${byRun.size} of ${judged} runs were stopped while their dev score was still improving** (best at the last epoch of a phase), so their scores may understate what the model reaches with more epochs; raise \`model.epochs\` to compare converged models.${runs > judged ? ` ${runs - judged} runs had no dev set to judge by.` : ''}`,
    },
    { kind: 'list', items },
  ];
}

/** Why lenient F1 can sit below strict F1 for relations, and where it does. */
export function lenientBlocks(summary: StudySummary): Block[] {
  const rows = summary.lenientBelowStrict;
  const rule =
    'The official n2c2 scorer pares duplicates down before counting (src/eval/README.md, rule 4): walking the system annotations in file order, one that equals a gold annotation already marked by an earlier system annotation is dropped, even when it also equals another gold annotation. Lenient matching (overlapping spans) makes more pairs equal, so more predicted relations collide on an already-marked gold relation and are dropped; when a dropped one was the exact match of another gold relation, that gold relation becomes a miss. So lenient recall, and F1, can sit below strict for relations.';
  if (rows.length === 0) return [{ kind: 'paragraph', text: `**Lenient vs strict.** Lenient F1 is at least strict F1 everywhere in this study. (${rule})` }];
  return [
    {
      kind: 'paragraph',
      text: `**Lenient below strict.** ${rows.map((r) => `\`${r.configuration}\` ${TASK_LABELS[r.task]}: lenient ${r.lenient.toFixed(3)} < strict ${r.strict.toFixed(3)}`).join('; ')}. ${rule}`,
    },
  ];
}

export function caveatBlocks(ctx: ReportContext): Block[] {
  const items: string[] = [];
  if (ctx.completedRuns < ctx.plannedRuns) items.push(`${ctx.plannedRuns - ctx.completedRuns} planned runs have no record; the figures use the ${ctx.completedRuns} that do.`);
  for (const f of ctx.failed) items.push(`Run \`${f.id}\` failed: ${f.error.split('\n')[0]}`);
  if (ctx.invalidRecords.length > 0) items.push(`Unreadable record files were ignored: ${ctx.invalidRecords.join(', ')}.`);
  if (ctx.study.parallel > 1) items.push(`Runs shared the machine (${ctx.study.parallel} at a time), so time figures include contention.`);
  else items.push('Timed runs ran one at a time, each in its own process; other programs on the machine can still add noise to wall time (CPU time is less sensitive).');
  items.push('Time and memory are measured on one machine; they compare configurations with each other, not with other hardware.');
  items.push("A pipeline's relation learning curve is on gold entities, a joint model's end to end: compare the curves' shapes, not their levels.");
  items.push('With early stopping, a learning curve\'s later epochs average only the runs still training at that epoch.');
  return [{ kind: 'list', items }];
}

/** Rows of the forest plots: F1 differences in points, cost differences in % of the baseline's mean. */
export function forestRows(summary: StudySummary, which: 'f1' | 'cost'): ForestRow[] {
  const rows: ForestRow[] = [];
  for (const m of MEASURES.filter((x) => (which === 'f1' ? x.unit === 'points' : x.unit !== 'points'))) {
    for (const c of summary.comparisons) {
      const t = m.pick(c);
      if (t.n === 0) continue;
      const scale = which === 'f1' ? 100 : t.statisticA !== 0 ? 100 / t.statisticA : NaN;
      const [low, high] = [t.ci95[0] * scale, t.ci95[1] * scale];
      const digits = which === 'f1' ? 1 : 0;
      const unit = which === 'f1' ? '' : '%';
      rows.push({
        label: `${m.label.replace(/ \((s|MiB)\)$/, '')}: ${c.configuration}`,
        group: c.configuration,
        difference: t.difference * scale,
        low,
        high,
        significant: t.verdict !== 'inconclusive',
        note: `${signed(t.difference * scale, digits)}${unit} [${signed(low, digits)}, ${signed(high, digits)}] p=${formatP(t.pHolm)}`,
      });
    }
  }
  return rows;
}

export function chartBlocks(summary: StudySummary, size: ChartSize = REPORT_CHART): Record<string, Block> {
  const configs = summary.configurations;
  const chart = (svg: string, caption: string): Block => ({ kind: 'chart', svg, caption });
  const groups = summary.comparisons.map((c) => c.configuration);
  return {
    forestF1: chart(
      forestPlot({ title: `F1 difference from ${summary.baseline} (points, 95% CI)`, xName: 'difference in strict micro F1 (points)', rows: forestRows(summary, 'f1'), groups }, size),
      `Each configuration minus the baseline \`${summary.baseline}\`: marker at the difference, whisker over the paired-bootstrap 95% CI (documents as units, seeds averaged within a document); filled = significant after Holm's correction; p on the right is Holm-corrected. Left of the dashed line: worse than the baseline.`,
    ),
    forestCost: chart(
      forestPlot({ title: `Cost difference from ${summary.baseline} (% of its mean, 95% CI)`, xName: 'difference in % of the baseline (negative = cheaper)', rows: forestRows(summary, 'cost'), groups }, size),
      "Costs relative to the baseline's mean (folds as units, seeds averaged within a fold). Model memory = peak of the engine's arena; RSS = the whole process.",
    ),
    f1: chart(f1Chart(configs, size), 'Strict micro F1 per task, mean (dot) ± one standard deviation over runs (whiskers); the axis is zoomed to the data and does not start at 0.'),
    nerTypes: chart(perTypeChart(configs, 'ner', size), 'NER strict F1 per entity type.'),
    reTypes: chart(perTypeChart(configs, 'reEndToEnd', size), 'End-to-end RE strict F1 per relation type.'),
    time: chart(costChart(configs, 'trainSeconds', size), 'Training wall time per run.'),
    memory: chart(costChart(configs, 'arenaPeakMiB', size), "The model's memory: peak of the engine's arena per run."),
    rss: chart(costChart(configs, 'peakRssMiB', size), 'Peak resident memory of the whole run process (mostly Node itself).'),
    curveEntities: chart(learningCurveChart(configs, 'devEntityF1', size), 'Dev entity F1 per epoch, mean over runs.'),
    curveRelations: chart(learningCurveChart(configs, 'devRelationF1', size), 'Dev relation F1 per epoch, mean over runs (pipeline: RE phase on gold entities, dashed).'),
    curveLoss: chart(learningCurveChart(configs, 'loss', size), 'Training loss per epoch, mean over runs.'),
  };
}

/** The whole report, in order. */
export function reportBlocks(ctx: ReportContext, summary: StudySummary): Block[] {
  const charts = chartBlocks(summary);
  return [
    { kind: 'heading', level: 1, text: 'Parameter sharing between NER and RE: study report' },
    ...questionBlocks(),
    { kind: 'heading', level: 2, text: 'Method' },
    ...methodBlocks(ctx, summary),
    { kind: 'heading', level: 2, text: 'Results' },
    charts.forestF1,
    charts.forestCost,
    mainTable(summary),
    charts.f1,
    ...lenientBlocks(summary),
    { kind: 'heading', level: 3, text: 'Per type' },
    perTypeTable(summary, 'ner'),
    charts.nerTypes,
    perTypeTable(summary, 'reEndToEnd'),
    charts.reTypes,
    { kind: 'heading', level: 3, text: 'Cost' },
    costTable(summary),
    charts.time,
    charts.memory,
    charts.rss,
    { kind: 'heading', level: 3, text: 'Learning curves' },
    ...convergenceBlocks(summary),
    charts.curveEntities,
    charts.curveRelations,
    charts.curveLoss,
    { kind: 'heading', level: 3, text: 'Comparison with the baseline' },
    comparisonTable(summary),
    { kind: 'heading', level: 2, text: 'Hypotheses' },
    ...hypothesisBlocks(summary),
    { kind: 'heading', level: 2, text: 'Caveats' },
    ...caveatBlocks(ctx),
    { kind: 'paragraph', text: `Generated ${ctx.generatedAt}. Raw data: \`results.json\` (summary and every run record) and \`runs/\`.` },
  ];
}
