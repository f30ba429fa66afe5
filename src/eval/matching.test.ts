import { describe, expect, it } from 'vitest';
import { countMatches } from './matching.js';

/** Items are half-open intervals; `overlap` is the lenient test, `same` the strict one. */
type Span = [number, number];
const overlap = (g: Span, s: Span) => g[1] > s[0] && g[0] < s[1];
const same = (g: Span, s: Span) => g[0] === s[0] && g[1] === s[1];

describe('countMatches (the paring-down rule)', () => {
  it('drops a system duplicate of an already matched gold annotation instead of counting it as FP', () => {
    // s1 marks g1; s2 equals g1 too, g1 is already marked, so s2 is dropped: TP 1, FP 0, FN 0.
    expect(countMatches<Span>([[0, 5]], [[0, 5], [0, 5]], same)).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('counts one gold annotation matched by two system annotations once', () => {
    // Lenient: s1 [0,4) and s2 [6,10) both overlap g1 [0,10); s1 marks it, s2 is dropped.
    expect(countMatches<Span>([[0, 10]], [[0, 4], [6, 10]], overlap)).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('lets a dropped system annotation still mark later gold annotations (as the script does)', () => {
    // g1 [0,5), g2 [6,10). s1 [0,3) marks g1. s2 [2,8) hits marked g1 -> dropped, but goes on and marks g2.
    // s3 [7,9) equals only g2, already marked -> dropped. Kept: s1 only. TP 1, FP 0, FN 2 - 1 = 1.
    const gold: Span[] = [
      [0, 5],
      [6, 10],
    ];
    const system: Span[] = [
      [0, 3],
      [2, 8],
      [7, 9],
    ];
    expect(countMatches(gold, system, overlap)).toEqual({ tp: 1, fp: 0, fn: 1 });
  });

  it('scores a system annotation covering two gold annotations as one TP and one FN', () => {
    // s1 [0,10) overlaps g1 and g2 and marks both; TP counts system annotations, so TP 1, FN 2 - 1 = 1.
    expect(
      countMatches<Span>(
        [
          [0, 5],
          [6, 10],
        ],
        [[0, 10]],
        overlap,
      ),
    ).toEqual({ tp: 1, fp: 0, fn: 1 });
  });

  it('keeps unmatched system annotations as FP whatever their position', () => {
    // s1 matches nothing (FP); s2 marks g1 (TP); s3 duplicates s2 and is dropped.
    const system: Span[] = [
      [20, 30],
      [0, 10],
      [0, 10],
    ];
    expect(countMatches<Span>([[0, 10]], system, same)).toEqual({ tp: 1, fp: 1, fn: 0 });
  });

  it('handles empty sides', () => {
    expect(countMatches<Span>([], [[0, 1]], same)).toEqual({ tp: 0, fp: 1, fn: 0 });
    expect(countMatches<Span>([[0, 1]], [], same)).toEqual({ tp: 0, fp: 0, fn: 1 });
    expect(countMatches<Span>([], [], same)).toEqual({ tp: 0, fp: 0, fn: 0 });
  });
});
