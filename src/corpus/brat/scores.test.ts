import { describe, expect, it } from 'vitest';
import type { Document } from '../types.js';
import { withScoreNotes } from './scores.js';
import { serializeAnn } from './serialize.js';

describe('withScoreNotes', () => {
  it('writes each score as an annotator note on its entity or relation, after the notes already there', () => {
    const drug = { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'aspirin', score: 0.93 };
    const strength = { id: 'T2', type: 'Strength', fragments: [{ start: 8, end: 13 }], text: '81 mg' };
    const relations = [{ id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1', score: 0.5 }];
    const notes = [{ id: '#1', type: 'AnnotatorNotes', target: 'T2', text: 'checked' }];
    const doc: Document = { id: 'd', text: 'aspirin 81 mg', entities: [drug, strength], relations, notes };
    expect(serializeAnn(withScoreNotes(doc)).split('\n')).toEqual([
      'T1\tDrug 0 7\taspirin',
      'T2\tStrength 8 13\t81 mg',
      'R1\tStrength-Drug Arg1:T2 Arg2:T1',
      '#1\tAnnotatorNotes T2\tchecked',
      '#2\tAnnotatorNotes T1\tscore=0.93',
      '#3\tAnnotatorNotes R1\tscore=0.5',
      '',
    ]);
    const unscored = { ...doc, entities: doc.entities.map(({ score: _s, ...e }) => e), relations: [] };
    expect(withScoreNotes(unscored)).toBe(unscored);
  });
});
