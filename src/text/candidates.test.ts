import { describe, expect, it } from 'vitest';
import { MedrexError } from '../errors.js';
import { candidateRecall, learnArgTypePairs, relationCandidates } from './candidates.js';
import { prepareDocument } from './prepare.js';
import { lasixDocument } from './test-helpers/corpus.js';

// Entities: T1 Lasix (Drug, s0), T2 40 mg (Strength, s0), T3 daily (Frequency, s0), T4 rash (ADE, s1),
// T5 Aspirin (Drug, s2). Relations: T2->T1, T3->T1, T4->T1, and Same-Class T5->T1 (Drug, Drug).
const doc = lasixDocument(false);
const pairs = learnArgTypePairs([doc]);

describe('learnArgTypePairs', () => {
  it('learns each (arg1 type, arg2 type, relation type) with its count, ignoring dangling relations', () => {
    const withDangling = lasixDocument(false);
    withDangling.relations.push({ id: 'R9', type: 'Strength-Drug', arg1: 'T2', arg2: 'T99' });
    const twice = learnArgTypePairs([doc, withDangling]);
    expect(twice).toEqual([
      { arg1Type: 'ADE', arg2Type: 'Drug', relationType: 'ADE-Drug', count: 2 },
      { arg1Type: 'Frequency', arg2Type: 'Drug', relationType: 'Frequency-Drug', count: 2 },
      { arg1Type: 'Drug', arg2Type: 'Drug', relationType: 'Same-Class', count: 2 },
      { arg1Type: 'Strength', arg2Type: 'Drug', relationType: 'Strength-Drug', count: 2 },
    ]);
  });
});

describe('relationCandidates', () => {
  const prepared = prepareDocument(doc);
  const ids = (window: number): string[] =>
    relationCandidates(prepared, { windowSentences: window, argTypePairs: pairs }).map(
      (c) => `${c.arg1.entity.id}>${c.arg2.entity.id}:${c.sentenceDistance}`,
    );

  it('keeps ordered pairs of learned types within the sentence window', () => {
    // Window 1: only sentence 0 has two entities; (Drug, Strength) is not a learned order.
    expect(ids(1)).toEqual(['T2>T1:0', 'T3>T1:0']);
    // Window 2 adds rash (s1) with Lasix (s0) and with Aspirin (s2).
    expect(ids(2)).toEqual(['T2>T1:0', 'T3>T1:0', 'T4>T1:1', 'T4>T5:1']);
    // Window 3 also pairs sentence 0 with Aspirin, and (Drug, Drug) goes both ways.
    expect(ids(3)).toEqual([
      'T1>T5:2', 'T2>T1:0', 'T2>T5:2', 'T3>T1:0', 'T3>T5:2', 'T4>T1:1', 'T4>T5:1', 'T5>T1:2',
    ]);
    const first = relationCandidates(prepared, { windowSentences: 1, argTypePairs: pairs })[0];
    expect(first.relationTypes).toEqual(['Strength-Drug']);
  });

  it('rejects a window that is not a whole number of at least 1', () => {
    expect(() => ids(0)).toThrow(MedrexError);
    expect(() => ids(1.5)).toThrow(/whole number/);
  });
});

describe('candidateRecall', () => {
  it('measures the share of gold relations kept and the negatives made', () => {
    const one = candidateRecall([doc], 1);
    expect([one.gold, one.kept, one.recall, one.candidates, one.positives, one.negatives]).toEqual([4, 2, 0.5, 2, 2, 0]);
    expect(one.byType).toEqual({
      'Strength-Drug': { gold: 1, kept: 1, recall: 1 },
      'Frequency-Drug': { gold: 1, kept: 1, recall: 1 },
      'ADE-Drug': { gold: 1, kept: 0, recall: 0 },
      'Same-Class': { gold: 1, kept: 0, recall: 0 },
    });
    const three = candidateRecall([doc], 3);
    // Of the 8 candidates, T1>T5, T2>T5, T3>T5 and T4>T5 are no gold relation.
    expect([three.kept, three.recall, three.candidates, three.positives, three.negatives]).toEqual([4, 1, 8, 4, 4]);
  });

  it('counts relations with a missing argument apart', () => {
    const dangling = lasixDocument(false);
    dangling.relations.push({ id: 'R9', type: 'Strength-Drug', arg1: 'T2', arg2: 'T99' });
    const report = candidateRecall([dangling], 2);
    expect([report.gold, report.kept, report.unresolvedRelations]).toEqual([4, 3, 1]);
  });
});
