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
    const [h1, h2, time, memory] = summary.hypotheses;
    expect(h1.verdict).toBe('supported for joint-encoder');
    expect(h2.verdict).toBe('inconclusive for joint-encoder');
    expect([time.id, memory.id]).toEqual(['H3-time', 'H3-memory']);
    // Costs are paired by fold (seeds averaged): 2 folds, so the exact test's floor is 2/2^2 = 0.5.
    expect(time.perConfiguration[0].verdict).toBe('inconclusive');
    expect(summary.comparisons[0].cost.trainSeconds.n).toBe(2);
    expect(summary.comparisons[0].cost.trainSeconds.pFloor).toBe(0.5);
    expect(summary.comparisons[0].cost.arenaPeakMiB.atFloor).toBe(true);
    expect(memory.perConfiguration[0].evidence).toMatch(/^engine arena peak -0\.80 MiB .*p ≤ 0\.500 \(the floor of the test\)/);
    // F1 is paired by document with seeds summed: 2 folds x 5 documents = 10 items, not 20.
    expect(summary.comparisons[0].f1.reEndToEnd.n).toBe(10);
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
    expect(md).toContain('**H1** — Sharing parameters between NER and RE improves end-to-end RE F1 over pipeline. **Verdict: supported for joint-encoder.**');
    expect(md).toContain('**H2** — Sharing parameters between NER and RE improves NER F1 over pipeline. **Verdict: inconclusive for joint-encoder.**');
    expect(md).toContain('**H3-time** — Sharing parameters reduces training time compared with pipeline. **Verdict: inconclusive for joint-encoder.**');
    expect(md).toContain("**H3-memory** — Sharing parameters reduces the model's memory compared with pipeline.");
    // NER (5,1,1) per document -> 10/12; relations (3,1,1) -> 6/8; time 25, 12, 12, 12 -> 15.25 ± 6.5.
    expect(md).toContain('| joint-encoder | 4 | 0.833 ± 0.000 (0.833) | 0.750 ± 0.000 (0.750) | 0.750 ± 0.000 (0.750) | 15.3 ± 6.5 | 16.8 ± 7.2 | 3.20 ± 0.00 | 250 ± 0 | 1,200 |');
    expect(md).toContain('n = documents (seeds averaged within a document)');
    expect(md).toContain('**timed runs one at a time**');
    expect(md).toContain('Holm-corrected');
    expect(md).toContain('every one of the 8 runs with a dev set reached its best dev score before its last epoch');
    expect(md).toContain('Lenient F1 is at least strict F1 everywhere');

    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect((html.match(/<svg /g) ?? []).length).toBe(11);
    expect(html).toContain('<table>');
    expect(html).toContain('<strong>Verdict: supported for joint-encoder.</strong>');
    // Self-contained: no external scripts, styles or images.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/);
    const embedded = html.match(/<script type="application\/json" id="study-summary">([\s\S]*?)<\/script>/);
    expect(JSON.parse(embedded![1]).baseline).toBe('pipeline');

    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.records).toHaveLength(8);
    const poster = readFileSync(join(dir, 'poster.html'), 'utf8');
    expect(poster).toContain('size: 841mm 1189mm');
    // Two forest plots and the configurations diagram; the answer box; no run ids or hashes outside the footer.
    expect((poster.match(/<svg /g) ?? []).length).toBe(3);
    expect(poster).toContain('<div class="conclusion"><h2>Answer</h2>');
    expect(poster.replace(/<footer>[\s\S]*<\/footer>/, '')).not.toContain('abcdef012345');
  });

  it('writes a report even before any run has finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-empty-'));
    await writeReport(dir, { ...ctx, completedRuns: 0 }, [], { browser: false });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('8 planned runs have no record');
    expect(md).toContain('**Verdict: inconclusive (no configuration that shares parameters has records).**');
  });

  it('says how the vectors were pretrained, fold by fold, when the study pretrains', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-pretrain-'));
    const pretraining = parseStudyConfig({ seeds: study.seeds, pretrain: { enabled: true, dim: 50 } });
    await writeReport(dir, { ...ctx, study: pretraining, completedRuns: 0 }, [], { browser: false });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**Pretraining**: word vectors (skip-gram, 50 dimensions');
    expect(md).toContain("never a sentence of a test document's group");
  });

  it("says which tag layout the runs' models used, and leaves it out for records that do not say", async () => {
    const records = handMadeRecords().map((r) => ({ ...r, tagLayers: r.fold === 0 ? ('per-type' as const) : ('single' as const) }));
    expect(summarizeStudy(records, study).tagLayouts).toEqual({ 'per-type': 4, single: 4 });
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-layers-'));
    await writeReport(dir, ctx, records, { browser: false });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/tag layers: per-type in 4 runs, single in 4 runs \(per-type: one tag sequence/);
    const old = handMadeRecords().map((r) => ({ ...r, tagLayers: null }));
    expect(summarizeStudy(old, study).tagLayouts).toEqual({});
    await writeReport(dir, ctx, old, { browser: false });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('tag layers:');
  });

  it("says which relation decision weights the runs' models chose, and leaves it out for records that do not say", async () => {
    const records = handMadeRecords().map((r) => ({ ...r, noneWeight: r.fold === 0 ? 4 : r.configuration === 'pipeline' ? 0.25 : 1 }));
    // Lightest weight first (a record keyed by weight would put 0.25 after the integers).
    expect(summarizeStudy(records, study).noneWeights).toEqual([
      { noneWeight: 0.25, runs: 2 },
      { noneWeight: 1, runs: 2 },
      { noneWeight: 4, runs: 4 },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-decision-'));
    await writeReport(dir, ctx, records, { browser: false });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/relation decision: .* w = 0\.25 in 2 runs, 1 in 2 runs, 4 in 4 runs\./);
    await writeReport(dir, ctx, handMadeRecords().map((r) => ({ ...r, noneWeight: null })), { browser: false });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('relation decision:');
  });

  it('says so when a hypothesis has no sharing configuration to test', () => {
    const only = handMadeRecords().filter((r) => r.configuration === 'pipeline');
    const summary = summarizeStudy(only, study);
    expect(summary.hypotheses.every((h) => h.verdict.startsWith('inconclusive (no configuration'))).toBe(true);
  });
});

