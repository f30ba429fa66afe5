/**
 * Training the RE side on the tagger's entities: the tagger's non-gold entities join the gold ones as arguments of
 * no relation; gold entities, gold relations and gold tags are untouched.
 */
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import { parseConfig } from './config.js';
import { encodeDocument } from './examples.js';
import { createModel } from './model.js';
import { predictEntities } from './predict.js';
import { PREDICTED_ENTITY_ID, withPredictedEntities } from './predicted-entities.js';

const corpus = generateCorpus({ docs: 4, seed: 11, length: 'short' });

describe('training on predicted entities', () => {
  // An untrained tagger: plenty of wrong entities, and by chance perhaps a right one.
  const model = createModel(createReferenceKernels(), corpus, parseConfig({ hidden: 8, wordDim: 8, charFilters: 8, relHidden: 8, ensemble: 1 }));
  const gold = corpus.map((d) => encodeDocument(d, model.vocabs, model.labels, model.config.windowSentences));
  const augmented = withPredictedEntities(model, gold);
  const predicted = predictEntities(model, corpus);

  it('adds every predicted entity that is no gold entity, and only those', () => {
    let added = 0;
    augmented.forEach((doc, i) => {
      const entities = doc.prepared.document.entities;
      const extra = entities.filter((e) => e.id.startsWith(PREDICTED_ENTITY_ID));
      added += extra.length;
      // The gold entities come first, unchanged.
      expect(entities.slice(0, corpus[i].entities.length)).toEqual(corpus[i].entities);
      const key = (e: { type: string; fragments: { start: number; end: number }[] }) => `${e.type}:${e.fragments[0].start}-${e.fragments.at(-1)!.end}`;
      const goldKeys = new Set(corpus[i].entities.map(key));
      const expected = predicted[i].entities.filter((e) => !goldKeys.has(key(e))).map(key);
      expect(extra.map(key)).toEqual(expected);
    });
    expect(added).toBeGreaterThan(0);
  });

  it('keeps the gold tags and relations; every pair with an added entity is no relation', () => {
    let pairsWithAdded = 0;
    augmented.forEach((doc, i) => {
      expect(doc.tags).toBe(gold[i].tags);
      const isAdded = (mention: number) => doc.prepared.entities[doc.mentions[mention].entity].entity.id.startsWith(PREDICTED_ENTITY_ID);
      const withAdded = doc.pairs.filter((p) => isAdded(p.arg1) || isAdded(p.arg2));
      expect(withAdded.every((p) => p.label === 0)).toBe(true);
      pairsWithAdded += withAdded.length;
      const positives = (d: typeof doc) => d.pairs.filter((p) => p.label > 0).length;
      expect(positives(doc)).toBe(positives(gold[i]));
    });
    expect(pairsWithAdded).toBeGreaterThan(0);
  });
});
