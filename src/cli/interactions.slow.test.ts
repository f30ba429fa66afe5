/**
 * A brat corpus of another domain (drug-drug interactions: own label set, same-type relations without a direction,
 * long notes, `Train/` and `Test/`) through clean, train (1 epoch, tiny), predict, eval and stats: no error and no
 * silent loss.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeInteractionsCorpus } from '../corpus/fixtures/interactions.js';
import { runCli } from './test-helpers/run-cli.js';

describe('a drug-interaction corpus through every verb', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-ddi-cli-'));
    await writeInteractionsCorpus(join(tmp, 'ddi'), { docs: 5, seed: 3 });
    writeFileSync(join(tmp, 'tiny.json'), JSON.stringify({ hidden: 8, wordDim: 8, charFilters: 8, relHidden: 8, epochs: 1, patience: 0 }));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('cleans without loss, trains on Train only, predicts and scores Test, and reports every label', async () => {
    const cleaned = await runCli(['clean', join(tmp, 'ddi'), join(tmp, 'clean'), '--json']);
    expect(cleaned.code).toBe(0);
    const report = JSON.parse(cleaned.stdout) as { changes: unknown[]; loss: { type: string; lost: number }[] };
    expect(report.changes).toEqual([]);
    expect(report.loss.map((l) => l.type).sort()).toEqual(
      ['Advise', 'Brand', 'Class', 'Compound', 'Effect', 'Experimental', 'Interaction', 'Mechanism'],
    );

    for (const kind of ['joint', 'pipeline']) {
      const model = join(tmp, `model-${kind}`);
      const trained = await runCli([
        'train', '--data', join(tmp, 'clean'), '--model', kind, '--out', model, '--config', join(tmp, 'tiny.json'), '--no-progress',
      ]);
      expect(trained.code).toBe(0);
      expect(trained.stderr).toContain('has a train/test split: training on its 4 train documents; its 1 test documents are left out');
      const card = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as {
        labels: { entityTypes: string[]; relationTypes: string[]; symmetricTypes: string[] };
      };
      expect(card.labels.entityTypes).toEqual(['Brand', 'Class', 'Compound', 'Experimental']);
      expect(card.labels.relationTypes).toEqual(['Advise', 'Effect', 'Interaction', 'Mechanism']);
      // Same-type relations annotated in either order: no direction, learned from the data and saved.
      expect(card.labels.symmetricTypes.length).toBeGreaterThan(0);

      const pred = join(tmp, `pred-${kind}`);
      const predicted = await runCli(['predict', '--model', model, '--in', join(tmp, 'clean', 'Test'), '--out', pred, '--gold-entities']);
      expect(predicted.code).toBe(0);
      expect(predicted.stdout).toMatch(/^medrex predict: 1 documents, \d+ entities, \d+ relations/);
      const scored = await runCli(['eval', join(tmp, 'clean', 'Test'), pred, '--json']);
      expect(scored.code).toBe(0);
      expect(scored.stdout).toContain('"Mechanism"');
      expect(scored.stderr).toContain('relation types matched in either argument order');
    }

    // A bad line: predict stops with a hint, or skips it with --lenient (reported).
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'n.txt'), 'Took warfarin.\n');
    writeFileSync(join(bad, 'n.ann'), 'T1\tCompound 5 13\twarfarim\n');
    const strict = await runCli(['predict', '--model', join(tmp, 'model-joint'), '--in', bad, '--out', join(tmp, 'pred-bad')]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/n\.ann:1: .*\[text-mismatch\]; run `medrex clean .*` for a repaired copy, or pass --lenient/);
    const lenient = await runCli(['predict', '--model', join(tmp, 'model-joint'), '--in', bad, '--out', join(tmp, 'pred-bad'), '--lenient']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/^medrex: warning: .*n\.ann:1: .*\[text-mismatch\]/);

    const stats = await runCli(['stats', join(tmp, 'clean'), '--json']);
    expect(stats.code).toBe(0);
    const json = JSON.parse(stats.stdout) as { documents: number; relations: Record<string, number> };
    expect(json.documents).toBe(5);
    expect(Object.keys(json.relations).sort()).toEqual(['Advise', 'Effect', 'Interaction', 'Mechanism']);
  }, 180_000);

  it('runs the whole study on its Train/ and Test/ parts', async () => {
    writeFileSync(
      join(tmp, 'study.json'),
      JSON.stringify({
        seeds: [1],
        configurations: [
          { name: 'pipeline', model: 'pipeline', sharing: 'none' },
          { name: 'joint-encoder', model: 'joint', sharing: 'encoder' },
        ],
        model: { hidden: 8, wordDim: 8, charFilters: 8, relHidden: 8, epochs: 1, patience: 0 },
        significance: { iterations: 200 },
      }),
    );
    const out = join(tmp, 'study');
    const result = await runCli([
      'study', '--train', join(tmp, 'ddi', 'Train'), '--test', join(tmp, 'ddi', 'Test'), '--config', join(tmp, 'study.json'),
      '--out', out, '--no-browser', '--no-progress',
    ]);
    expect(result.code).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs?: unknown[]; records?: unknown[] };
    expect((results.runs ?? results.records ?? []).length).toBe(2);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('joint-encoder');
  }, 300_000);
});
