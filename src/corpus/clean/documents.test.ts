import { describe, expect, it } from 'vitest';
import type { Document } from '../types.js';
import { cleanCorpus } from './clean.js';

function doc(id: string, text: string): Document {
  return { id, text, entities: [], relations: [] };
}

const DAYS = 'the patient took aspirin for pain and felt better after two days';
// Same 12 words but the last: Jaccard of 3-word shingles 9/11 = 0.818.
const WEEKS = 'the patient took aspirin for pain and felt better after two weeks';

describe('rule empty-documents', () => {
  const docs = (): Document[] => [doc('a', DAYS), doc('b', ' \n\t'), doc('c', '')];

  it('drops documents with only whitespace', () => {
    const { documents, report } = cleanCorpus(docs());
    expect(documents.map((d) => d.id)).toEqual(['a']);
    expect(report.changes.map((c) => [c.rule, c.document, c.before])).toEqual([
      ['empty-documents', 'b', 'b (3 chars, 0 entities, 0 relations)'],
      ['empty-documents', 'c', 'c (0 chars, 0 entities, 0 relations)'],
    ]);
  });

  it('keeps them when switched off', () => {
    const { documents } = cleanCorpus(docs(), { disabled: ['empty-documents'] });
    expect(documents.map((d) => d.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('rule exact-duplicate-documents', () => {
  const docs = (): Document[] => [doc('a', DAYS), doc('b', WEEKS), doc('c', DAYS)];

  it('keeps the first copy', () => {
    const { documents, report } = cleanCorpus(docs());
    expect(documents.map((d) => d.id)).toEqual(['a', 'b']);
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ rule: 'exact-duplicate-documents', document: 'c', after: 'same text as a' });
  });

  it('keeps both when switched off (and near-duplicates catch the copy instead)', () => {
    const off = cleanCorpus(docs(), { disabled: ['exact-duplicate-documents', 'near-duplicate-documents'] });
    expect(off.documents.map((d) => d.id)).toEqual(['a', 'b', 'c']);
    const nearOnly = cleanCorpus(docs(), { disabled: ['exact-duplicate-documents'] });
    expect(nearOnly.report.changes.map((c) => [c.rule, c.document, c.after])).toEqual([
      ['near-duplicate-documents', 'c', 'Jaccard 1.000 with a'],
    ]);
  });
});

describe('rule near-duplicate-documents', () => {
  const docs = (): Document[] => [doc('a', DAYS), doc('b', WEEKS)];

  it('drops a later document at or above the threshold', () => {
    const { documents, report } = cleanCorpus(docs(), { nearDuplicateThreshold: 0.8 });
    expect(documents.map((d) => d.id)).toEqual(['a']);
    expect(report.changes[0]).toMatchObject({ rule: 'near-duplicate-documents', document: 'b', after: 'Jaccard 0.818 with a' });
  });

  it('keeps it below the threshold, or when switched off', () => {
    expect(cleanCorpus(docs(), { nearDuplicateThreshold: 0.85 }).documents).toHaveLength(2);
    expect(cleanCorpus(docs()).documents).toHaveLength(2); // default 0.9
    const off = cleanCorpus(docs(), { nearDuplicateThreshold: 0.8, disabled: ['near-duplicate-documents'] });
    expect(off.documents).toHaveLength(2);
  });

  it('rejects a threshold outside (0, 1]', () => {
    expect(() => cleanCorpus(docs(), { nearDuplicateThreshold: 0 })).toThrow(/threshold must be in \(0, 1\]/);
    expect(() => cleanCorpus(docs(), { nearDuplicateThreshold: 1.5 })).toThrow(/threshold/);
  });
});

describe('rule train-test-leak', () => {
  const docs = (): Document[] => [
    doc('train/1', DAYS),
    doc('train/2', WEEKS),
    doc('train/3', 'an unrelated note about metformin and the morning glucose values'),
    doc('test/9', DAYS),
  ];

  it('drops train copies of test documents, exact or near', () => {
    const { documents, report } = cleanCorpus(docs(), { nearDuplicateThreshold: 0.8 });
    expect(documents.map((d) => d.id)).toEqual(['train/3', 'test/9']);
    expect(report.changes.map((c) => [c.rule, c.document, c.after])).toEqual([
      ['train-test-leak', 'train/1', 'same text as test/9'],
      ['train-test-leak', 'train/2', 'Jaccard 0.818 with test/9'],
    ]);
  });

  it('never lets the duplicate rules drop across splits when switched off', () => {
    const { documents, report } = cleanCorpus(docs(), { disabled: ['train-test-leak'], nearDuplicateThreshold: 0.8 });
    // Within train, train/2 is a near copy of train/1; the test copy of train/1 is left alone.
    expect(documents.map((d) => d.id)).toEqual(['train/1', 'train/3', 'test/9']);
    expect(report.changes.map((c) => [c.rule, c.document])).toEqual([['near-duplicate-documents', 'train/2']]);
  });

  it('recognises the split folders in any case and under their other names (Training/, TEST/)', () => {
    const capitalised = [doc('Training/1', DAYS), doc('Training/3', 'an unrelated note about metformin'), doc('TEST/9', DAYS)];
    const { documents, report } = cleanCorpus(capitalised);
    expect(documents.map((d) => d.id)).toEqual(['Training/3', 'TEST/9']);
    expect(report.changes.map((c) => [c.rule, c.document])).toEqual([['train-test-leak', 'Training/1']]);
  });

  it('does nothing without both train/ and test/ folders', () => {
    const noSplit = [doc('dev/1', DAYS), doc('test/9', WEEKS)];
    expect(cleanCorpus(noSplit).report.changes).toEqual([]);
  });
});
