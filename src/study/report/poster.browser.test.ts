/**
 * The A0 poster in Chromium: one page, the title at 90 pt or more, all body text at 32 pt or more (only the footer
 * is small), nothing below the footer line, "synthetic" in the title area for a synthetic corpus, the configured
 * authors, a conclusion box, and the forest plots and diagram free of overlapping labels.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStudyConfig } from '../config.js';
import { summarizeStudy } from '../summary.js';
import { layoutProblems } from '../test-helpers/layout.js';
import { threeConfigurationRecords } from '../test-helpers/records.js';
import { chromiumPath } from './browser.js';
import { WHISKER } from './charts.js';
import type { ReportContext } from './content.js';
import { conclusionSentences, diagramBoxes, posterPage } from './poster.js';

const chromium = chromiumPath();
if (!chromium) console.warn('poster layout test skipped: no Chromium (install Debian package `chromium` or set MEDREX_CHROMIUM)');

const study = parseStudyConfig({
  folds: 3,
  seeds: [1, 2],
  significance: { iterations: 500, seed: 3 },
  poster: { authors: ['A. Author', 'B. Author'], affiliation: 'Example Institute' },
});

const ctx: ReportContext = {
  generatedAt: '2026-01-01T00:00:00Z',
  codeVersion: '0.0.0-test',
  corpus: {
    source: 'synthetic corpus (24 documents, seed 7)',
    documents: 24,
    hash: 'abcdef0123456789abcdef',
    cleaning: null,
    name: 'synthetic n2c2-style corpus',
    synthetic: true,
    entityTypes: { Drug: 120, Strength: 80, Frequency: 70, Route: 40, Form: 30, Dosage: 25, Reason: 20, Duration: 10, ADE: 5 },
    relationTypes: { 'Strength-Drug': 80, 'Frequency-Drug': 70, 'Route-Drug': 40, 'Form-Drug': 30, 'Dosage-Drug': 25, 'Reason-Drug': 20, 'Duration-Drug': 10, 'ADE-Drug': 5 },
  },
  splitDescription: '3-fold cross-validation',
  study,
  plannedRuns: 18,
  completedRuns: 18,
  failed: [],
  invalidRecords: [],
};

describe('poster content', () => {
  it('draws what each configuration shares from its model layout', () => {
    expect(diagramBoxes(study, 'pipeline').filter((b) => b.shared)).toEqual([]);
    expect(diagramBoxes(study, 'joint-embeddings').filter((b) => b.shared).map((b) => b.label)).toEqual(['embeddings']);
    expect(diagramBoxes(study, 'joint-encoder').filter((b) => b.shared).map((b) => b.label)).toEqual(['embeddings', 'BiLSTM ×1']);
  });

  it('answers in two sentences with confidence intervals', () => {
    const sentences = conclusionSentences(ctx, summarizeStudy(threeConfigurationRecords(), study));
    expect(sentences).toHaveLength(2);
    expect(sentences[0]).toMatch(/^On 24 synthetic test documents, .* end-to-end relation F1 compared with pipeline \(joint-embeddings [+−][\d.]+ points, 95% CI /);
    expect(sentences[1]).toMatch(/^Training time: .*; model memory: /);
  });
});

describe.skipIf(!chromium)('poster in Chromium', () => {
  it('is one A0 page with a 90 pt title, 32 pt body text and no overlapping chart labels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-poster-'));
    const file = join(dir, 'poster.html');
    writeFileSync(file, posterPage(ctx, summarizeStudy(threeConfigurationRecords(), study)));
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({ executablePath: chromium!, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 3179, height: 1200 } });
      await page.goto(pathToFileURL(file).href);
      const facts = await page.evaluate(() => {
        const pt = (el: Element) => parseFloat(getComputedStyle(el).fontSize) * 0.75;
        const footer = document.querySelector('footer')!;
        const main = document.querySelector('main')!;
        const small = Array.from(document.querySelectorAll('main p, main li, main td, main th, main caption, main figcaption, header p, header span'))
          .filter((el) => (el.textContent ?? '').trim() !== '' && pt(el) < 32)
          .map((el) => `${el.tagName} ${pt(el)}pt: ${(el.textContent ?? '').slice(0, 40)}`);
        return {
          titlePt: pt(document.querySelector('header h1')!),
          header: document.querySelector('header')!.textContent ?? '',
          small,
          mainBottom: main.getBoundingClientRect().bottom,
          footerTop: footer.getBoundingClientRect().top,
          bodyHeight: document.body.getBoundingClientRect().height,
          conclusion: document.querySelector('.conclusion')?.textContent ?? '',
          svgs: document.querySelectorAll('svg').length,
        };
      });
      if (process.env.MEDREX_CHART_SHOTS) await page.screenshot({ path: join(process.env.MEDREX_CHART_SHOTS, 'poster.png'), fullPage: true, scale: 'css' });
      expect(facts.titlePt).toBeGreaterThanOrEqual(90);
      expect(facts.small).toEqual([]);
      expect(facts.header).toContain('Synthetic data');
      expect(facts.header).toContain('A. Author, B. Author · Example Institute');
      expect(facts.mainBottom).toBeLessThanOrEqual(facts.footerTop);
      expect(facts.conclusion).toContain('95% CI');
      expect(facts.svgs).toBe(3);
      expect(await layoutProblems(page, 'figure.chart, .diagram', WHISKER)).toEqual([]);
      const pdf = join(dir, 'poster.pdf');
      await page.pdf({ path: pdf, width: '841mm', height: '1189mm', printBackground: true, preferCSSPageSize: true });
      const { readFileSync } = await import('node:fs');
      expect((readFileSync(pdf, 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
