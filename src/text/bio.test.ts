import { describe, expect, it } from 'vitest';
import { decodeBio, encodeBio, type BioEntity } from './bio.js';
import { tokenize } from './tokenize.js';

// Tokens: 0 Lasix 0-5 | 1 40 6-8 | 2 mg 8-10 | 3 p.o. 11-15 | 4 and 16-19 | 5 Coumadin 20-28 | 6 5 29-30 |
//         7 mg 31-33 | 8 held 34-38
const text = 'Lasix 40mg p.o. and Coumadin 5 mg held';
const tokens = tokenize(text);
const entity = (id: string, type: string, ...spans: [number, number][]): BioEntity => ({
  id,
  type,
  fragments: spans.map(([start, end]) => ({ start, end })),
});

describe('encodeBio', () => {
  it('tags aligned entities and decodes them back to the same character spans', () => {
    const entities = [
      entity('T1', 'Drug', [0, 5]),
      entity('T2', 'Strength', [6, 10]),
      entity('T3', 'Route', [11, 15]),
      entity('T4', 'Drug', [20, 28]),
      entity('T5', 'Strength', [29, 33]),
    ];
    const { tags, issues } = encodeBio(tokens, entities);
    expect(tags).toEqual(['B-Drug', 'B-Strength', 'I-Strength', 'B-Route', 'O', 'B-Drug', 'B-Strength', 'I-Strength', 'O']);
    expect(issues).toEqual([]);
    expect(decodeBio(tags, tokens).map((s) => [s.type, s.start, s.end])).toEqual([
      ['Drug', 0, 5],
      ['Strength', 6, 10],
      ['Route', 11, 15],
      ['Drug', 20, 28],
      ['Strength', 29, 33],
    ]);
  });

  it('applies the discontinuous policy and reports the entity', () => {
    // "Lasix ... held", fragments listed out of order.
    const lasixHeld = [entity('T1', 'ADE', [34, 38], [0, 5])];
    const outer = encodeBio(tokens, lasixHeld);
    expect(outer.tags).toEqual(['B-ADE', ...Array(8).fill('I-ADE')]);
    expect(outer.issues).toEqual([{ entityId: 'T1', type: 'ADE', reason: 'discontinuous' }]);
    const first = encodeBio(tokens, lasixHeld, { discontinuous: 'first-fragment' });
    expect(first.tags).toEqual(['B-ADE', ...Array(8).fill('O')]);
    const each = encodeBio(tokens, lasixHeld, { discontinuous: 'each-fragment' });
    expect(each.tags).toEqual(['B-ADE', ...Array(7).fill('O'), 'B-ADE']);
    expect(each.spans.map((s) => [s.startToken, s.endToken])).toEqual([[0, 1], [8, 9]]);
  });

  it('does not count fragments separated only by whitespace as discontinuous', () => {
    const { tags, issues } = encodeBio(tokens, [entity('T1', 'Drug', [29, 33], [20, 28])]);
    expect(tags.slice(5, 9)).toEqual(['B-Drug', 'I-Drug', 'I-Drug', 'O']);
    expect(issues).toEqual([]);
  });

  it('keeps the longer or the first of two overlapping entities, per the policy', () => {
    // A: "Lasix 40mg" (3 tokens), B: "40mg p.o. and Coumadin" (5 tokens); they share 40 and mg.
    const entities = [entity('A', 'Drug', [0, 10]), entity('B', 'Reason', [6, 28])];
    const longer = encodeBio(tokens, entities);
    expect(longer.tags.slice(0, 7)).toEqual(['O', 'B-Reason', 'I-Reason', 'I-Reason', 'I-Reason', 'I-Reason', 'O']);
    expect(longer.issues).toEqual([{ entityId: 'A', type: 'Drug', reason: 'overlap' }]);
    const first = encodeBio(tokens, entities, { overlap: 'first' });
    expect(first.tags.slice(0, 4)).toEqual(['B-Drug', 'I-Drug', 'I-Drug', 'O']);
    expect(first.issues).toEqual([{ entityId: 'B', type: 'Reason', reason: 'overlap' }]);
  });

  it('widens a boundary inside a token, cuts at the sentence edge, and reports both', () => {
    const inside = encodeBio(tokens, [entity('T1', 'Drug', [1, 5])]);
    expect(inside.tags[0]).toBe('B-Drug');
    expect(inside.issues).toEqual([{ entityId: 'T1', type: 'Drug', reason: 'boundary-inside-token' }]);
    expect(decodeBio(inside.tags, tokens)[0]).toMatchObject({ start: 0, end: 5 });

    // The sentence is "Lasix 40mg p.o. and": "and Coumadin" runs past it; "held" is not in it at all.
    const sentence = tokens.slice(0, 5);
    const cut = encodeBio(sentence, [entity('T1', 'X', [16, 28]), entity('T2', 'Y', [34, 38])]);
    expect(cut.tags).toEqual(['O', 'O', 'O', 'O', 'B-X']);
    expect(cut.issues).toEqual([
      { entityId: 'T1', type: 'X', reason: 'cross-sentence' },
      { entityId: 'T2', type: 'Y', reason: 'no-token' },
    ]);
  });
});

