import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Document } from '../corpus/types.js';
import { readWordVectors } from '../models/vectors.js';
import { parseStudyConfig } from './config.js';
import { foldVectorsPath, prepareFoldVectors } from './pretrain.js';

/** Each document names a drug of its own, so a word's presence in a fold's vectors shows whose text was read. */
const DRUGS = ['amoxicillin', 'warfarin', 'heparin', 'digoxin', 'lithium', 'insulin'];
function documents(): Document[] {
  return DRUGS.map((drug, i) => ({
    id: `doc${i}`,
    text: `Patient took aspirin daily. Then ${drug} was started. `.repeat(3),
    entities: [],
    relations: [],
  }));
}

describe('fold-safe pretraining', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medrex-study-pretrain-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const study = parseStudyConfig({ pretrain: { enabled: true, dim: 8, epochs: 1, minCount: 1 } });
  const split = {
    description: 'two folds',
    splits: [
      { fold: 0, trainIds: ['doc2', 'doc3', 'doc4', 'doc5'], testIds: ['doc0', 'doc1'] },
      { fold: 1, trainIds: ['doc0', 'doc1', 'doc4', 'doc5'], testIds: ['doc2', 'doc3'] },
    ],
  };

  it("never reads a test document's text into its fold's vectors, and caches the files", async () => {
    const done = await prepareFoldVectors(dir, study, split, { documents: documents(), format: 'brat' });
    expect(done.map((d) => d.fold)).toEqual([0, 1]);
    const fold0 = readWordVectors(foldVectorsPath(dir, 0)).vectors;
    const fold1 = readWordVectors(foldVectorsPath(dir, 1)).vectors;
    expect(fold0.has('aspirin')).toBe(true);
    expect(done[0].units).toBe(4);
    expect([fold0.has('amoxicillin'), fold0.has('warfarin'), fold0.has('heparin')]).toEqual([false, false, true]);
    expect([fold1.has('amoxicillin'), fold1.has('heparin'), fold1.has('digoxin')]).toEqual([true, false, false]);
    const before = statSync(foldVectorsPath(dir, 0)).mtimeMs;
    expect(await prepareFoldVectors(dir, study, split, { documents: documents(), format: 'brat' })).toEqual([]);
    expect(statSync(foldVectorsPath(dir, 0)).mtimeMs).toBe(before);
  });

  it('leaves out whole groups: every sentence of a test ADE article', async () => {
    const ade: Document[] = ['100-1', '100-2', '200-1', '200-2'].map((id) => ({
      id,
      text: id.startsWith('100') ? 'Hepatitis after amoxicillin.' : 'Rash after penicillin.',
      entities: [],
      relations: [],
    }));
    const adeSplit = { description: 'one fold', splits: [{ fold: 0, trainIds: ['100-1', '200-1', '200-2'], testIds: ['100-2'] }] };
    const [done] = await prepareFoldVectors(dir, study, adeSplit, { documents: ade, format: 'ade' });
    // 100-1 is a training document but shares article 100 with the test sentence: its text is left out too.
    expect(done.units).toBe(2);
    const vectors = readWordVectors(foldVectorsPath(dir, 0)).vectors;
    expect(vectors.has('penicillin')).toBe(true);
    expect(vectors.has('amoxicillin')).toBe(false);
  });

  it('does nothing when pretraining is off', async () => {
    expect(await prepareFoldVectors(dir, parseStudyConfig({}), split, { documents: documents(), format: 'brat' })).toEqual([]);
    expect(existsSync(join(dir, 'vectors'))).toBe(false);
  });
});
