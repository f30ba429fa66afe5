import { describe, expect, it } from 'vitest';
import { createSimilarityIndex, jaccard, rowsPerBand, shingles, words } from './similarity.js';

describe('shingles and jaccard', () => {
  it('splits into lower-cased words, ignoring punctuation', () => {
    expect(words('Aspirin, 81-mg  PO.')).toEqual(['aspirin', '81', 'mg', 'po']);
  });

  it('makes one shingle per 3-word window, or one for a short text', () => {
    expect(shingles('a b c d e').size).toBe(3);
    expect(shingles('a b').size).toBe(1);
    expect(shingles('...').size).toBe(0);
  });

  it('computes Jaccard on shingle sets', () => {
    // 12 words -> 10 shingles each; only the last shingle differs: 9 shared, 11 in the union.
    const a = shingles('the patient took aspirin for pain and felt better after two days');
    const b = shingles('the patient took aspirin for pain and felt better after two weeks');
    expect(jaccard(a, b)).toBeCloseTo(9 / 11, 12);
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(new Set([1, 2]), new Set([3]))).toBe(0);
  });
});

describe('LSH banding', () => {
  it('chooses fewer rows per band for lower thresholds', () => {
    // t=0.9: r=4 (16 bands) misses a pair at 0.9 with probability (1-0.9^4)^16 = 3.9e-8; r=8 would be 1.1e-2.
    expect(rowsPerBand(0.9)).toBe(4);
    expect(rowsPerBand(0.85)).toBe(2);
    expect(rowsPerBand(0.5)).toBe(1);
  });

  it('finds every near-duplicate pair at the threshold and no dissimilar ones', () => {
    // 100 random 40-word texts, each with a copy that has one middle word replaced: the copy shares 35 of
    // its 38 shingles, Jaccard 35/41 = 0.854.
    let state = 12345;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 8;
    };
    const text = (): string[] => Array.from({ length: 40 }, () => `w${next() % 5000}`);
    const index = createSimilarityIndex(0.85);
    const originals = Array.from({ length: 100 }, text);
    originals.forEach((t, i) => index.add(i, index.fingerprint(t.join(' '))));
    let found = 0;
    for (const [i, t] of originals.entries()) {
      const copy = [...t];
      copy[20] = 'changed';
      const hits = index.query(index.fingerprint(copy.join(' ')));
      expect(hits.map((h) => h.item)).toEqual([i]);
      expect(hits[0].similarity).toBeCloseTo(35 / 41, 12);
      found += 1;
    }
    expect(found).toBe(100);
  });
});
