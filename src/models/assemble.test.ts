/**
 * `pairsInSegment` and `hasPairAnchoredIn` read an index by anchor sentence: they must give exactly what a scan of
 * every pair gives (same pairs, same order), whatever the order of the pair list and the segment layout.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { anchorSentence, hasPairAnchoredIn, pairsInSegment } from './assemble.js';
import { planSegments } from './batching.js';
import type { Mention, PairExample, TrainingDocument } from './examples.js';

/** The definition the index must keep: anchored in an anchor sentence, both arguments inside the segment. */
function scanned(doc: TrainingDocument, seg: { start: number; anchorEnd: number; end: number }, pairs: readonly PairExample[]) {
  const inside = (m: number) => doc.mentions[m].tokens.every((t) => t.sentence >= seg.start && t.sentence < seg.end);
  return pairs.filter((p) => {
    const anchor = anchorSentence(doc, p);
    return anchor >= seg.start && anchor < seg.anchorEnd && inside(p.arg1) && inside(p.arg2);
  });
}

describe('pairsInSegment', () => {
  it('gives the pairs a scan of every pair gives, in the same order', () => {
    const rng = new Rng(7);
    const sentences = 23;
    const mentions: Mention[] = Array.from({ length: 60 }, (_, i) => {
      const sentence = Math.floor(rng.next() * sentences);
      // Some mentions run into the next sentence (a split entity), so "inside" matters at a segment's edge.
      const tokens = [{ sentence, token: 0 }];
      if (i % 7 === 0 && sentence + 1 < sentences) tokens.push({ sentence: sentence + 1, token: 0 });
      return { entity: i, typeId: 1, sentence, tokens };
    });
    const pairs: PairExample[] = [];
    for (let a = 0; a < mentions.length; a++) {
      for (let b = 0; b < mentions.length; b++) {
        if (a !== b && Math.abs(mentions[a].sentence - mentions[b].sentence) <= 2) pairs.push({ arg1: a, arg2: b, label: (a + b) % 3 });
      }
    }
    // Not in anchor order: the index must still return the list's own order.
    const shuffled = [...pairs].sort((x, y) => ((x.arg1 * 31 + x.arg2 * 17) % 11) - ((y.arg1 * 31 + y.arg2 * 17) % 11));
    const doc: TrainingDocument = { sentences: [], tags: [], mentions, pairs: shuffled };
    let total = 0;
    for (const [anchors, window] of [[1, 0], [4, 1], [3, 2]]) {
      for (const seg of planSegments([sentences], anchors, window)) {
        const found = pairsInSegment(doc, seg, shuffled);
        expect(found).toEqual(scanned(doc, seg, shuffled));
        const anchoredHere = shuffled.some((p) => anchorSentence(doc, p) >= seg.start && anchorSentence(doc, p) < seg.anchorEnd);
        expect(hasPairAnchoredIn(doc, seg, shuffled)).toBe(anchoredHere);
        expect(hasPairAnchoredIn(doc, seg, [])).toBe(false);
        total += found.length;
      }
    }
    expect(total).toBeGreaterThan(100);
  });
});
