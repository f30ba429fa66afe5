import { describe, expect, it } from 'vitest';
import { MedrexError } from '../../errors.js';
import type { Document } from '../types.js';
import { cleanCorpus, type CleanOptions } from './clean.js';
import { CLEAN_RULES, parseRuleList } from './rules.js';

/** One corpus that gives every rule something to do. */
function messyCorpus(): Document[] {
  //           0         1         2
  //           0123456789012345678901234
  const text = 'Gave aspirin, 81 mg for pain.';
  const clinical: Document = {
    id: 'train/1',
    text,
    entities: [
      { id: 'T1', type: 'Drug', fragments: [{ start: 5, end: 13 }], text: 'aspirin,' },
      { id: 'T2', type: 'Strength', fragments: [{ start: 14, end: 19 }], text: '81 mg' },
      { id: 'T3', type: 'Drug', fragments: [{ start: 5, end: 12 }], text: 'aspirin' },
      { id: 'T4', type: 'Reason', fragments: [{ start: 24, end: 28 }], text: 'pain' },
      { id: 'T5', type: 'Drug', fragments: [{ start: 20, end: 20 }], text: '' },
    ],
    relations: [
      { id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' },
      { id: 'R2', type: 'Strength-Drug', arg1: 'T2', arg2: 'T3' },
      { id: 'R3', type: 'Reason-Drug', arg1: 'T4', arg2: 'T9' },
    ],
  };
  const filler = ['a', 'b', 'c', 'd', 'e', 'f'].map(
    (k): Document => ({
      id: `train/${k}`,
      text: `note ${k} with dose ${k} and drug ${k} given`,
      entities: [
        { id: 'T1', type: 'Strength', fragments: [{ start: 0, end: 4 }], text: 'note' },
        { id: 'T2', type: k === 'f' ? 'Form' : 'Drug', fragments: [{ start: 5, end: 6 }], text: k },
        // Forms are common in the corpus but (almost) never in a Strength-Drug relation: train/f's is a slip.
        { id: 'T3', type: 'Form', fragments: [{ start: 7, end: 11 }], text: 'with' },
        { id: 'T4', type: 'Form', fragments: [{ start: 12, end: 16 }], text: 'dose' },
      ],
      relations: [{ id: 'R1', type: 'Strength-Drug', arg1: 'T1', arg2: 'T2' }],
    }),
  );
  return [
    clinical,
    ...filler,
    { id: 'train/copy', text, entities: [], relations: [] },
    { id: 'train/empty', text: '\n', entities: [], relations: [] },
    { id: 'test/1', text, entities: [], relations: [] },
  ];
}

/** The argument-type rule judges relation types of 5 or more here (20 by default), rare = below 20% (2%). */
const SMALL: CleanOptions = { argumentTypes: { maxShare: 0.2, strangerRatio: 0.25, minRelations: 5 } };

describe('cleanCorpus', () => {
  it('applies every rule to the messy corpus', () => {
    const { documents, report } = cleanCorpus(messyCorpus(), SMALL);
    expect(documents.map((d) => d.id)).toEqual([
      'train/a',
      'train/b',
      'train/c',
      'train/d',
      'train/e',
      'train/f',
      'test/1',
    ]);
    expect(report.documentsIn).toBe(10);
    expect(report.documentsOut).toBe(7);
    // train/1 and train/copy both leak into test/1 (the leak rule runs before the duplicate rules).
    expect(report.totals).toMatchObject({
      'empty-documents': 1,
      'train-test-leak': 2,
      'exact-duplicate-documents': 0,
      'relation-argument-types': 1, // train/f: Arg2 is a Form in 1 of 6 Strength-Drug relations
    });
  });

  it('reports the loss per entity and relation type, copies apart, worst first', () => {
    const { report } = cleanCorpus(messyCorpus(), SMALL);
    expect(report.loss[0]).toEqual({
      kind: 'relation',
      type: 'Strength-Drug',
      before: 8,
      after: 5,
      lost: 1,
      lostShare: 1 / 8,
      duplicates: 2, // R1 and R2 of train/1, dropped with the document that leaks into test/1
      byRule: { 'train-test-leak': 2, 'relation-argument-types': 1 },
    });
    const drug = report.loss.find((l) => l.kind === 'entity' && l.type === 'Drug');
    expect(drug).toMatchObject({ before: 8, after: 5, lost: 0, duplicates: 3 });
    expect(report.loss.map((l) => `${l.kind} ${l.type}`)).toContain('relation Reason-Drug');
  });

  it('fixes every annotation rule in one document', () => {
    const docs = messyCorpus().filter((d) => !d.id.startsWith('test/'));
    const { documents, report } = cleanCorpus(docs);
    const clinical = documents.find((d) => d.id === 'train/1') as Document;
    expect(clinical.entities.map((e) => `${e.id} ${e.text}`)).toEqual(['T1 aspirin', 'T2 81 mg', 'T4 pain']);
    expect(clinical.relations.map((r) => `${r.id} ${r.arg1}->${r.arg2}`)).toEqual(['R1 T2->T1']);
    expect(report.totals).toMatchObject({
      'trim-spans': 1,
      'zero-length-entities': 1,
      'duplicate-entities': 1,
      'dangling-relations': 1,
      'duplicate-relations': 1,
      'exact-duplicate-documents': 1,
    });
  });

  it('never modifies its input', () => {
    const input = messyCorpus();
    const snapshot = structuredClone(input);
    cleanCorpus(input);
    expect(input).toEqual(snapshot);
  });

  it('is idempotent: cleaning the cleaned corpus changes nothing', () => {
    const once = cleanCorpus(messyCorpus(), SMALL);
    const twice = cleanCorpus(once.documents, SMALL);
    expect(twice.report.changes).toEqual([]);
    expect(twice.documents).toEqual(once.documents);
  });

  it('reports every rule in the totals, and nothing when all are off', () => {
    const { documents, report } = cleanCorpus(messyCorpus(), { disabled: CLEAN_RULES });
    expect(Object.keys(report.totals)).toEqual([...CLEAN_RULES]);
    expect(report.changes).toEqual([]);
    expect(documents).toEqual(messyCorpus());
    expect(report.disabled).toEqual([...CLEAN_RULES]);
  });
});

describe('rule text-mismatch', () => {
  const docs = (): Document[] => [
    // As the lenient reader returns it: the text is already the source characters.
    {
      id: 'm',
      text: 'took Lasix',
      entities: [{ id: 'T1', type: 'Drug', fragments: [{ start: 5, end: 10 }], text: 'Lasix' }],
      relations: [],
    },
  ];
  const mismatch = { document: 'm', entity: 'T1', written: 'Lasik', source: 'Lasix', file: 'm.ann', line: 1 };

  it('reports the reader fix', () => {
    const { documents, report } = cleanCorpus(docs(), { textMismatches: [mismatch] });
    expect(documents[0].entities[0].text).toBe('Lasix');
    expect(report.changes).toEqual([
      {
        rule: 'text-mismatch',
        action: 'changed',
        document: 'm',
        annotation: 'T1',
        file: 'm.ann',
        line: 1,
        before: '"Lasik"',
        after: '"Lasix"',
      },
    ]);
  });

  it('keeps the text as written when switched off', () => {
    const { documents, report } = cleanCorpus(docs(), { textMismatches: [mismatch], disabled: ['text-mismatch'] });
    expect(documents[0].entities[0].text).toBe('Lasik');
    expect(report.changes).toEqual([]);
  });
});

describe('parseRuleList', () => {
  it('accepts valid names, separated by commas', () => {
    expect(parseRuleList('trim-spans, duplicate-relations')).toEqual(['trim-spans', 'duplicate-relations']);
    expect(parseRuleList('')).toEqual([]);
  });

  it('rejects unknown names, listing the valid ones', () => {
    expect(() => parseRuleList('trim-spans,trim')).toThrow(MedrexError);
    expect(() => parseRuleList('trim')).toThrow(/unknown cleaning rule 'trim'; valid rules: text-mismatch, /);
  });
});
