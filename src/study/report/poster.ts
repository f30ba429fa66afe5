/**
 * The A0 poster (one page, 841 x 1189 mm): title area with authors and affiliation (and "synthetic data" when the
 * corpus was generated), the question, a few lines of background, a drawn diagram of what each configuration
 * shares, the data, the method, the forest plots and one compact table, and a conclusion box that answers the
 * question in two plain sentences with their uncertainty. Text sizes are set in points so that they hold at A0:
 * title 96 pt, body 32 pt; hashes and paths go to a small footer.
 */
import { modelConfigFor, type StudyConfig } from '../config.js';
import { encoderLayout } from '../../models/config.js';
import type { StudySummary, TestedDifference } from '../summary.js';
import { blocksToHtml, escapeHtml, inlineHtml, type Block } from './blocks.js';
import { PALETTE, forestPlot, type ChartSize } from './charts.js';
import { ensembleSentence, fmt, forestRows, QUESTION, seedsAveragedWithin, type ReportContext } from './content.js';

/** Forest plots across the poster's full width; 43 px = 32 pt. */
export const POSTER_FOREST: ChartSize = { width: 3000, height: 460, fontSize: 43 };

const STYLE = `
@page { size: 841mm 1189mm; margin: 0; }
html, body { margin: 0; padding: 0; }
body { position: relative; width: 841mm; height: 1189mm; font-family: 'DejaVu Sans', system-ui, sans-serif; color: #1a1a1a; font-size: 32pt; line-height: 1.3; overflow: hidden; }
header { background: #0b3d66; color: white; padding: 30pt 60pt 26pt; }
header h1 { font-size: 96pt; line-height: 1.05; margin: 0 0 12pt; }
header .authors { font-size: 40pt; margin: 0; }
header .data-kind { display: inline-block; margin-top: 10pt; font-size: 36pt; background: #ffd166; color: #222; padding: 4pt 18pt; border-radius: 8pt; }
main { padding: 10pt 60pt 0; }
.row { display: grid; grid-template-columns: 1fr 1fr; column-gap: 60pt; }
section { margin-bottom: 8pt; }
h2 { font-size: 46pt; color: #0b3d66; border-bottom: 4pt solid #0b3d66; margin: 10pt 0 8pt; }
p { margin: 6pt 0; }
ul { margin: 6pt 0; padding-left: 1.1em; } li { margin: 4pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 32pt; }
caption { caption-side: bottom; text-align: left; font-size: 32pt; color: #444; padding-top: 6pt; }
th, td { border: 2pt solid #bbb; padding: 4pt 12pt; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #e8eef4; }
figure.chart { margin: 0; } figure.chart svg { width: 100%; height: auto; }
figcaption { font-size: 32pt; color: #444; }
.question { font-size: 40pt; font-weight: bold; }
.conclusion { border: 6pt solid #0b3d66; background: #eef4fa; padding: 6pt 30pt 10pt; margin-top: 12pt; }
.conclusion h2 { border: none; margin-top: 6pt; }
.conclusion p { font-size: 34pt; margin: 6pt 0; }
.diagram svg { width: 100%; height: auto; }
/* Anchored to the body (the A0 page), not to the browser viewport, which is much shorter when printing. */
footer { position: absolute; bottom: 14pt; left: 60pt; right: 60pt; font-size: 16pt; color: #666; }
`;

const BACKGROUND =
  'Clinical medication extraction finds entities (drugs, strengths, reasons, ...) and the relations between them. ' +
  'A pipeline trains a separate model for each; a joint model can let both tasks read the same embeddings or the same encoder. ' +
  'Sharing might transfer what NER learns to relation extraction and save parameters, time and memory; or the tasks might get in each other\'s way.';

/** The poster's title: the config's, else the question as a title. */
function titleOf(ctx: ReportContext): string {
  return ctx.study.poster.title ?? 'Does sharing parameters between NER and relation extraction help?';
}

// ---- the configurations diagram ------------------------------------------------------------------------------

interface Box {
  label: string;
  /** Spans both lanes (shared) or sits in one lane. */
  lane: 'both' | 'ner' | 're';
  shared: boolean;
}

