/**
 * End to end: `medrex study` on a tiny synthetic corpus, every run trained for real in its own child process
 * (from the built code in dist/: `npm test` builds first), then resumed, then the report checked.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { runCli } from '../cli/test-helpers/run-cli.js';
import { readAllRecords } from './record.js';
import { chromiumPath } from './report/browser.js';

const childBuilt = existsSync(join(import.meta.dirname, '..', '..', 'dist', 'study', 'child.js'));
if (!childBuilt) console.warn('study.slow.test: dist/study/child.js is missing (run `npm run build`); skipping');

const tinyStudy = {
  folds: 2,
  seeds: [1],
  configurations: [
    { name: 'pipeline', model: 'pipeline', sharing: 'none' },
    { name: 'joint-encoder', model: 'joint', sharing: 'encoder' },
  ],
  model: { wordDim: 16, hidden: 16, relHidden: 16, charFilters: 8, epochs: 2, patience: 0 },
  significance: { iterations: 500 },
  synthetic: { docs: 12, seed: 5, length: 'short' },
  // Each run trains data-parallel in its child process: the setting must reach the trainer and the record.
  threads: 2,
};

describe.skipIf(!childBuilt)('medrex study (end to end)', () => {
  it('trains every run in a child process, resumes without retraining, and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-e2e-'));
    const config = join(dir, 'study.json');
    const out = join(dir, 'report');
    writeFileSync(config, JSON.stringify(tinyStudy));

    expect(await main(['study', '--config', config, '--out', out, '--no-progress'])).toBe(0);
    const { records, invalid } = readAllRecords(out);
    expect(invalid).toEqual([]);
    // 12 documents -> 10 train (synth split) -> 2 folds of 5; 2 configurations x 2 folds x 1 seed.
    expect(records.map((r) => r.id).sort()).toEqual([
      'joint-encoder--fold0--seed1',
      'joint-encoder--fold1--seed1',
      'pipeline--fold0--seed1',
      'pipeline--fold1--seed1',
    ]);
    for (const r of records) {
      expect(r.data.testDocuments).toBe(5);
      expect(r.documents).toHaveLength(5);
      expect(r.scores.ner.strict.f1).toBeGreaterThanOrEqual(0);
      // The scorer's macro over types is kept: with every type in the test documents, the mean of their F1s.
      expect(r.scores.ner.macroStrictF1).toBeDefined();
      const types = r.scores.ner.perType.filter((t) => t.support > 0);
      if (types.length === r.scores.ner.perType.length) {
        expect(r.scores.ner.macroStrictF1).toBeCloseTo(types.reduce((sum, t) => sum + t.strictF1, 0) / types.length, 9);
      }
      expect(r.cost.peakRssMiB).toBeGreaterThan(20);
      expect(r.cost.cpuSeconds).toBeGreaterThan(0);
      // The model's own memory: more than its parameters and Adam state, far less than the process. The default
      // model is two equal networks: both members' weights, one member's Adam moments at a time.
      expect(r.cost.modelStateMiB).toBeCloseTo((r.parameters.total * 4 + (r.parameters.total / 2) * 8) / 2 ** 20, 9);
      expect(r.cost.arenaPeakMiB).toBeGreaterThan(r.cost.modelStateMiB!);
      expect(r.cost.arenaPeakMiB).toBeLessThan(r.cost.peakRssMiB);
      expect(r.cost.threads).toBe(2);
      // 2 epochs per phase, per member.
      expect(r.learningCurve.map((p) => `${p.member}:${p.phase}`)).toEqual(
        r.model === 'pipeline' ? ['1:ner', '1:ner', '1:re', '1:re', '2:ner', '2:ner', '2:re', '2:re'] : ['1:joint', '1:joint', '2:joint', '2:joint'],
      );
    }
    // Sharing the encoder removes the RE side's embedder and BiLSTM.
    const params = (name: string) => records.find((r) => r.configuration === name)!.parameters;
    expect(params('joint-encoder').total).toBeLessThan(params('pipeline').total);
    expect(Object.keys(params('joint-encoder').byGroup)).toContain('shared.encoder');

    // Resume: nothing left to run, the records are untouched.
    const before = readFileSync(join(out, 'runs', 'pipeline--fold0--seed1.json'), 'utf8');
    expect(await main(['study', '--config', config, '--out', out, '--no-progress', '--no-browser'])).toBe(0);
    expect(readFileSync(join(out, 'runs', 'pipeline--fold0--seed1.json'), 'utf8')).toBe(before);

    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const h of ['**H1**', '**H2**', '**H3-time**', '**H3-memory**']) expect(md).toContain(h);
    expect(existsSync(join(out, 'clean-report.json'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg ');
    expect(existsSync(join(out, 'corpus', 'train'))).toBe(true);
  });

  it.skipIf(chromiumPath() === null)('prints the poster as one A0 page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-pdf-'));
    const config = join(dir, 'study.json');
    writeFileSync(config, JSON.stringify({ ...tinyStudy, model: { ...tinyStudy.model, epochs: 1 } }));
    expect(await main(['study', '--config', config, '--out', join(dir, 'r'), '--no-progress'])).toBe(0);
    const pdf = readFileSync(join(dir, 'r', 'poster.pdf')).toString('latin1');
    expect(pdf.startsWith('%PDF')).toBe(true);
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    // A0 in points: 841 mm x 1189 mm = 2383.9 x 3370.4 pt.
    expect(pdf).toMatch(/\/MediaBox\s*\[\s*0 0 2383\.\d+ 3370\.\d+\s*\]/);
  });
});

describe('medrex study (errors)', () => {
  it('a bad study config is a one-line error naming the file, line and rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-cli-'));
    const config = join(dir, 'bad.json');
    writeFileSync(config, '{\n  "folds": 3,\n  "configurations": []\n}\n');
    const { code, stderr } = await runCli(['study', '--config', config, '--out', join(dir, 'out')]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `medrex: error: ${config}:3: study config key "configurations": Array must contain at least 2 element(s) [study-config-invalid-value]\n`,
    );
  });

  it.each([
    [['--threads', '0'], '--threads must be a whole number from 1 to 8, got "0" [study-bad-flag]'],
    [['--backend', 'gpu'], '--backend must be wasm or blas, got "gpu" [study-bad-flag]'],
  ])('rejects %j with a one-line error', async (flags, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-cli-'));
    const { code, stderr } = await runCli(['study', '--out', join(dir, 'out'), ...flags]);
    expect(code).toBe(1);
    expect(stderr).toBe(`medrex: error: ${message}\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
