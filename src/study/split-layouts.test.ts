import { describe, expect, it } from 'vitest';
import { planSplits } from './folds.js';
import { corpusSplit, splitRoleOf, splitRoleOfFolder, withSplitFolders } from '../corpus/split.js';
import type { Document } from '../corpus/types.js';

describe('split folders', () => {
  it('match the common names in any case', () => {
    expect(['train', 'Train', 'TRAINING', 'Training'].map(splitRoleOfFolder)).toEqual(['train', 'train', 'train', 'train']);
    expect(['test', 'Test', 'testing', 'TEST'].map(splitRoleOfFolder)).toEqual(['test', 'test', 'test', 'test']);
    expect(['dev', 'Devel', 'valid', 'Validation', 'development'].map(splitRoleOfFolder)).toEqual(['dev', 'dev', 'dev', 'dev', 'dev']);
    expect(['trains', 'tests', 'data', '', 'constructor'].map(splitRoleOfFolder)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(splitRoleOf('Train/sub/doc1')).toBe('train');
    expect(splitRoleOf('doc1')).toBeUndefined();
  });

  it('make a split only with a train part and a test part', () => {
    expect(corpusSplit(['Train/a', 'Train/b', 'Test/c', 'Devel/d', 'notes/e'])).toEqual({
      train: ['Train/a', 'Train/b'],
      test: ['Test/c'],
      dev: ['Devel/d'],
      other: ['notes/e'],
    });
    expect(corpusSplit(['Train/a', 'Devel/d'])).toBeNull();
    expect(corpusSplit(['a', 'b'])).toBeNull();
  });

  it('can be built from separate directories', () => {
    const doc = (id: string): Document => ({ id, text: id, entities: [], relations: [] });
    const docs = withSplitFolders({ train: [doc('a')], test: [doc('a')], dev: [doc('x/b')] });
    expect(docs.map((d) => d.id)).toEqual(['train/a', 'dev/x/b', 'test/a']);
    expect(corpusSplit(docs.map((d) => d.id))?.dev).toEqual(['dev/x/b']);
  });

  it('are never pooled into cross-validation: the study trains on train (+dev) and scores on test', () => {
    const ids = ['Train/a', 'Train/b', 'Train/c', 'Train/d', 'TEST/e', 'Valid/f'];
    const tt = planSplits(ids, { k: 2, useTestSet: true, useCorpusFolds: true });
    expect(tt.splits).toEqual([{ fold: -1, trainIds: ['Train/a', 'Train/b', 'Train/c', 'Train/d', 'Valid/f'], testIds: ['TEST/e'], devIds: ['Valid/f'] }]);
    expect(tt.description).toContain('its 1 dev documents for early stopping');
    const cv = planSplits(ids, { k: 2, useTestSet: false, useCorpusFolds: true });
    expect(cv.splits.flatMap((s) => s.testIds).sort()).toEqual(['Train/a', 'Train/b', 'Train/c', 'Train/d', 'Valid/f']);
    expect(cv.description).toContain('its 1 test documents are not used; set useTestSet');
    expect(() => planSplits(ids, { k: 6, useTestSet: false, useCorpusFolds: true })).toThrow(
      /6-fold cross-validation needs at least 6 documents, the corpus's train part has 5/,
    );
  });
});
