import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBratCorpus } from '../../corpus/brat/write.js';
import { countAnnotations, generateCorpus } from '../../corpus/synth/index.js';
import { ADE_DIR } from '../../test-helpers/shared-data.js';
import { runCli } from '../test-helpers/run-cli.js';

const run = runCli;

interface StatsJson {
  format: string;
  tagLayers: string;
  documents: number;
  sentences: number;
  tokens: number;
  entities: Record<string, number>;
  relations: Record<string, number>;
  candidateRecall: { windowSentences: number; gold: number }[];
}

describe('medrex stats', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-stats-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  describe('on a hand-made brat corpus', () => {
    let dir: string;
    beforeAll(() => {
      dir = join(tmp, 'hand');
      mkdirSync(dir);
      //                     0         1         2         3         4
      //                     0123456789012345678901234567890123456789012
      writeFileSync(join(dir, 'a.txt'), 'Patient took aspirin 81 mg daily. No pain.\n');
      writeFileSync(
        join(dir, 'a.ann'),
        'T1\tDrug 13 20\taspirin\nT2\tStrength 21 26\t81 mg\nT3\tFrequency 27 32\tdaily\n' +
          'R1\tStrength-Drug Arg1:T2 Arg2:T1\nR2\tFrequency-Drug Arg1:T3 Arg2:T1\n',
      );
      writeFileSync(join(dir, 'b.txt'), 'Lasix 40 mg.\n');
      writeFileSync(join(dir, 'b.ann'), 'T1\tDrug 0 5\tLasix\nT2\tStrength 6 11\t40 mg\nR1\tStrength-Drug Arg1:T2 Arg2:T1\n');
    });

    it('prints one JSON object with the counts', async () => {
      const { code, stdout, stderr } = await run(['stats', dir, '--json']);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      const stats = JSON.parse(stdout) as StatsJson;
      expect(stats.format).toBe('brat');
      expect(stats.documents).toBe(2);
      // "Patient took aspirin 81 mg daily." + "No pain." + "Lasix 40 mg."
      expect(stats.sentences).toBe(3);
      // Patient took aspirin 81 mg daily . | No pain . | Lasix 40 mg .
      expect(stats.tokens).toBe(14);
      expect(stats.entities).toEqual({ Drug: 2, Strength: 2, Frequency: 1 });
      expect(stats.relations).toEqual({ 'Strength-Drug': 2, 'Frequency-Drug': 1 });
      expect(stats.candidateRecall.map((c) => c.gold)).toEqual([3, 3, 3]);
      // No two entities of different types overlap: one tag sequence holds them all.
      expect(stats.tagLayers).toBe('single');
    });

    it('prints tables by default', async () => {
      const { code, stdout } = await run(['stats', dir]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/│ documents\s+│ 2\s+│/);
      expect(stdout).toMatch(/│ tokens\s+│ 14\s+│/);
      expect(stdout).toMatch(/│ Drug\s+│ 2\s+│/);
      expect(stdout).toMatch(/│ Strength-Drug\s+│ 2\s+│/);
      expect(stdout).toMatch(/│ tag layers by default \("auto"\)\s+│ single\s+│/);
    });

    it('says when a model gets one tag sequence per type: a drug nested in its ADE', async () => {
      const nested = join(tmp, 'nested');
      mkdirSync(nested);
      writeFileSync(join(nested, 'n.txt'), 'Phenytoin hypersensitivity syndrome.\n');
      writeFileSync(join(nested, 'n.ann'), 'T1\tADE 0 35\tPhenytoin hypersensitivity syndrome\nT2\tDrug 0 9\tPhenytoin\n');
      const { code, stdout } = await run(['stats', nested, '--json']);
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as StatsJson).tagLayers).toBe('per-type');
    });

    it('stops at a bad annotation unless --lenient, and warns on stderr only', async () => {
      const bad = join(tmp, 'bad');
      mkdirSync(bad);
      writeFileSync(join(bad, 'c.txt'), 'Took Lasix.\n');
      writeFileSync(join(bad, 'c.ann'), 'T1\tDrug 5 10\tLasik\n');
      const strict = await run(['stats', bad, '--json']);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toBe('');
      // One line, and it says what gets past the error.
      expect(strict.stderr).toMatch(
        /^medrex: error: .*c\.ann:1: .*\[text-mismatch\]; run `medrex clean .*bad CLEAN_DIR` for a repaired copy, or pass --lenient to skip what is bad \(each skip is reported\)\n$/,
      );
      const lenient = await run(['stats', bad, '--json', '--lenient']);
      expect(lenient.code).toBe(0);
      expect(lenient.stderr).toMatch(/^medrex: warning: .*c\.ann:1: .*\[text-mismatch\]\n$/);
      expect((JSON.parse(lenient.stdout) as StatsJson).entities).toEqual({ Drug: 1 });
    });

    it('names a missing directory and a wrong format', async () => {
      const missing = await run(['stats', join(tmp, 'nope')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('does not exist [path-not-found]');
      const wrong = await run(['stats', dir, '--format', 'ade']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^medrex: error: .*DRUG-AE.rel not found .*\[path-not-found\]/);
      const unknown = await run(['stats', dir, '--format', 'xml']);
      expect(unknown.code).not.toBe(0);
    });
  });

  it('agrees with the synthetic corpus generator', async () => {
    const docs = generateCorpus({ docs: 8, seed: 3, length: 'short' });
    const dir = join(tmp, 'synth');
    await writeBratCorpus(dir, docs);
    const { code, stdout } = await run(['stats', dir, '--json']);
    expect(code).toBe(0);
    const stats = JSON.parse(stdout) as StatsJson;
    const counts = countAnnotations(docs);
    expect(stats.documents).toBe(8);
    expect(stats.entities).toEqual(counts.entitiesByType);
    expect(stats.relations).toEqual(counts.relationsByType);
  });

  const ade = ADE_DIR;
  describe.skipIf(!existsSync(join(ade, 'DRUG-AE.rel')))(`on the ADE corpus in ${ade} (skipped when absent)`, () => {
    it('detects the format and counts the standard benchmark set', async () => {
      const { code, stdout } = await run(['stats', ade, '--json']);
      expect(code).toBe(0);
      const stats = JSON.parse(stdout) as StatsJson;
      expect(stats.format).toBe('ade');
      // 4,272 distinct sentences and 6,821 relation lines in DRUG-AE.rel (see ../shared/data/README.md).
      expect(stats.documents).toBe(4272);
      expect(stats.relations).toEqual({ 'ADE-Drug': 6821 });
      expect(Object.keys(stats.entities).sort()).toEqual(['Adverse-Effect', 'Drug']);
    });
  });
});
