import { describe, expect, it } from 'vitest';
import type { Document } from '../types.js';
import { cleanCorpus } from './clean.js';

function corpus(): Document[] {
  //     0123456789012345678
  const text = 'aspirin 81 mg daily';
  return [
    {
      id: 'd',
      text,
      entities: [
        { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'aspirin' },
        { id: 'T2', type: 'Strength', fragments: [{ start: 8, end: 13 }], text: '81 mg' },
        // Same type and span as T1: a duplicate.
        { id: 'T3', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'aspirin' },
        // Same span as T1 but another type: not a duplicate.
        { id: 'T4', type: 'Reason', fragments: [{ start: 0, end: 7 }], text: 'aspirin' },
      ],
      relations: [
        { id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' },
        { id: 'R2', type: 'Strength-Drug', arg1: 'T2', arg2: 'T3' },
      ],
      attributes: [
        { id: 'A1', type: 'Certainty', target: 'T1', value: 'high' },
        { id: 'A2', type: 'Certainty', target: 'T3', value: 'high' },
      ],
      notes: [{ id: '#1', type: 'AnnotatorNotes', target: 'T3', text: 'brand' }],
    },
  ];
}

describe('rule duplicate-entities', () => {
  it('keeps the first copy and re-points relations, attributes and notes to it', () => {
    const { documents, report } = cleanCorpus(corpus(), { disabled: ['duplicate-relations'] });
    const [doc] = documents;
    expect(doc.entities.map((e) => e.id)).toEqual(['T1', 'T2', 'T4']);
    expect(doc.relations.map((r) => [r.id, r.arg1, r.arg2])).toEqual([
      ['R1', 'T2', 'T1'],
      ['R2', 'T2', 'T1'],
    ]);
    expect(doc.attributes?.map((a) => a.id)).toEqual(['A1']);
    expect(doc.notes?.[0].target).toBe('T1');
    // T3 merged, A2 became a copy of A1.
    expect(report.totals['duplicate-entities']).toBe(2);
    expect(report.changes[0]).toMatchObject({ annotation: 'T3', action: 'dropped', after: 'duplicate of T1' });
  });

  it('leaves the copies when switched off', () => {
    const { documents, report } = cleanCorpus(corpus(), { disabled: ['duplicate-entities'] });
    expect(documents[0].entities.map((e) => e.id)).toEqual(['T1', 'T2', 'T3', 'T4']);
    expect(documents[0].relations.map((r) => r.arg2)).toEqual(['T1', 'T3']);
    expect(report.changes).toEqual([]);
  });
});

describe('rule duplicate-relations', () => {
  it('drops the relation that became a copy after merging entities', () => {
    const { documents, report } = cleanCorpus(corpus());
    expect(documents[0].relations.map((r) => r.id)).toEqual(['R1']);
    expect(report.totals['duplicate-relations']).toBe(1);
    expect(report.changes.find((c) => c.rule === 'duplicate-relations')).toMatchObject({
      annotation: 'R2',
      before: 'R2 Strength-Drug Arg1:T2 Arg2:T1',
      after: 'duplicate of R1',
    });
  });

  it('keeps relations that differ in type, direction or arguments', () => {
    const docs: Document[] = [
      {
        id: 'r',
        text: 'ab',
        entities: [
          { id: 'T1', type: 'X', fragments: [{ start: 0, end: 1 }], text: 'a' },
          { id: 'T2', type: 'Y', fragments: [{ start: 1, end: 2 }], text: 'b' },
        ],
        relations: [
          { id: 'R1', type: 'P', arg1: 'T1', arg2: 'T2' },
          { id: 'R2', type: 'Q', arg1: 'T1', arg2: 'T2' },
          { id: 'R3', type: 'P', arg1: 'T2', arg2: 'T1' },
          { id: 'R4', type: 'P', arg1: 'T1', arg2: 'T2' },
        ],
      },
    ];
    const on = cleanCorpus(docs, { disabled: ['relation-argument-types'] });
    expect(on.documents[0].relations.map((r) => r.id)).toEqual(['R1', 'R2', 'R3']);
    const off = cleanCorpus(docs, { disabled: ['relation-argument-types', 'duplicate-relations'] });
    expect(off.documents[0].relations.map((r) => r.id)).toEqual(['R1', 'R2', 'R3', 'R4']);
  });
});
