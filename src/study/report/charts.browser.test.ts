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
import { summarizeStudy } from '../summary.js';
import { layoutProblems } from '../test-helpers/layout.js';
import { threeConfigurationRecords } from '../test-helpers/records.js';
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
  const summary = summarizeStudy(threeConfigurationRecords(), study);
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
      const problems = await layoutProblems(page, 'div.chart', WHISKER);
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
