import { describe, expect, it } from 'vitest';
import { bioLoss } from './bioLoss.js';
import { lasixDocument, warfarinDocument } from './test-helpers/corpus.js';

describe('bioLoss', () => {
  it('counts what a BIO round trip recovers, per type and per reason', () => {
    // lasix: T6 "daily. It" crosses a sentence end (merged) and, being longer, pushes out T3 "daily": 5 of 6 exact.
    // warfarin: the discontinuous ADE "Warfarin ... held" takes its outer span (4 tokens) and pushes out T1 Warfarin
    // and T2 "5m" (which also ends inside "mg"); T6 "week" loses to "one week". Exact: T4, T5. Outer: plus T3.
    const report = bioLoss([lasixDocument(true), warfarinDocument()]);
    expect(report.entities).toBe(12);
    expect(report.recoveredExactly).toBe(7);
    expect(report.recoveredOuterSpan).toBe(8);
    expect(report.exactRecall).toBeCloseTo(7 / 12, 12);
    expect(report.policies).toEqual({ discontinuous: 'outer', overlap: 'longer', crossSentence: 'merge' });
    expect(report.byType).toEqual({
      Drug: { entities: 5, recoveredExactly: 3, recoveredOuterSpan: 3 },
      Strength: { entities: 2, recoveredExactly: 1, recoveredOuterSpan: 1 },
      Frequency: { entities: 1, recoveredExactly: 0, recoveredOuterSpan: 0 },
      ADE: { entities: 2, recoveredExactly: 1, recoveredOuterSpan: 2 },
      Event: { entities: 1, recoveredExactly: 1, recoveredOuterSpan: 1 },
      Duration: { entities: 1, recoveredExactly: 1, recoveredOuterSpan: 1 },
    });
    const counts = Object.fromEntries(Object.entries(report.byReason).map(([r, v]) => [r, [v.entities, v.byType]]));
    expect(counts).toEqual({
      discontinuous: [1, { ADE: 1 }],
      overlap: [4, { Frequency: 1, Drug: 2, Strength: 1 }],
      'boundary-inside-token': [1, { Strength: 1 }],
      'cross-sentence': [1, { Event: 1 }],
      'no-token': [0, {}],
    });
    expect(report.byReason['cross-sentence'].handling).toBe('sentences merged; entity kept whole');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('loses the crossing entity under the truncate policy and the ADE under first-fragment', () => {
    // Truncated, T6 becomes "daily." (still longer than T3, which stays lost): exact T1, T2, T4, T5.
    const truncated = bioLoss([lasixDocument(true)], { crossSentence: 'truncate' });
    expect([truncated.entities, truncated.recoveredExactly]).toEqual([6, 4]);
    expect(truncated.byReason['cross-sentence'].handling).toBe('entity cut at the sentence boundary');

    // First fragment only: the ADE wants "Warfarin" alone, the same single token as T1, which wins the tie by
    // coming first; "5m" is free again (widened to "5mg", not exact). Exact and outer: T1, T4, T5.
    const first = bioLoss([warfarinDocument()], { discontinuous: 'first-fragment' });
    expect([first.recoveredExactly, first.recoveredOuterSpan]).toEqual([3, 3]);
    expect(first.byReason.overlap.byType).toEqual({ ADE: 1, Drug: 1 });
  });

  it('reports full recall for an empty corpus', () => {
    expect(bioLoss([]).exactRecall).toBe(1);
  });
});
