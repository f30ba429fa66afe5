import { describe, expect, it } from 'vitest';
import type { Document } from '../corpus/types.js';
import { f1Of, strictScores } from './metrics.js';

const gold: Document = {
  id: 'a',
  text: 'x'.repeat(40),
  entities: [
    { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 5 }], text: '' },
    { id: 'T2', type: 'Strength', fragments: [{ start: 6, end: 10 }], text: '' },
    { id: 'T3', type: 'Route', fragments: [{ start: 20, end: 22 }, { start: 11, end: 13 }], text: '' },
  ],
  relations: [
    { id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' },
    { id: 'R2', type: 'Route-Drug', arg1: 'T3', arg2: 'T1' },
  ],
};

describe('strict scores', () => {
  it('computes F1 with zero denominators as 0', () => {
    expect(f1Of({ tp: 0, fp: 0, fn: 0 }).f1).toBe(0);
    expect(f1Of({ tp: 1, fp: 1, fn: 2 })).toMatchObject({ precision: 0.5, recall: 1 / 3, f1: 0.4 });
  });

  it('matches entities on type and outer span, relations on type and both arguments', () => {
    const system: Document = {
      ...gold,
      entities: [
        { id: 'T9', type: 'Drug', fragments: [{ start: 0, end: 5 }], text: '' }, // match
        { id: 'T8', type: 'Strength', fragments: [{ start: 6, end: 9 }], text: '' }, // wrong end
        { id: 'T7', type: 'Route', fragments: [{ start: 11, end: 22 }], text: '' }, // same outer span: match
      ],
      relations: [
        { id: 'R1', type: 'Strength-Drug', arg1: 'T8', arg2: 'T9' }, // argument wrong
        { id: 'R2', type: 'Route-Drug', arg1: 'T7', arg2: 'T9' }, // match
      ],
    };
    const s = strictScores([gold], [system]);
    expect([s.entities.tp, s.entities.fp, s.entities.fn]).toEqual([2, 1, 1]);
    expect([s.relations.tp, s.relations.fp, s.relations.fn]).toEqual([1, 1, 1]);
  });

  it('refuses documents paired out of order', () => {
    expect(() => strictScores([gold], [{ ...gold, id: 'b' }])).toThrow(/gold is a/);
  });
});
