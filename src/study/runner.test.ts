import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import type { Document } from '../corpus/types.js';
import { parseStudyConfig } from './config.js';
import { corpusHash } from './corpus.js';
import { hashFolds, holdOutDev, planSplits } from './folds.js';
import { inProcessExecutor } from './job.js';
import { readAllRecords, recordPath, writeRecord } from './record.js';
import type { RunOne, RunSpec } from './run-one.js';
import { planStudy, runStudy } from './runner.js';
import { fakeRecord } from './test-helpers/records.js';

const docs = generateCorpus({ docs: 12, seed: 3, length: 'short' });
const study = parseStudyConfig({
  folds: 3,
  seeds: [1],
  configurations: [
    { name: 'pipe', model: 'pipeline' },
    { name: 'shared', model: 'joint', sharing: 'encoder' },
  ],
  model: { epochs: 1 },
});

/** A RunOne that records what it was given and returns a record without training anything. */
function fakeRunOne(calls: string[], failOn?: string): RunOne {
  return async (spec: RunSpec, trainDocs: readonly Document[], testDocs: readonly Document[]) => {
    calls.push(spec.id);
    if (spec.id === failOn) throw new Error('simulated crash');
    const record = fakeRecord({
      configuration: spec.configuration.name,
      fold: spec.fold,
      seed: spec.seed,
      docs: Object.fromEntries(testDocs.map((d) => [d.id, { tp: 1, fp: 0, fn: 0 }])),
    });
    return { ...record, id: spec.id, specKey: spec.specKey, corpusHash: spec.corpusHash, data: { ...record.data, trainDocuments: trainDocs.length } };
  };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'medrex-study-runner-'));
}

describe('folds', () => {
  it('hash folds are balanced, disjoint, cover every id, and do not depend on input order', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `doc${i}`);
    const folds = hashFolds(ids, 3);
    expect(folds.map((f) => f.length).sort()).toEqual([3, 3, 4]);
    expect(folds.flat().sort()).toEqual([...ids].sort());
    expect(hashFolds([...ids].reverse(), 3)).toEqual(folds);
  });

  it('uses the corpus train/test split only when asked, and cross-validates on train otherwise', () => {
    const ids = ['train/a', 'train/b', 'train/c', 'train/d', 'test/e', 'test/f'];
    const tt = planSplits(ids, { k: 2, useTestSet: true, useCorpusFolds: true });
    expect(tt.splits).toEqual([{ fold: -1, trainIds: ['train/a', 'train/b', 'train/c', 'train/d'], testIds: ['test/e', 'test/f'] }]);
    const cv = planSplits(ids, { k: 2, useTestSet: false, useCorpusFolds: true });
    expect(cv.splits).toHaveLength(2);
    expect(cv.splits.flatMap((s) => s.testIds).sort()).toEqual(['train/a', 'train/b', 'train/c', 'train/d']);
  });

  it("uses the corpus's own folds when given", () => {
    const plan = planSplits(['1', '2', '3', '4'], { k: 5, useTestSet: false, useCorpusFolds: true, corpusFolds: [['1', '3'], ['2', '4']] });
    expect(plan.splits).toEqual([
      { fold: 0, testIds: ['1', '3'], trainIds: ['2', '4'] },
      { fold: 1, testIds: ['2', '4'], trainIds: ['1', '3'] },
    ]);
  });

  it('says when hash folds put one group (an article) in several folds, and is silent when every group is whole', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `${1000 + Math.floor(i / 4)}-${i % 4}`);
    const byArticle = planSplits(ids, { k: 5, useTestSet: false, useCorpusFolds: false, groupOf: (id) => id.split('-')[0] });
    const spread = new Set(
      ids.map((id) => id.split('-')[0]).filter((g) => new Set(byArticle.splits.filter((s) => s.testIds.some((id) => id.startsWith(`${g}-`))).map((s) => s.fold)).size > 1),
    );
    expect(spread.size).toBeGreaterThan(0);
    expect(byArticle.description).toContain(`${spread.size} of 10 groups`);
    const oneEach = planSplits(ids, { k: 5, useTestSet: false, useCorpusFolds: false, groupOf: (id) => id });
    expect(oneEach.description).not.toContain('groups');
  });

  it('holds out a dev share of the training ids', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `d${i}`);
    const { train, dev } = holdOutDev(ids, 0.1);
    expect(dev).toHaveLength(2);
    expect(train).toHaveLength(18);
    expect(new Set([...train, ...dev]).size).toBe(20);
    expect(holdOutDev(ids, 0)).toEqual({ train: ids, dev: [] });
  });

  it('holds out whole groups (an ADE article with all its sentences)', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `${1000 + Math.floor(i / 4)}-${i % 4}`);
    const groupOf = (id: string) => id.split('-')[0];
    const { train, dev } = holdOutDev(ids, 0.1, groupOf);
    expect(dev).toHaveLength(4);
    expect(new Set(dev.map(groupOf)).size).toBe(1);
    expect(train.filter((id) => groupOf(id) === groupOf(dev[0]))).toEqual([]);
  });
});

