import { describe, expect, it } from 'vitest';
import type { Document, Entity, Relation } from '../corpus/types.js';
import { generateCorpus } from '../corpus/synth/index.js';
import { scoreCorpora } from './score.js';
import { canonicalRelations, learnRelationShapes, symmetricRelationTypes } from '../text/relation-shapes.js';

/** Sentences naming four compounds; `Interaction` joins pairs in an order chosen by `order(i)`. */
function interactions(order: (i: number) => 'text' | 'reverse'): Document[] {
  return Array.from({ length: 6 }, (_, d) => {
    const names = ['aspirin', 'warfarin', 'heparin', 'ibuprofen'];
    let text = 'Use of ';
    const entities: Entity[] = names.map((name, i) => {
      if (i > 0) text += ' with ';
      const start = text.length;
      text += name;
      return { id: `T${i + 1}`, type: 'Compound', fragments: [{ start, end: start + name.length }], text: name };
    });
    text += ' is risky.';
    const relations: Relation[] = [0, 2].map((i, k) => {
      const [a, b] = order(d * 2 + k) === 'text' ? [i + 1, i + 2] : [i + 2, i + 1];
      return { id: `R${k + 1}`, type: 'Interaction', arg1: `T${a}`, arg2: `T${b}` };
    });
    return { id: `d${d}`, text, entities, relations };
  });
}

describe('relation shapes', () => {
  it('finds no symmetric type in n2c2-shaped data (X-Drug joins two different types)', () => {
    expect(symmetricRelationTypes(generateCorpus({ docs: 20, seed: 3 }))).toEqual([]);
  });

  it('calls a same-type relation symmetric when annotators put either argument first', () => {
    const shapes = learnRelationShapes(interactions((i) => (i % 3 === 0 ? 'reverse' : 'text')));
    expect(shapes).toEqual([expect.objectContaining({ type: 'Interaction', count: 12, sameTypeShare: 1, symmetric: true })]);
  });

  it('keeps the order of a same-type relation whose first argument always comes first (a positional convention)', () => {
    expect(symmetricRelationTypes(interactions(() => 'text'))).toEqual([]);
    expect(symmetricRelationTypes(interactions(() => 'reverse'))).toEqual([]);
  });

  it('puts symmetric relations in text order and drops the second copy of an unordered pair', () => {
    const doc = interactions(() => 'reverse')[0];
    const twice = { ...doc, relations: [...doc.relations, { id: 'R9', type: 'Interaction', arg1: 'T1', arg2: 'T2' }] };
    const canonical = canonicalRelations(twice, new Set(['Interaction']));
    expect(canonical.map((r) => [r.arg1, r.arg2])).toEqual([['T1', 'T2'], ['T3', 'T4']]);
    expect(canonicalRelations(twice, new Set())).toBe(twice.relations);
  });

  it('the scorer matches symmetric types in either order, and only when asked', () => {
    const gold = interactions(() => 'text');
    const reversed = interactions(() => 'reverse');
    const ordered = scoreCorpora(gold, reversed);
    expect(ordered.relations.micro.strict.f1).toBe(0);
    const unordered = scoreCorpora(gold, reversed, { symmetricRelationTypes: ['Interaction'] });
    expect(unordered.relations.micro.strict.f1).toBe(1);
    // A system answering both orders of one pair gets one hit, not two: under unordered matching the second is a
    // duplicate of the first, and the official duplicate rule counts a duplicate once.
    const both = gold.map((d, i) => ({ ...d, relations: [...d.relations, ...reversed[i].relations.map((r) => ({ ...r, id: `${r.id}b` }))] }));
    const doubled = scoreCorpora(gold, both, { symmetricRelationTypes: ['Interaction'] });
    expect(doubled.relations.micro.strict.recall).toBe(1);
    expect(doubled.relations.micro.strict.precision).toBe(1);
  });
});

describe('relation shapes across types', () => {
  it('calls a relation between two types found in both orders symmetric (drug and brand in an interaction)', () => {
    const docs = interactions((i) => (i % 3 === 0 ? 'reverse' : 'text')).map((d) => ({
      ...d,
      entities: d.entities.map((e, i) => (i % 2 === 1 ? { ...e, type: 'Brand' } : e)),
    }));
    const [shape] = learnRelationShapes(docs);
    expect(shape.sameTypeShare).toBe(0);
    expect(shape.typeDirectedShare).toBeLessThan(0.9);
    expect(shape.symmetric).toBe(true);
  });
});