describe('BIOES', () => {
  const entities = [
    entity('T1', 'Drug', [0, 5]),
    entity('T2', 'Strength', [6, 10]),
    entity('T4', 'Drug', [20, 28]),
    entity('T5', 'Strength', [29, 33]),
  ];

  it('marks one-token entities S- and the last token of longer ones E-, with the same spans as BIO', () => {
    const bio = encodeBio(tokens, entities);
    const bioes = encodeBio(tokens, entities, { scheme: 'bioes' });
    expect(bioes.tags).toEqual(['S-Drug', 'B-Strength', 'E-Strength', 'O', 'O', 'S-Drug', 'B-Strength', 'E-Strength', 'O']);
    expect(bioes.spans).toEqual(bio.spans);
    const spans = (tags: string[]) => decodeBio(tags, tokens).map((s) => [s.type, s.startToken, s.endToken]);
    expect(spans(bioes.tags)).toEqual(spans(bio.tags));
    expect(encodeBio(tokens, [entity('T1', 'Drug', [0, 10])], { scheme: 'bioes' }).tags.slice(0, 4)).toEqual(['B-Drug', 'I-Drug', 'E-Drug', 'O']);
  });

  it('ends an entity at E- and S-, and repairs E- without an open entity into a new one', () => {
    const tags = ['B-Drug', 'E-Drug', 'I-Drug', 'S-Drug', 'I-Drug', 'E-Strength', 'O', 'B-Drug', 'I-Drug'];
    expect(decodeBio(tags, tokens).map((s) => [s.type, s.startToken, s.endToken, s.repaired])).toEqual([
      ['Drug', 0, 2, false],
      ['Drug', 2, 3, true],
      ['Drug', 3, 4, false],
      ['Drug', 4, 5, true],
      ['Strength', 5, 6, true],
      ['Drug', 7, 9, false],
    ]);
  });
});

describe('decodeBio', () => {
  it('repairs I- after O, at the start, or after another type into a new entity', () => {
    const tags = ['I-Drug', 'I-Drug', 'O', 'I-Strength', 'B-Drug', 'I-Strength', 'I-Strength', 'B-Drug', 'B-Drug'];
    expect(decodeBio(tags, tokens).map((s) => [s.type, s.startToken, s.endToken, s.repaired])).toEqual([
      ['Drug', 0, 2, true],
      ['Strength', 3, 4, true],
      ['Drug', 4, 5, false],
      ['Strength', 5, 7, true],
      ['Drug', 7, 8, false],
      ['Drug', 8, 9, false],
    ]);
  });

  it('keeps types that contain a dash and rejects malformed input', () => {
    expect(decodeBio(['B-Adverse-Effect', 'I-Adverse-Effect'], tokens.slice(0, 2))).toEqual([
      { type: 'Adverse-Effect', startToken: 0, endToken: 2, start: 0, end: 8, repaired: false },
    ]);
    expect(() => decodeBio(['X-Drug'], tokens.slice(0, 1))).toThrow(/not O, B-type or I-type/);
    expect(() => decodeBio(['O'], tokens)).toThrow(RangeError);
  });
});
