import { describe, expect, it } from 'vitest';
import { entitiesBySentence, prepareDocument } from './prepare.js';
import { lasixDocument, warfarinDocument } from './test-helpers/corpus.js';

describe('prepareDocument', () => {
  it('places each entity on its sentence and tokens', () => {
    const prepared = prepareDocument(lasixDocument(false));
    expect(prepared.sentences.map((s) => [s.start, s.end])).toEqual([[0, 26], [27, 44], [45, 62]]);
    expect(prepared.mergedBoundaries).toBe(0);
    // Tokens of sentence 0: He took Lasix 40 mg daily .
    expect(prepared.entities.map((e) => [e.entity.id, e.sentence, e.placed[0]?.startToken, e.placed[0]?.endToken])).toEqual([
      ['T1', 0, 2, 3],
      ['T2', 0, 3, 5],
      ['T3', 0, 5, 6],
      ['T4', 1, 3, 4],
      ['T5', 2, 0, 1],
    ]);
    expect(prepared.byId.get('T4')?.entity.text).toBe('rash');
    expect(entitiesBySentence(prepared).map((g) => g.map((e) => e.entity.id))).toEqual([['T1', 'T2', 'T3'], ['T4'], ['T5']]);
  });

  it('merges the sentences an entity crosses by default', () => {
    const prepared = prepareDocument(lasixDocument(true));
    expect(prepared.sentences.map((s) => [s.start, s.end])).toEqual([[0, 44], [45, 62]]);
    expect(prepared.mergedBoundaries).toBe(1);
    const crossing = prepared.byId.get('T6')!;
    expect(crossing.crossedBoundary).toBe(true);
    // "daily . It" are tokens 5, 6, 7 of the merged sentence.
    expect(crossing.placed).toEqual([{ sentence: 0, startToken: 5, endToken: 8, exactStart: true, exactEnd: true }]);
    expect(prepared.byId.get('T4')!.sentence).toBe(0);
    expect(prepared.byId.get('T5')!.sentence).toBe(1);
  });

  it('cuts the entity at the sentence end under the truncate policy', () => {
    const prepared = prepareDocument(lasixDocument(true), { crossSentence: 'truncate' });
    expect(prepared.sentences).toHaveLength(3);
    expect(prepared.byId.get('T6')!.placed).toEqual([
      { sentence: 0, startToken: 5, endToken: 7, exactStart: true, exactEnd: false },
    ]);
  });

  it('keeps a discontinuous entity as its fragments, sorted', () => {
    const prepared = prepareDocument(warfarinDocument());
    const ade = prepared.byId.get('T3')!;
    expect(ade.fragments).toEqual([{ start: 0, end: 8 }, { start: 13, end: 17 }]);
    expect(ade.placed.map((p) => p && [p.sentence, p.startToken, p.endToken])).toEqual([[0, 0, 1], [0, 3, 4]]);
  });

  it('joins fragments split only by a line break, and handles an empty text', () => {
    const text = 'Lasix\n  tablets';
    const prepared = prepareDocument({
      id: 'd',
      text,
      entities: [{ id: 'T1', type: 'Form', fragments: [{ start: 8, end: 15 }, { start: 0, end: 5 }], text: '' }],
      relations: [],
    });
    expect(prepared.entities[0].fragments).toEqual([{ start: 0, end: 15 }]);
    const empty = prepareDocument({ id: 'e', text: '', entities: [{ id: 'T1', type: 'X', fragments: [{ start: 0, end: 0 }], text: '' }], relations: [] });
    expect(empty.sentences).toEqual([]);
    expect(empty.entities[0].sentence).toBe(-1);
  });
});
