import { describe, expect, it } from 'vitest';
import type { Document, Entity, Relation } from '../types.js';
import { cleanCorpus } from './clean.js';
import { profileArgumentTypes } from './relations.js';

/** A document with one relation of `relType` from an entity of type `t1` to one of type `t2`. */
function pair(id: string, relType: string, t1: string, t2: string): Document {
  const entities: Entity[] = [
    { id: 'T1', type: t1, fragments: [{ start: 0, end: 1 }], text: 'a' },
    { id: 'T2', type: t2, fragments: [{ start: 2, end: 3 }], text: 'b' },
  ];
  const relations: Relation[] = [{ id: 'R1', type: relType, arg1: 'T1', arg2: 'T2' }];
  // Distinct texts so the duplicate-document rules leave these alone.
  return { id, text: `a b ${id}`, entities, relations };
}

describe('rule dangling-relations', () => {
  const docs = (): Document[] => {
    const d = pair('d', 'ADE-Drug', 'ADE', 'Drug');
    d.relations.push({ id: 'R2', type: 'ADE-Drug', arg1: 'T1', arg2: 'T9' });
    return [d];
  };

  it('drops relations whose argument does not exist', () => {
    const { documents, report } = cleanCorpus(docs());
    expect(documents[0].relations.map((r) => r.id)).toEqual(['R1']);
    expect(report.changes).toEqual([
      {
        rule: 'dangling-relations',
        action: 'dropped',
        document: 'd',
        annotation: 'R2',
        before: 'R2 ADE-Drug Arg1:T1 Arg2:T9',
        after: 'no entity T9',
      },
    ]);
  });

  it('keeps them when switched off', () => {
    const { documents } = cleanCorpus(docs(), { disabled: ['dangling-relations'] });
    expect(documents[0].relations.map((r) => r.id)).toEqual(['R1', 'R2']);
  });
});

describe('rule relation-argument-types', () => {
  // Five ADE-Drug relations from ADE to Drug, one whose Arg2 is a Reason: Reason fills 1/6 < 0.2 of Arg2.
  const corpus = (): Document[] => [
    ...['a', 'b', 'c', 'd', 'e'].map((id) => pair(id, 'ADE-Drug', 'ADE', 'Drug')),
    pair('f', 'ADE-Drug', 'ADE', 'Reason'),
  ];

  it('profiles argument types per relation type', () => {
    const p = profileArgumentTypes(corpus()).get('ADE-Drug');
    expect(p?.total).toBe(6);
    expect(Object.fromEntries(p?.arg2 ?? [])).toEqual({ Drug: 5, Reason: 1 });
  });

  it('drops the relation whose argument type is rare for its slot', () => {
    const { documents, report } = cleanCorpus(corpus());
    expect(documents.map((d) => d.relations.length)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(report.changes).toEqual([
      {
        rule: 'relation-argument-types',
        action: 'dropped',
        document: 'f',
        annotation: 'R1',
        before: 'R1 ADE-Drug Arg1:T1 Arg2:T2',
        after: 'Arg2 is Reason, expected Drug',
      },
    ]);
  });

  it('keeps it when switched off', () => {
    const { documents } = cleanCorpus(corpus(), { disabled: ['relation-argument-types'] });
    expect(documents.map((d) => d.relations.length)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('does not judge relation types with too few examples', () => {
    // 3 + 1: below the default minimum of 5 relations.
    const docs = [...['a', 'b', 'c'].map((id) => pair(id, 'X', 'A', 'B')), pair('d', 'X', 'A', 'C')];
    expect(cleanCorpus(docs).report.changes).toEqual([]);
  });

  it('keeps a genuinely mixed slot (3 of 5 vs 2 of 5)', () => {
    const docs = [
      ...['a', 'b', 'c'].map((id) => pair(id, 'Treats', 'Drug', 'Disease')),
      ...['d', 'e'].map((id) => pair(id, 'Treats', 'Chemical', 'Disease')),
    ];
    expect(cleanCorpus(docs).report.changes).toEqual([]);
  });

  it('repeats until stable: dropping for Arg1 can make an Arg2 type rare', () => {
    // 10 relations of type R. Arg1: 8 A, 1 Z (doc i), 1 Y (doc j): Z and Y are rare (0.1 < 0.2).
    // Arg2: 8 B, 2 C (docs h and i): C fills exactly 0.2, which passes in the first pass. Once i is dropped,
    // C fills 1/8 of the remaining 8 relations, so h is dropped in the second pass.
    const docs = [
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => pair(id, 'R', 'A', 'B')),
      pair('h', 'R', 'A', 'C'),
      pair('i', 'R', 'Z', 'C'),
      pair('j', 'R', 'Y', 'B'),
    ];
    const { documents, report } = cleanCorpus(docs);
    expect(report.changes.map((c) => [c.document, c.after])).toEqual([
      ['i', 'Arg1 is Z, expected A'],
      ['j', 'Arg1 is Y, expected A'],
      ['h', 'Arg2 is C, expected B'],
    ]);
    expect(cleanCorpus(documents).report.changes).toEqual([]);
  });
});
