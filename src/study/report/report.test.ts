import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStudyConfig } from '../config.js';
import type { DocCounts, RunRecord } from '../record.js';
import { summarizeStudy } from '../summary.js';
import { fakeRecord } from '../test-helpers/records.js';
import { blocksToMarkdown, inlineHtml } from './blocks.js';
import type { ReportContext } from './content.js';
import { writeReport } from './index.js';

const study = parseStudyConfig({
  folds: 2,
  seeds: [1, 2],
  configurations: [
    { name: 'pipeline', model: 'pipeline', sharing: 'none' },
    { name: 'joint-encoder', model: 'joint', sharing: 'encoder' },
  ],
  significance: { iterations: 1000, seed: 3 },
});

const c = (tp: number, fp: number, fn: number): DocCounts => ({ tp, fp, fn });

/**
 * 2 folds x 2 seeds x 5 documents. NER is identical in both configurations; on relations the joint model finds
 * 3 of 4 in every document where the pipeline finds 2 of 4; the joint model trains faster in 3 of 4 runs.
 */
function handMadeRecords(): RunRecord[] {
  const records: RunRecord[] = [];
  for (const fold of [0, 1]) {
    for (const seed of [1, 2]) {
      const ids = [0, 1, 2, 3, 4].map((i) => `doc${fold}-${i}`);
      const ner = Object.fromEntries(ids.map((id) => [id, c(5, 1, 1)]));
      records.push(
        fakeRecord({ configuration: 'pipeline', model: 'pipeline', fold, seed, docs: ner, reDocs: Object.fromEntries(ids.map((id) => [id, c(2, 1, 2)])), trainSeconds: 20, peakRssMiB: 300, parameters: 2000 }),
        fakeRecord({ configuration: 'joint-encoder', model: 'joint', sharing: 'encoder', fold, seed, docs: ner, reDocs: Object.fromEntries(ids.map((id) => [id, c(3, 1, 1)])), trainSeconds: fold === 0 && seed === 1 ? 25 : 12, peakRssMiB: 250, parameters: 1200 }),
      );
    }
  }
  return records;
}

const ctx: ReportContext = {
  generatedAt: '2026-01-01T00:00:00Z',
  codeVersion: '0.0.0-test',
  corpus: { source: 'hand-made records', documents: 10, hash: 'abcdef0123456789', cleaning: null },
  splitDescription: '2-fold cross-validation',
  study,
  plannedRuns: 8,
  completedRuns: 8,
  failed: [],
  invalidRecords: [],
};

describe('summary', () => {
  it('means, standard deviations and verdicts from hand-made records', () => {
    const summary = summarizeStudy(handMadeRecords(), study);
    const [pipeline, joint] = summary.configurations;
    // RE end to end: pipeline (2,1,2) -> 4/7 in every run, joint (3,1,1) -> 6/8.
    expect(pipeline.f1.reEndToEnd.strict.mean).toBeCloseTo(4 / 7, 12);
    expect(pipeline.f1.reEndToEnd.strict.sd).toBe(0);
    expect(joint.f1.reEndToEnd.strict.mean).toBeCloseTo(0.75, 12);
    // Training time of the joint model: 25, 12, 12, 12 -> mean 15.25, sd = sqrt(((9.75)^2 + 3 (3.25)^2) / 3) = 6.5.
    expect(joint.cost.trainSeconds.mean).toBeCloseTo(15.25, 12);
    expect(joint.cost.trainSeconds.sd).toBeCloseTo(6.5, 12);
    const [h1, h2, h3] = summary.hypotheses;
    expect(h1.verdict).toBe('supported');
    expect(h2.verdict).toBe('not supported / inconclusive');
    // 4 paired runs: the smallest possible exact sign-flip p is 2/16 = 0.125 > 0.05, so H3 cannot be supported.
    expect(h3.perConfiguration[0].verdict).toBe('inconclusive');
    // The evidence says how each half came out, not only the joint verdict.
    expect(h3.perConfiguration[0].evidence).toMatch(/^training time .* \(no significant change\); peak memory .* \((no significant change|falls significantly|rises significantly)\)$/);
    expect(summary.comparisons[0].cost.trainSeconds.pRandomization).toBeGreaterThanOrEqual(0.125);
  });
});

describe('writeReport', () => {
  it('writes Markdown stating each hypothesis and a self-contained HTML page with SVG charts and tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-'));
    const records = handMadeRecords();
    const written = await writeReport(dir, ctx, records, { browser: false });
    expect(written.pdfSkipped).toContain('switched off');
    expect(existsSync(join(dir, 'poster-skipped.txt'))).toBe(true);

    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**H1** — Sharing parameters between NER and RE improves end-to-end RE F1 over pipeline. **Verdict: supported.**');
    expect(md).toContain('**H2** — Sharing parameters between NER and RE improves NER F1 over pipeline. **Verdict: not supported / inconclusive.**');
    expect(md).toMatch(/\*\*H3\*\* — Sharing parameters reduces training time and peak memory compared with pipeline\. \*\*Verdict: [a-z /]+\.\*\*/);
    // NER (5,1,1) per document -> 10/12; relations (3,1,1) -> 6/8; time 25, 12, 12, 12 -> 15.25 ± 6.5.
    expect(md).toContain('| joint-encoder | 4 | 0.833 ± 0.000 (0.833) | 0.750 ± 0.000 (0.750) | 0.750 ± 0.000 (0.750) | 15.3 ± 6.5 | 250 ± 0 |');

    expect(md).toContain('1 at a time, training on 1 thread with the WebAssembly kernels');

    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect((html.match(/<svg /g) ?? []).length).toBe(8);
    expect(html).toContain('<table>');
    expect(html).toContain('<strong>Verdict: supported.</strong>');
    // Self-contained: no external scripts, styles or images.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/);
    const embedded = html.match(/<script type="application\/json" id="study-summary">([\s\S]*?)<\/script>/);
    expect(JSON.parse(embedded![1]).baseline).toBe('pipeline');

    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.records).toHaveLength(8);
    const poster = readFileSync(join(dir, 'poster.html'), 'utf8');
    expect(poster).toContain('size: 841mm 1189mm');
    expect((poster.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(5);
  });

  it('writes a report even before any run has finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-empty-'));
    await writeReport(dir, { ...ctx, completedRuns: 0 }, [], { browser: false });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('8 planned runs have no record');
    expect(md).toContain('**Verdict: not supported / inconclusive.**');
  });

  it('says so when a hypothesis has no sharing configuration to test', () => {
    const only = handMadeRecords().filter((r) => r.configuration === 'pipeline');
    const summary = summarizeStudy(only, study);
    expect(summary.hypotheses.every((h) => h.verdict === 'not supported / inconclusive')).toBe(true);
  });
});

describe('blocks', () => {
  it('escapes HTML and renders inline markup', () => {
    expect(inlineHtml('a <b> **c** `d`')).toBe('a &lt;b&gt; <strong>c</strong> <code>d</code>');
    expect(blocksToMarkdown([{ kind: 'table', header: ['a', 'b'], rows: [['x|y', '1']] }], '')).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |\n');
  });
});
