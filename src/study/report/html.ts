/**
 * The self-contained HTML page (styles, SVG charts and the summary JSON inline; nothing fetched at view time) and
 * chart sizes; the A0 poster is poster.ts.
 */
import type { StudySummary } from '../summary.js';
import { blocksToHtml, escapeHtml, type Block } from './blocks.js';

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

/** Report charts at poster scale (the chart tests render every chart at this size too). */
export const POSTER_CHART = { width: 1480, height: 560, fontSize: 28 };
