import { describe, expect, it } from 'vitest';
import { countOverlappingRelations, entitiesOverlap, withoutOverlappingRelations } from './overlapping.js';
import { scoreCorpora } from './score.js';
import { doc, entity } from './test-helpers/docs.js';

describe('relations between overlapping entities (the published ADE protocol)', () => {
  it('calls outer spans that share a character overlapping, touching ones not', () => {
    expect(entitiesOverlap(entity(['T1', 'Drug', '0 9']), entity(['T2', 'ADE', '0 30']))).toBe(true);
    expect(entitiesOverlap(entity(['T1', 'Drug', '0 9']), entity(['T2', 'ADE', '9 30']))).toBe(false);
    // A discontinuous entity overlaps what lies in its gap: the protocol reads outer spans.
    expect(entitiesOverlap(entity(['T1', 'ADE', '0 5;20 25']), entity(['T2', 'Drug', '10 15']))).toBe(true);
  });

  it('removes exactly those relations and keeps every entity', () => {
    const gold = doc('d', [['T1', 'Drug', '0 9'], ['T2', 'ADE', '0 30'], ['T3', 'ADE', '40 50']], [
      ['R1', 'Adverse-Effect', 'T2', 'T1'],
      ['R2', 'Adverse-Effect', 'T3', 'T1'],
    ]);
    const [kept] = withoutOverlappingRelations([gold]);
    expect(kept.relations.map((r) => r.id)).toEqual(['R2']);
    expect(kept.entities).toHaveLength(3);
    expect(countOverlappingRelations([gold, gold])).toBe(2);
  });

  it('changes the relation score when a system misses the overlapping one', () => {
    const gold = doc('d', [['T1', 'Drug', '0 9'], ['T2', 'ADE', '0 30'], ['T3', 'ADE', '40 50']], [
      ['R1', 'Adverse-Effect', 'T2', 'T1'],
      ['R2', 'Adverse-Effect', 'T3', 'T1'],
    ]);
    const system = doc('d', [['T1', 'Drug', '0 9'], ['T3', 'ADE', '40 50']], [['R1', 'Adverse-Effect', 'T3', 'T1']]);
    const all = scoreCorpora([gold], [system]).relations.micro.strict;
    const apart = scoreCorpora(withoutOverlappingRelations([gold]), withoutOverlappingRelations([system])).relations.micro.strict;
    expect(all.recall).toBeCloseTo(0.5);
    expect(apart.recall).toBe(1);
  });
});