describe('the published ADE protocol', () => {
  const prf = (f1: number) => ({ precision: f1, recall: f1, f1 });
  const apart = (f1: number, removed: number) => ({ goldRelationsRemoved: removed, reEndToEnd: { strict: prf(f1), lenient: prf(f1 + 0.01) } });

  it('reports RE without relations between overlapping entities beside the full figure, when the test data had such relations', async () => {
    const records = handMadeRecords().map((r) => ({ ...r, withoutOverlapping: apart(r.configuration === 'pipeline' ? 0.6 : r.seed === 1 ? 0.8 : 0.9, 3) }));
    const summary = summarizeStudy(records, study);
    const joint = summary.configurations.find((x) => x.name === 'joint-encoder')!;
    expect(joint.withoutOverlapping?.strict.mean).toBeCloseTo(0.85);
    // 3 per test document set, counted once per fold (2 folds), not once per seed.
    expect(joint.withoutOverlapping?.goldRelationsRemoved).toBe(6);
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-apart-'));
    await writeReport(dir, ctx, records, { browser: false });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('with relations between overlapping entities removed from gold and prediction');
    expect(md).toMatch(/\| joint-encoder \| 4 \| [0-9.]+ ± [0-9.]+ \| 0\.750 ± 0\.000 \| 0\.850 ± 0\.058 \(0\.860\) \| 6 \|/);
  });

  it('averages NER over entity types per run (the published macro F1), leaving out types a test set does not have', () => {
    const perType = (drug: number, ade: number, adeSupport = 5) => [
      { type: 'Drug', support: 5, strictF1: drug, lenientF1: drug },
      { type: 'ADE', support: adeSupport, strictF1: ade, lenientF1: ade },
    ];
    const records = handMadeRecords().map((r) => ({
      ...r,
      scores: { ...r.scores, ner: { ...r.scores.ner, perType: r.fold === 0 ? perType(0.9, 0.6) : perType(0.8, 0, 0) } },
    }));
    const pipeline = summarizeStudy(records, study).configurations.find((x) => x.name === 'pipeline')!;
    // Fold 0: (0.9 + 0.6) / 2; fold 1: Drug alone (its test set has no ADE, so that 0 does not count).
    const expected = records.flatMap((r) => (r.configuration === 'pipeline' ? [r.fold === 0 ? 0.75 : 0.8] : []));
    expect(new Set(expected).size).toBe(2);
    expect(pipeline.nerMacroStrict.n).toBe(expected.length);
    expect(pipeline.nerMacroStrict.mean).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / expected.length);
    // A record that kept the scorer's macro F1 is taken at its word (the scorer also counts a type only predicted).
    const scored = records.map((r) => ({ ...r, scores: { ...r.scores, ner: { ...r.scores.ner, macroStrictF1: r.fold === 0 ? 0.5 : 0.7 } } }));
    const fromScorer = summarizeStudy(scored, study).configurations.find((x) => x.name === 'pipeline')!;
    const scorerExpected = scored.flatMap((r) => (r.configuration === 'pipeline' ? [r.fold === 0 ? 0.5 : 0.7] : []));
    expect(fromScorer.nerMacroStrict.mean).toBeCloseTo(scorerExpected.reduce((a, b) => a + b, 0) / scorerExpected.length);
  });

  it('puts both columns over the same runs when older records lack the figure', () => {
    const records = handMadeRecords().map((r) => (r.fold === 0 ? { ...r, withoutOverlapping: apart(0.9, 2) } : r));
    const joint = summarizeStudy(records, study).configurations.find((x) => x.name === 'joint-encoder')!;
    expect(joint.withoutOverlapping).toMatchObject({ runs: 2, goldRelationsRemoved: 2 });
    expect(joint.withoutOverlapping?.allStrict.n).toBe(2);
  });

  it('leaves the table out when no gold relation joined overlapping entities, or no record measured it', async () => {
    for (const records of [handMadeRecords(), handMadeRecords().map((r) => ({ ...r, withoutOverlapping: apart(0.7, 0) }))]) {
      const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-apart-none-'));
      await writeReport(dir, ctx, records, { browser: false });
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('overlapping removed');
    }
  });
});

