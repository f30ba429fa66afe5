import { describe, expect, it } from 'vitest';
import type { Document, Entity, Relation } from '../types.js';
import { cleanCorpus } from './clean.js';
import { combinationKey, profileArgumentTypes } from './relations.js';

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

/** `n` one-relation documents of `relType` from `t1` to `t2`, ids `prefix0`, `prefix1`, ... */
function many(n: number, prefix: string, relType: string, t1: string, t2: string): Document[] {
  return Array.from({ length: n }, (_, i) => pair(`${prefix}${i}`, relType, t1, t2));
}

describe('rule relation-argument-types', () => {
  // n2c2's shape: 60 ADE-Drug from ADE to Drug and one whose Arg2 is a Reason. Reasons are a quarter of the
  // corpus's entities (they have their own Reason-Drug relations) but 0.8% of ADE-Drug arguments: a slip.
  const corpus = (): Document[] => [
    ...many(60, 'a', 'ADE-Drug', 'ADE', 'Drug'),
    ...many(60, 'r', 'Reason-Drug', 'Reason', 'Drug'),
    pair('slip', 'ADE-Drug', 'ADE', 'Reason'),
  ];

  it('profiles argument types per relation type, and unordered combinations', () => {
    const p = profileArgumentTypes(corpus()).get('ADE-Drug');
    expect(p?.total).toBe(61);
    expect(Object.fromEntries(p?.arg2 ?? [])).toEqual({ Drug: 60, Reason: 1 });
    expect(Object.fromEntries(p?.pairs ?? [])).toEqual({ 'ADE + Drug': 60, 'ADE + Reason': 1 });
    expect(combinationKey('Drug', 'ADE')).toBe(combinationKey('ADE', 'Drug'));
  });

  it('drops a rare combination with a type the relation type does not use', () => {
    const { documents, report } = cleanCorpus(corpus());
    expect(documents.filter((d) => d.relations.length === 0).map((d) => d.id)).toEqual(['slip']);
    expect(report.changes).toEqual([
      {
        rule: 'relation-argument-types',
        action: 'dropped',
        document: 'slip',
        annotation: 'R1',
        before: 'R1 ADE-Drug Arg1:T1 Arg2:T2',
        after: 'argument types ADE + Reason: 1 of 61 ADE-Drug relations; Reason is 25.2% of entities but 0.8% of ADE-Drug arguments',
      },
    ]);
    expect(report.loss.find((l) => l.type === 'ADE-Drug')).toMatchObject({ before: 61, after: 60, lost: 1 });
    expect(cleanCorpus(documents).report.changes).toEqual([]);
  });

  it('keeps it when switched off', () => {
    const { report } = cleanCorpus(corpus(), { disabled: ['relation-argument-types'] });
    expect(report.changes).toEqual([]);
  });

  it('keeps reversed arguments: argument order is not its business', () => {
    const docs = [...many(60, 'a', 'ADE-Drug', 'ADE', 'Drug'), pair('rev', 'ADE-Drug', 'Drug', 'ADE')];
    expect(cleanCorpus(docs).report.changes).toEqual([]);
  });

  it('keeps every shape of a corpus whose relation types join any two types, however rare a type is', () => {
    // Drug-interaction shape: four relation types between any two of Compound, Brand, Class and Experimental;
    // Experimental is 1% of the entities and about 1% of every relation type's arguments.
    const types = ['Compound', 'Compound', 'Compound', 'Class', 'Brand'];
    const docs: Document[] = [];
    for (const rel of ['Effect', 'Mechanism', 'Advise', 'Interaction']) {
      for (let i = 0; i < 50; i++) {
        const t1 = i === 7 ? 'Experimental' : types[i % types.length];
        const t2 = types[(i * 3 + 1) % types.length];
        docs.push(pair(`${rel}${i}`, rel, t1, t2));
      }
    }
    expect(cleanCorpus(docs).report.changes).toEqual([]);
  });

  it('does not judge relation types with too few examples', () => {
    // 19 + 1: below the default minimum of 20 relations.
    const docs = [...many(19, 'a', 'ADE-Drug', 'ADE', 'Drug'), ...many(60, 'r', 'Reason-Drug', 'Reason', 'Drug')];
    docs.push(pair('slip', 'ADE-Drug', 'ADE', 'Reason'));
    expect(cleanCorpus(docs).report.changes).toEqual([]);
  });

  it('keeps a genuinely mixed relation type (a combination above 2%)', () => {
    const docs = [
      ...many(57, 't', 'Treats', 'Drug', 'Disease'),
      ...many(3, 'c', 'Treats', 'Chemical', 'Disease'),
      ...many(60, 'x', 'Contains', 'Chemical', 'Drug'),
    ];
    expect(cleanCorpus(docs).report.changes).toEqual([]);
  });
});
