/**
 * What the report says, as blocks: the question, the method, the results tables, the charts, the comparisons with
 * the baseline, and each hypothesis with its verdict. Shared by the Markdown report, the HTML page and the poster.
 */
import type { StudyConfig } from '../config.js';
import { TASK_LABELS, TASKS, type Task } from '../record.js';
import { COST_LABELS, COSTS, formatP, type MeanSd, type StudySummary } from '../summary.js';
import type { Block } from './blocks.js';
import { costChart, f1Chart, learningCurveChart, perTypeChart, REPORT_CHART, type ChartSize } from './charts.js';

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
        '**H3**: sharing reduces training time and peak memory.',
      ],
    },
  ];
}

export function methodBlocks(ctx: ReportContext, summary: StudySummary): Block[] {
  const s = ctx.study;
  const cleaning = ctx.corpus.cleaning
    ? `cleaned with every rule of \`medrex clean\`${(s.cleanDisable ?? []).length > 0 ? ` except ${s.cleanDisable.join(', ')}` : ''} (${ctx.corpus.cleaning.changes} changes, ${ctx.corpus.cleaning.documentsBefore} → ${ctx.corpus.cleaning.documentsAfter} documents)`
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
        `**Significance**: document-level paired approximate randomization and paired bootstrap (${s.significance.iterations} iterations, seed ${s.significance.seed}) on strict micro F1, pairing by (fold, seed, document) and pooling folds and seeds; costs paired by (fold, seed) run. α = ${summary.alpha}.`,
        `**Costs**: each run in its own process, ${s.parallel} at a time, training on ${s.threads} thread${s.threads === 1 ? '' : 's'} with the ${s.backend === 'blas' ? 'OpenBLAS' : 'WebAssembly'} kernels: wall time of training, CPU time, peak resident memory of the process, inference speed end to end. Code ${ctx.codeVersion}.`,
      ],
    },
  ];
}

export function mainTable(summary: StudySummary): Block {
  return {
    kind: 'table',
    caption: 'Strict micro F1 (lenient in brackets) and costs per run, mean ± sd over folds × seeds.',
    header: ['configuration', 'runs', ...TASKS.map((t) => TASK_LABELS[t]), 'train s', 'peak MiB', 'tokens/s', 'parameters'],
    rows: summary.configurations.map((c) => [
      c.name,
      String(c.runs),
      ...TASKS.map((t) => `${fmt(c.f1[t].strict, 3)} (${c.f1[t].lenient.mean.toFixed(3)})`),
      fmt(c.cost.trainSeconds, 1),
      fmt(c.cost.peakRssMiB, 0),
      fmt(c.cost.inferenceTokensPerSecond, 0),
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

export function costTable(summary: StudySummary): Block {
  return {
    kind: 'table',
    caption: 'Costs per run (mean ± sd).',
    header: ['configuration', ...COSTS.map((c) => COST_LABELS[c])],
    rows: summary.configurations.map((c) => [c.name, ...COSTS.map((k) => fmt(c.cost[k], k === 'peakRssMiB' || k === 'inferenceTokensPerSecond' ? 0 : 1))]),
  };
}

export function comparisonTable(summary: StudySummary): Block {
  const rows: string[][] = [];
  for (const c of summary.comparisons) {
    for (const task of TASKS) {
      const t = c.f1[task];
      rows.push([c.configuration, `${TASK_LABELS[task]} F1`, signed(t.difference, 4), `[${signed(t.ci95[0], 4)}, ${signed(t.ci95[1], 4)}]`, formatP(t.pRandomization), formatP(t.pBootstrap), String(t.n)]);
    }
    for (const [key, label] of [['trainSeconds', 'training s'], ['peakRssMiB', 'peak MiB']] as const) {
      const t = c.cost[key];
      rows.push([c.configuration, label, signed(t.difference, 1), `[${signed(t.ci95[0], 1)}, ${signed(t.ci95[1], 1)}]`, formatP(t.pRandomization), formatP(t.pBootstrap), String(t.n)]);
    }
  }
  return {
    kind: 'table',
    caption: `Difference from the baseline (${summary.baseline}): configuration minus baseline. n = paired documents (F1) or paired runs (costs).`,
    header: ['configuration', 'measure', 'difference', 'bootstrap 95% CI', 'p (randomization)', 'p (bootstrap)', 'n'],
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
      blocks.push({ kind: 'list', items: h.perConfiguration.map((p) => `\`${p.configuration}\`: ${p.verdict} — ${p.evidence}`) });
    }
  }
  blocks.push({
    kind: 'paragraph',
    text: `A hypothesis is supported for a configuration when the difference has the hypothesised sign and the randomization test gives p < ${summary.alpha}; contradicted when the sign is the opposite with p < ${summary.alpha}; otherwise inconclusive (no detectable difference at this sample size, which is not evidence of no difference).`,
  });
  return blocks;
}

export function caveatBlocks(ctx: ReportContext): Block[] {
  const items: string[] = [];
  if (ctx.completedRuns < ctx.plannedRuns) items.push(`${ctx.plannedRuns - ctx.completedRuns} planned runs have no record; the figures use the ${ctx.completedRuns} that do.`);
  for (const f of ctx.failed) items.push(`Run \`${f.id}\` failed: ${f.error.split('\n')[0]}`);
  if (ctx.invalidRecords.length > 0) items.push(`Unreadable record files were ignored: ${ctx.invalidRecords.join(', ')}.`);
  if (ctx.study.parallel > 1) items.push(`Runs shared the machine (${ctx.study.parallel} at a time), so time figures include contention.`);
  items.push('Time and memory are measured on one machine; they compare configurations with each other, not with other hardware.');
  items.push("A pipeline's relation learning curve is on gold entities, a joint model's end to end: compare the curves' shapes, not their levels.");
  items.push('With early stopping, a learning curve\'s later epochs average only the runs still training at that epoch.');
  return [{ kind: 'list', items }];
}

export function chartBlocks(summary: StudySummary, size: ChartSize = REPORT_CHART): Record<string, Block> {
  const configs = summary.configurations;
  const chart = (svg: string, caption: string): Block => ({ kind: 'chart', svg, caption });
  return {
    f1: chart(f1Chart(configs, size), 'Strict micro F1 per task; whiskers are ± one standard deviation over runs.'),
    nerTypes: chart(perTypeChart(configs, 'ner', size), 'NER strict F1 per entity type.'),
    reTypes: chart(perTypeChart(configs, 'reEndToEnd', size), 'End-to-end RE strict F1 per relation type.'),
    time: chart(costChart(configs, 'trainSeconds', size), 'Training wall time per run.'),
    memory: chart(costChart(configs, 'peakRssMiB', size), 'Peak resident memory of the run process.'),
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
    mainTable(summary),
    charts.f1,
    { kind: 'heading', level: 3, text: 'Per type' },
    perTypeTable(summary, 'ner'),
    charts.nerTypes,
    perTypeTable(summary, 'reEndToEnd'),
    charts.reTypes,
    { kind: 'heading', level: 3, text: 'Cost' },
    costTable(summary),
    charts.time,
    charts.memory,
    { kind: 'heading', level: 3, text: 'Learning curves' },
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