/** Boxes from the bottom (input) up, for one configuration, from the model layout its config describes. */
export function diagramBoxes(study: StudyConfig, name: string): Box[] {
  const configuration = study.configurations.find((c) => c.name === name)!;
  const layout = encoderLayout(modelConfigFor(study, configuration, study.seeds[0]));
  const boxes: Box[] = [];
  if (layout.sharedEmbeddings) boxes.push({ label: 'embeddings', lane: 'both', shared: true });
  else boxes.push({ label: 'embed.', lane: 'ner', shared: false }, { label: 'embed.', lane: 're', shared: false });
  if (layout.shared > 0) boxes.push({ label: `BiLSTM ×${layout.shared}`, lane: 'both', shared: true });
  if (layout.ner > 0 || layout.re > 0) {
    boxes.push({ label: `BiLSTM ×${layout.ner}`, lane: 'ner', shared: false }, { label: `BiLSTM ×${layout.re}`, lane: 're', shared: false });
  }
  boxes.push({ label: 'CRF', lane: 'ner', shared: false }, { label: 'RE head', lane: 're', shared: false });
  return boxes;
}

/**
 * Columns of stacked boxes, one column per configuration: a shared part is one box across the NER and RE lanes
 * (coloured), a part each task has to itself is two grey boxes. Under each column, its parameter count.
 */
