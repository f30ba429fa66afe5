/**
 * The self-contained HTML page (styles, SVG charts and the summary JSON inline; nothing fetched at view time) and
 * the A0 poster page that Chromium prints to PDF.
 */
import type { StudySummary } from '../summary.js';
import { blocksToHtml, escapeHtml, inlineHtml, type Block } from './blocks.js';
import {
  chartBlocks,
  comparisonTable,
  hypothesisBlocks,
  mainTable,
  methodBlocks,
  QUESTION,
  type ReportContext,
} from './content.js';

const PAGE_STYLE = `
body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: .3em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f2f2f2; }
figure.chart { margin: 1em 0; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: .9em; color: #555; }
code { background: #f4f4f4; padding: 0 .2em; }
details pre { max-height: 30em; overflow: auto; background: #f8f8f8; padding: 1em; font-size: .8em; }
`;

/** `</script>` inside embedded JSON would end the script element early. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/</g, '\\u003c');
}

export function reportPage(blocks: readonly Block[], summary: StudySummary): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parameter sharing between NER and RE: study report</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${blocksToHtml(blocks)}
<h2>Raw data</h2>
<details><summary>Study summary (JSON)</summary><pre>${escapeHtml(JSON.stringify(summary, null, 1))}</pre></details>
<script type="application/json" id="study-summary">${scriptSafeJson(summary)}</script>
</body>
</html>
`;
}

/** Poster chart size: A0 is about 3180 CSS px wide; two charts side by side per row. */
export const POSTER_CHART = { width: 1480, height: 560, fontSize: 28 };

const POSTER_STYLE = `
@page { size: 841mm 1189mm; margin: 0; }
html, body { margin: 0; padding: 0; }
body { position: relative; width: 841mm; height: 1189mm; font-family: system-ui, sans-serif; color: #1a1a1a; font-size: 30px; line-height: 1.35; overflow: hidden; }
header { background: #0b3d66; color: white; padding: 50px 80px 40px; }
header h1 { font-size: 92px; margin: 0 0 16px; }
header p { font-size: 44px; margin: 0; }
main { padding: 10px 80px; display: grid; grid-template-columns: 1fr 1fr; column-gap: 70px; }
section { break-inside: avoid; margin-bottom: 20px; }
section.wide { grid-column: 1 / span 2; }
h2 { font-size: 48px; color: #0b3d66; border-bottom: 4px solid #0b3d66; margin: 14px 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 27px; }
caption { caption-side: bottom; text-align: left; font-size: 24px; color: #555; padding-top: 6px; }
th, td { border: 2px solid #bbb; padding: 5px 14px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #e8eef4; }
figure.chart { margin: 0; } figure.chart svg { width: 100%; height: auto; }
figcaption { font-size: 24px; color: #555; }
ul { margin: 8px 0; padding-left: 1.2em; } li { margin: 6px 0; }
code { font-size: .9em; }
/* Anchored to the body (the A0 page), not to the browser viewport, which is much shorter when printing. */
footer { position: absolute; bottom: 16px; left: 80px; right: 80px; font-size: 22px; color: #666; }
`;

function section(title: string, blocks: readonly Block[], wide = false): string {
  return `<section${wide ? ' class="wide"' : ''}><h2>${inlineHtml(title)}</h2>${blocksToHtml(blocks)}</section>`;
}

export function posterPage(ctx: ReportContext, summary: StudySummary): string {
  const charts = chartBlocks(summary, POSTER_CHART);
  const verdicts: Block = {
    kind: 'table',
    header: ['hypothesis', 'verdict'],
    rows: summary.hypotheses.map((h) => [`**${h.id}** ${h.statement}`, `**${h.verdict}**`]),
  };
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Poster: parameter sharing between NER and RE</title><style>${POSTER_STYLE}</style></head>
<body>
<header>
<h1>Sharing parameters between NER and relation extraction</h1>
<p>${escapeHtml(QUESTION)}</p>
</header>
<main>
${section('Method', methodBlocks(ctx, summary))}
${section('Findings', [verdicts, ...hypothesisBlocks(summary).slice(-1)])}
${section('Results', [mainTable(summary)], true)}
${section('F1 by configuration', [charts.f1])}
${section('Cost', [charts.time])}
${section('Memory', [charts.memory])}
${section('Per entity type', [charts.nerTypes])}
${section('Learning curves', [charts.curveEntities])}
${section('Learning curves (relations)', [charts.curveRelations])}
${section('Paired comparisons with the baseline', [comparisonTable(summary)], true)}
</main>
<footer>medrex ${escapeHtml(ctx.codeVersion)} · generated ${escapeHtml(ctx.generatedAt)} · corpus ${escapeHtml(ctx.corpus.hash.slice(0, 12))}</footer>
</body>
</html>
`;
}
