import { describe, expect, it } from 'vitest';
import { corpusStats, summarise } from './stats.js';
import { lasixDocument, warfarinDocument } from './test-helpers/corpus.js';

describe('summarise', () => {
  it('gives mean, median and max', () => {
    expect(summarise([8, 4, 5, 7, 8])).toEqual({ mean: 6.4, median: 7, max: 8 });
    expect(summarise([2, 5])).toEqual({ mean: 3.5, median: 3.5, max: 5 });
    expect(summarise([])).toEqual({ mean: 0, median: 0, max: 0 });
  });
});

describe('corpusStats', () => {
  // lasix (T6 crossing, so sentences 0 and 1 merge): "He took Lasix 40 mg daily." 7 tokens, "It caused a rash." 5,
  // "Aspirin was held." 4. warfarin: "Warfarin 5 mg held ." 5 tokens, "Restart warfarin in one week ." 6.
  const stats = corpusStats([lasixDocument(true), warfarinDocument()]);

  it('counts sizes and labels', () => {
    expect([stats.documents, stats.sentences, stats.tokens]).toEqual([2, 4, 27]);
    expect(stats.entities).toEqual({ Drug: 5, Strength: 2, Frequency: 1, ADE: 2, Event: 1, Duration: 1 });
    expect(stats.relations).toEqual({
      'Strength-Drug': 2,
      'Frequency-Drug': 1,
      'ADE-Drug': 1,
      'Same-Class': 1,
      'Duration-Drug': 1,
    });
  });

  it('summarises span lengths per type in tokens and characters', () => {
    // Drugs: Lasix 5, Aspirin 7, Warfarin 8, warfarin 8, week 4 characters; one token each.
    expect(stats.spanLengths.Drug).toEqual({
      tokens: { mean: 1, median: 1, max: 1 },
      characters: { mean: 6.4, median: 7, max: 8 },
    });
    // ADE: rash (1 token, 4 chars) and Warfarin + held (2 tokens, 12 chars).
    expect(stats.spanLengths.ADE).toEqual({
      tokens: { mean: 1.5, median: 1.5, max: 2 },
      characters: { mean: 8, median: 8, max: 12 },
    });
    // "5m" covers the tokens 5 and mg.
    expect(stats.spanLengths.Strength.tokens).toEqual({ mean: 2, median: 2, max: 2 });
  });

  it('counts discontinuous, overlapping and cross-sentence annotations', () => {
    expect(stats.discontinuousEntities).toEqual({ count: 1, byType: { ADE: 1 } });
    // daily / "daily. It"; Warfarin / the ADE's first fragment; "one week" / week. "5m" sits in the ADE's gap.
    expect(stats.overlappingEntities).toEqual({
      count: 6,
      byType: { Frequency: 1, Event: 1, Drug: 2, ADE: 1, Duration: 1 },
    });
    expect(stats.crossSentenceEntities).toEqual({ count: 1, byType: { Event: 1 } });
    // Only Aspirin -> Lasix spans sentences once the crossing entity has merged the first two.
    expect(stats.crossSentenceRelations).toEqual({ count: 1, share: 1 / 6, byType: { 'Same-Class': { count: 1, share: 1 } } });
  });

  it('includes the BIO loss and candidate recall for windows 1 to 3, as plain JSON', () => {
    expect(stats.bioLoss.recoveredExactly).toBe(7);
    expect(stats.candidateRecall.map((r) => [r.windowSentences, r.kept, r.gold])).toEqual([
      [1, 5, 6],
      [2, 6, 6],
      [3, 6, 6],
    ]);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });
});