describe('runStudy', () => {
  const hash = corpusHash(docs);

  it('plans one run per (fold, seed, configuration); the spec key changes with the model config', () => {
    const plan = planStudy(docs, study, { corpusHash: hash, codeVersion: 'x' });
    expect(plan.specs.map((s) => s.id)).toEqual([
      'pipe--fold0--seed1',
      'shared--fold0--seed1',
      'pipe--fold1--seed1',
      'shared--fold1--seed1',
      'pipe--fold2--seed1',
      'shared--fold2--seed1',
    ]);
    for (const s of plan.specs) {
      expect(s.trainIds.length + s.testIds.length).toBe(12);
      expect(s.devIds.every((id) => s.trainIds.includes(id))).toBe(true);
    }
    const other = planStudy(docs, parseStudyConfig({ ...study, model: { epochs: 2 } }), { corpusHash: hash, codeVersion: 'x' });
    expect(other.specs[0].specKey).not.toBe(plan.specs[0].specKey);
  });

  it('resumes: skips runs with a valid record, reruns missing, truncated and stale ones', async () => {
    const dir = tempDir();
    const calls: string[] = [];
    const execute = inProcessExecutor(fakeRunOne(calls));
    const first = await runStudy({ reportDir: dir, study, documents: docs, corpusHash: hash, execute, progress: false, codeVersion: 'x' });
    expect(first.completed).toHaveLength(6);
    expect(first.skipped).toHaveLength(0);
    expect(readAllRecords(dir).records).toHaveLength(6);

    // As if the study had been killed: one record never written, one cut off mid-write, one from an older config.
    rmSync(recordPath(dir, 'pipe--fold1--seed1'));
    const truncated = recordPath(dir, 'shared--fold1--seed1');
    writeFileSync(truncated, readFileSync(truncated, 'utf8').slice(0, 100));
    const stale = readAllRecords(dir).records.find((r) => r.id === 'pipe--fold2--seed1')!;
    writeRecord(dir, { ...stale, specKey: 'from-another-config' });

    calls.length = 0;
    const second = await runStudy({ reportDir: dir, study, documents: docs, corpusHash: hash, execute, progress: false, codeVersion: 'x' });
    expect(calls.sort()).toEqual(['pipe--fold1--seed1', 'pipe--fold2--seed1', 'shared--fold1--seed1']);
    expect(second.skipped).toHaveLength(3);
    expect(readAllRecords(dir)).toMatchObject({ invalid: [] });
    expect(readAllRecords(dir).records).toHaveLength(6);

    // Another corpus invalidates every record.
    calls.length = 0;
    await runStudy({ reportDir: dir, study, documents: docs.slice(0, 9), corpusHash: corpusHash(docs.slice(0, 9)), execute, progress: false });
    expect(calls).toHaveLength(6);
  });

  it('a failing run is reported and the others still complete', async () => {
    const dir = tempDir();
    const calls: string[] = [];
    const result = await runStudy({
      reportDir: dir,
      study,
      documents: docs,
      corpusHash: hash,
      execute: inProcessExecutor(fakeRunOne(calls, 'shared--fold0--seed1')),
      progress: false,
      codeVersion: 'x',
    });
    expect(result.failed.map((f) => f.id)).toEqual(['shared--fold0--seed1']);
    expect(result.failed[0].error).toContain('simulated crash');
    expect(result.completed).toHaveLength(5);
    expect(readAllRecords(dir).records.map((r) => r.id)).not.toContain('shared--fold0--seed1');
  });
});