export function configurationDiagram(study: StudyConfig, summary: StudySummary): string {
  const names = study.configurations.map((c) => c.name);
  const font = 43;
  const columnWidth = 520;
  const gap = 40;
  const laneGap = 16;
  const boxHeight = 76;
  const step = boxHeight + 22;
  const levels = Math.max(...names.map((n) => levelsOf(diagramBoxes(study, n))));
  const top = font * 1.6;
  const width = names.length * columnWidth + (names.length - 1) * gap;
  const height = top + levels * step + font * 3.2 + 20;
  const parts: string[] = [];
  names.forEach((name, i) => {
    const x0 = i * (columnWidth + gap);
    const laneWidth = (columnWidth - laneGap) / 2;
    parts.push(`<text x="${x0 + columnWidth / 2}" y="${font * 1.1}" font-size="${font}" font-weight="bold" text-anchor="middle" fill="${PALETTE[i % PALETTE.length]}">${escapeHtml(name)}</text>`);
    const boxes = diagramBoxes(study, name);
    const rowOf = levelRows(boxes);
    boxes.forEach((box, b) => {
      const row = rowOf[b];
      const y = top + (levels - 1 - row) * step;
      const x = box.lane === 're' ? x0 + laneWidth + laneGap : x0;
      const w = box.lane === 'both' ? columnWidth : laneWidth;
      const fill = box.shared ? '#f4a259' : '#d9dde3';
      parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${boxHeight}" rx="10" fill="${fill}" stroke="#333" stroke-width="3"/>`);
      parts.push(`<text x="${x + w / 2}" y="${y + boxHeight / 2 + font * 0.35}" font-size="${font}" text-anchor="middle" fill="#111">${escapeHtml(box.label)}</text>`);
    });
    const params = summary.configurations.find((c) => c.name === name)?.parameters;
    const under = params && params.n > 0 ? `${Math.round(params.mean).toLocaleString('en-US')} parameters` : '';
    const yLabel = top + levels * step + font * 0.9;
    parts.push(`<text x="${x0 + laneWidth / 2}" y="${yLabel}" font-size="${font}" text-anchor="middle">NER</text>`);
    parts.push(`<text x="${x0 + laneWidth * 1.5 + laneGap}" y="${yLabel}" font-size="${font}" text-anchor="middle">RE</text>`);
    parts.push(`<text x="${x0 + columnWidth / 2}" y="${yLabel + font * 1.3}" font-size="${font}" text-anchor="middle" fill="#444">${under}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="What each configuration shares" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
}

/** Row (0 = bottom) of each box: a lane box sits on the highest box below it in its lane. */
function levelRows(boxes: readonly Box[]): number[] {
  const height = { ner: 0, re: 0 };
  return boxes.map((box) => {
    if (box.lane === 'both') {
      const row = Math.max(height.ner, height.re);
      height.ner = height.re = row + 1;
      return row;
    }
    return height[box.lane]++;
  });
}

function levelsOf(boxes: readonly Box[]): number {
  const rows = levelRows(boxes);
  return Math.max(...rows) + 1;
}

// ---- conclusion ------------------------------------------------------------------------------------------------

function signed(v: number, digits: number): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
}

function ci(t: TestedDifference, scale: number, digits: number, unit: string): string {
  return `${signed(t.difference * scale, digits)}${unit}, 95% CI ${signed(t.ci95[0] * scale, digits)} to ${signed(t.ci95[1] * scale, digits)}`;
}

const F1_PHRASE = { supported: 'improved', contradicted: 'lowered', inconclusive: 'did not detectably change' };
const COST_PHRASE = { supported: 'reduced', contradicted: 'increased', inconclusive: 'did not detectably change' };

/** "A improved and B did not detectably change" from per-configuration verdicts. */
function byVerdict(items: { name: string; verdict: keyof typeof F1_PHRASE }[], phrases: Record<keyof typeof F1_PHRASE, string>): string {
  const groups = (['supported', 'contradicted', 'inconclusive'] as const)
    .map((v) => ({ v, names: items.filter((i) => i.verdict === v).map((i) => i.name) }))
    .filter((g) => g.names.length > 0);
  return groups.map((g) => `${g.names.join(' and ')} ${phrases[g.v]}`).join(', while ');
}

/** Said when some cost test could not reach significance whatever the data: too few folds. */
function floorNote(tests: readonly TestedDifference[], alpha: number): string | null {
  const blocked = tests.find((t) => t.verdict === 'inconclusive' && t.n > 0 && t.pFloor >= alpha);
  return blocked ? `; with ${blocked.n} folds no cost test can reach p < ${alpha} (its smallest p is ${blocked.pFloor.toFixed(3)})` : null;
}

/** Two plain sentences that answer the question, each with its uncertainty. */
export function conclusionSentences(ctx: ReportContext, summary: StudySummary): string[] {
  const sharing = new Set(ctx.study.configurations.filter((c) => c.sharing !== 'none').map((c) => c.name));
  const comparisons = summary.comparisons.filter((c) => sharing.has(c.configuration));
  if (comparisons.length === 0) return ['No configuration that shares parameters has finished runs yet: there is no answer.'];
  // The units the tests scored (a corpus's test part, when it has one, is not used by cross-validation).
  const tested = Math.max(...comparisons.map((c) => c.f1.reEndToEnd.n));
  const data = `${tested.toLocaleString('en-US')} ${ctx.corpus.synthetic ? 'synthetic ' : ''}test ${summary.f1Unit}`;
  const f1 = comparisons.map((c) => ({ name: c.configuration, verdict: c.f1.reEndToEnd.verdict, t: c.f1.reEndToEnd }));
  const first =
    `On ${data}, ${byVerdict(f1, F1_PHRASE)} end-to-end relation F1 compared with ${summary.baseline} ` +
    `(${f1.map((x) => `${x.name} ${ci(x.t, 100, 1, ' points')}`).join('; ')}), ` +
    `and NER F1 ${comparisons.every((c) => c.f1.ner.verdict === 'inconclusive') ? 'did not detectably change' : `changed: ${comparisons.map((c) => `${c.configuration} ${ci(c.f1.ner, 100, 1, ' points')} (${c.f1.ner.verdict})`).join('; ')}`}.`;
  const pct = (t: TestedDifference) => (t.statisticA !== 0 ? 100 / t.statisticA : 0);
  const time = comparisons.map((c) => ({ name: c.configuration, verdict: c.cost.trainSeconds.verdict, t: c.cost.trainSeconds }));
  const memory = comparisons.map((c) => ({ name: c.configuration, verdict: c.cost.arenaPeakMiB.verdict, t: c.cost.arenaPeakMiB }));
  const second =
    `Training time: ${byVerdict(time, COST_PHRASE)} it (${time.map((x) => `${x.name} ${ci(x.t, pct(x.t), 0, '%')}`).join('; ')}); ` +
    `model memory: ${byVerdict(memory, COST_PHRASE)} it (${memory.map((x) => `${x.name} ${ci(x.t, pct(x.t), 0, '%')}`).join('; ')})` +
    (floorNote([...time, ...memory].map((x) => x.t), summary.alpha) ?? '') + '.';
  return [first, second];
}

// ---- the page ----------------------------------------------------------------------------------------------------

function section(title: string, html: string, className = ''): string {
  return `<section${className ? ` class="${className}"` : ''}><h2>${inlineHtml(title)}</h2>${html}</section>`;
}

function typeList(counts: Record<string, number> | undefined): string {
  if (!counts || Object.keys(counts).length === 0) return 'none';
  return Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(' · ');
}

function compactTable(summary: StudySummary): Block {
  return {
    kind: 'table',
    caption: 'Above: filled marker = significant after Holm correction, hollow = not. Table: mean ± sd over folds × seeds; model memory = peak of the engine arena.',
    header: ['configuration', 'RE end-to-end F1', 'NER F1', 'training s', 'model MiB', 'parameters'],
    rows: summary.configurations.map((c) => [
      `**${c.name}**`,
      fmt(c.f1.reEndToEnd.strict, 3),
      fmt(c.f1.ner.strict, 3),
      fmt(c.cost.trainSeconds, 0),
      fmt(c.cost.arenaPeakMiB, 1),
      Math.round(c.parameters.mean).toLocaleString('en-US'),
    ]),
  };
}

export function posterPage(ctx: ReportContext, summary: StudySummary): string {
  const s = ctx.study;
  const groups = summary.comparisons.map((c) => c.configuration);
  const primaryF1 = forestRows(summary, 'f1', { compact: true }).filter((r) => /^(RE e2e|NER) /.test(r.label));
  const primaryCost = forestRows(summary, 'cost', { compact: true }).filter((r) => /^(time|memory) /.test(r.label));
  const forestF1 = forestPlot({ title: `F1 minus ${summary.baseline} (points, 95% CI)`, xName: 'difference in strict micro F1 (points); right of 0 = better', rows: primaryF1, groups, legend: false }, POSTER_FOREST);
  const forestCost = forestPlot({ title: `Cost minus ${summary.baseline} (% of its mean, 95% CI)`, xName: 'difference in % of the baseline; left of 0 = cheaper', rows: primaryCost, groups, legend: false }, POSTER_FOREST);
  const authors = [s.poster.authors.join(', '), s.poster.affiliation].filter((x) => x !== '').join(' · ');
  const runs = `${ctx.completedRuns} runs`;
  const seeds = `${s.seeds.length} seed${s.seeds.length === 1 ? '' : 's'}`;
  // One line: the poster is one page.
  const ensemble = ensembleSentence(s, 'short');
  const method = [
    `${ctx.splitDescription}; ${seeds} per configuration and fold; ${runs}, one at a time, each in its own process.`,
    ...(ensemble === null ? [] : [ensemble]),
    'Scored with the official n2c2 2018 Track 2 rules (strict micro F1).',
    `Differences: paired randomization test and bootstrap 95% CI over test ${summary.f1Unit}, ${seedsAveragedWithin(summary)}; costs over folds.`,
    `Holm correction within each hypothesis; significant = corrected p < ${summary.alpha}.`,
  ];
  const conclusion = conclusionSentences(ctx, summary);
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Poster: ${escapeHtml(titleOf(ctx))}</title><style>${STYLE}</style></head>
<body>
<header>
<h1>${escapeHtml(titleOf(ctx))}</h1>
${authors ? `<p class="authors">${escapeHtml(authors)}</p>` : ''}
${ctx.corpus.synthetic ? `<span class="data-kind">Synthetic data: an invented n2c2-style corpus, not real notes</span>` : `<span class="data-kind">Data: ${escapeHtml(ctx.corpus.name ?? ctx.corpus.source)}</span>`}
</header>
<main>
<div class="row">
<div>
${section('Question', `<p class="question">${escapeHtml(QUESTION)}</p>`)}
${section('Background', `<p>${escapeHtml(BACKGROUND)}</p>`)}
${section('Data', `<ul><li><strong>${escapeHtml(ctx.corpus.name ?? ctx.corpus.source)}</strong>${ctx.corpus.synthetic ? ' (synthetic)' : ''}: ${ctx.corpus.documents.toLocaleString('en-US')} documents</li><li><strong>Entities</strong>: ${escapeHtml(typeList(ctx.corpus.entityTypes))}</li><li><strong>Relations</strong>: ${escapeHtml(typeList(ctx.corpus.relationTypes))}</li></ul>`)}
</div>
<div>
${section('What each configuration shares', `<div class="diagram">${configurationDiagram(s, summary)}</div><p>Orange: one part both tasks use; grey: each task's own.</p>`)}
${section('Method', `<ul>${method.map((m) => `<li>${inlineHtml(m)}</li>`).join('')}</ul>`)}
</div>
</div>
${section('Results', `<figure class="chart">${forestF1}</figure><figure class="chart">${forestCost}</figure>${blocksToHtml([compactTable(summary)])}`)}
<div class="conclusion"><h2>Answer</h2>${conclusion.map((c) => `<p>${escapeHtml(c)}</p>`).join('')}</div>
</main>
<footer>medrex ${escapeHtml(ctx.codeVersion)} · generated ${escapeHtml(ctx.generatedAt)} · corpus SHA-256 ${escapeHtml(ctx.corpus.hash.slice(0, 16))} · ${escapeHtml(ctx.corpus.source)} · full report: report.html, results.json</footer>
</body>
</html>
`;
}
