/**
 * Every chart of the report and of the poster, rendered in Chromium: no two labels overlap, no label sits on a
 * whisker, and nothing is drawn outside the chart. Skipped (with a notice) where Debian's chromium is not installed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { parseStudyConfig } from '../config.js';
import type { DocCounts, RunRecord } from '../record.js';
import { summarizeStudy } from '../summary.js';
import { fakeRecord } from '../test-helpers/records.js';
import { chromiumPath } from './browser.js';
import { REPORT_CHART, WHISKER } from './charts.js';
import { chartBlocks } from './content.js';
import { POSTER_CHART } from './html.js';

const chromium = chromiumPath();
if (!chromium) console.warn('chart layout tests skipped: no Chromium (install Debian package `chromium` or set MEDREX_CHROMIUM)');

const study = parseStudyConfig({
  folds: 3,
  seeds: [1, 2],
  significance: { iterations: 500, seed: 3 },
});

const c = (tp: number, fp: number, fn: number): DocCounts => ({ tp, fp, fn });

/** Three configurations with small, mixed differences: the layout case that crowds markers and whiskers. */
function records(): RunRecord[] {
  const out: RunRecord[] = [];
  const configs = [
    { configuration: 'pipeline', model: 'pipeline', sharing: 'none', shift: 0, time: 30, mem: 6.5, params: 9000 },
    { configuration: 'joint-embeddings', model: 'joint', sharing: 'embeddings', shift: 1, time: 24, mem: 5.1, params: 7000 },
    { configuration: 'joint-encoder', model: 'joint', sharing: 'encoder', shift: -1, time: 21, mem: 4.2, params: 5000 },
  ];
  for (const fold of [0, 1, 2]) {
    for (const seed of [1, 2]) {
      for (const k of configs) {
        const docs: Record<string, DocCounts> = {};
        const reDocs: Record<string, DocCounts> = {};
        for (let i = 0; i < 8; i++) {
          docs[`f${fold}d${i}`] = c(8 + ((i + seed + k.shift + 3) % 3), 1 + (i % 2), 2);
          reDocs[`f${fold}d${i}`] = c(4 + ((i + k.shift + 3) % 2), 1, 2 + ((i + seed) % 2));
        }
        out.push(fakeRecord({
          ...k, fold, seed, docs, reDocs,
          trainSeconds: k.time + fold + seed,
          arenaPeakMiB: k.mem + fold * 0.01,
          parameters: k.params,
          devScores: seed === 1 ? [0.5, 0.6, 0.7] : [0.5, 0.7, 0.6],
        }));
      }
    }
  }
  return out;
}

interface Problem {
  chart: string;
  kind: string;
  a: string;
  b?: string;
}

let browser: Browser | null = null;

beforeAll(async () => {
  if (!chromium) return;
  const { chromium: launcher } = await import('playwright-core');
  browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!chromium)('charts in Chromium', () => {
  const summary = summarizeStudy(records(), study);
  for (const [sizeName, size] of [['report', REPORT_CHART], ['poster', POSTER_CHART]] as const) {
    it(`${sizeName} charts: no overlapping labels, no label on a whisker, nothing outside the chart`, async () => {
      const charts = chartBlocks(summary, size);
      const names = Object.keys(charts);
      const html = `<!DOCTYPE html><html><body style="margin:0">${names
        .map((n) => `<div class="chart" data-name="${n}" style="width:${size.width}px">${(charts[n] as { svg: string }).svg}</div>`)
        .join('\n')}</body></html>`;
      const file = join(mkdtempSync(join(tmpdir(), 'medrex-charts-')), 'charts.html');
      writeFileSync(file, html);
      const page = await browser!.newPage({ viewport: { width: size.width + 40, height: 800 } });
      await page.goto(pathToFileURL(file).href);
      const problems: Problem[] = await page.evaluate((whisker) => {
        const found: { chart: string; kind: string; a: string; b?: string }[] = [];
        const overlap = (p: DOMRect, q: DOMRect, slack = 1): boolean =>
          p.left + slack < q.right && q.left + slack < p.right && p.top + slack < q.bottom && q.top + slack < p.bottom;
        for (const div of Array.from(document.querySelectorAll('div.chart'))) {
          const chart = (div as HTMLElement).dataset.name!;
          const svg = div.querySelector('svg')!;
          const box = svg.getBoundingClientRect();
          const texts = Array.from(svg.querySelectorAll('text'))
            .filter((t) => (t.textContent ?? '').trim() !== '' && t.getAttribute('opacity') !== '0')
            .map((t) => ({ text: t.textContent!.trim(), rect: t.getBoundingClientRect() }));
          const whiskers = Array.from(svg.querySelectorAll('path'))
            .filter((p) => p.getAttribute('stroke') === whisker)
            .map((p) => p.getBoundingClientRect());
          for (const t of texts) {
            if (t.rect.left < box.left - 1 || t.rect.right > box.right + 1 || t.rect.top < box.top - 1 || t.rect.bottom > box.bottom + 1) {
              found.push({ chart, kind: 'outside the chart', a: t.text });
            }
          }
          for (let i = 0; i < texts.length; i++) {
            for (let j = i + 1; j < texts.length; j++) {
              if (overlap(texts[i].rect, texts[j].rect)) found.push({ chart, kind: 'labels overlap', a: texts[i].text, b: texts[j].text });
            }
            for (const w of whiskers) if (overlap(texts[i].rect, w)) found.push({ chart, kind: 'label on a whisker', a: texts[i].text });
          }
        }
        return found;
      }, WHISKER);
      // MEDREX_CHART_SHOTS=DIR keeps a screenshot of every chart page, for looking at them.
      if (process.env.MEDREX_CHART_SHOTS) await page.screenshot({ path: join(process.env.MEDREX_CHART_SHOTS, `${sizeName}-charts.png`), fullPage: true });
      await page.close();
      expect(problems).toEqual([]);
      // The forest plots are there, with one whisker per (measure, configuration).
      expect(names).toContain('forestF1');
      expect(charts.forestF1.kind === 'chart' && (charts.forestF1.svg.match(new RegExp(`stroke="${WHISKER}"`, 'g')) ?? []).length).toBeGreaterThanOrEqual(3 * 2 * 3);
    }, 120_000);
  }
});