describe('convergence and lenient scores', () => {
  it('flags a run whose best dev score came at its last epoch, and says so in the report', async () => {
    const records = handMadeRecords();
    const still = records.findIndex((r) => r.configuration === 'joint-encoder');
    records[still] = fakeRecord({ configuration: 'joint-encoder', model: 'joint', sharing: 'encoder', fold: 0, seed: 1, docs: { d: c(1, 0, 0) }, devScores: [0.5, 0.6, 0.7] });
    const summary = summarizeStudy(records, study);
    expect(summary.convergence.flagged).toEqual([
      { run: 'joint-encoder--fold0--seed1', configuration: 'joint-encoder', phase: 'joint', bestEpoch: 3, epochs: 3 },
    ]);
    expect(summary.convergence.judged).toBe(8);
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-converge-'));
    await writeReport(dir, ctx, records, { browser: false });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**Convergence: 1 of 8 runs were stopped while their dev score was still improving**');
    expect(md).toContain('`joint-encoder--fold0--seed1` (joint phase): best dev score at epoch 3 of 3');
  });

  it('judges each ensemble member by itself: a member still improving is flagged even when the other scored higher', () => {
    const base = fakeRecord({ configuration: 'pipeline', fold: 0, seed: 1, docs: { d: c(1, 0, 0) }, devScores: [0.5, 0.6] });
    const [first] = base.learningCurve;
    const point = (member: number, epoch: number, devScore: number) => ({ ...first, member, epoch, devScore });
    // Member 1 peaked early at 0.9; member 2 was still improving (0.5 then 0.6) when it ran out of epochs.
    const record = { ...base, learningCurve: [point(1, 1, 0.9), point(1, 2, 0.8), point(2, 1, 0.5), point(2, 2, 0.6)] };
    expect(summarizeStudy([record], study).convergence.flagged).toEqual([
      { run: record.id, configuration: 'pipeline', phase: `${first.phase}, member 2`, bestEpoch: 2, epochs: 2 },
    ]);
  });

  it('a tie keeps the first best epoch, as early stopping does: not flagged', () => {
    const records = [fakeRecord({ configuration: 'pipeline', fold: 0, seed: 1, docs: { d: c(1, 0, 0) }, devScores: [0.5, 0.7, 0.7] })];
    expect(summarizeStudy(records, study).convergence.flagged).toEqual([]);
  });

  it('names where lenient F1 sits below strict and explains the official duplicate rule', async () => {
    const records = handMadeRecords().map((r) =>
      r.configuration === 'joint-encoder' ? { ...r, scores: { ...r.scores, reEndToEnd: { ...r.scores.reEndToEnd, lenient: { precision: 0.7, recall: 0.7, f1: 0.7 } } } } : r,
    );
    const summary = summarizeStudy(records, study);
    expect(summary.lenientBelowStrict).toEqual([{ configuration: 'joint-encoder', task: 'reEndToEnd', strict: 0.75, lenient: 0.7 }]);
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-report-lenient-'));
    await writeReport(dir, ctx, records, { browser: false });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**Lenient below strict.** `joint-encoder` RE (end to end): lenient 0.700 < strict 0.750.');
    expect(md).toContain('pares duplicates down');
  });
});

describe('blocks', () => {
  it('escapes HTML and renders inline markup', () => {
    expect(inlineHtml('a <b> **c** `d`')).toBe('a &lt;b&gt; <strong>c</strong> <code>d</code>');
    expect(blocksToMarkdown([{ kind: 'table', header: ['a', 'b'], rows: [['x|y', '1']] }], '')).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |\n');
  });
});
