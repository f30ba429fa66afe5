import { describe, expect, it } from 'vitest';
import { cellOf, distanceBucket, ordinal, pairFeatures, slicePairs, type PlacedMention, type RowLists, type SegmentLayout } from './pairs.js';

describe('pair features', () => {
  it('buckets signed distances', () => {
    expect([0, 1, 4, 5, 7, 8, 63, 64, 500].map(distanceBucket)).toEqual([0, 1, 4, 5, 5, 6, 8, 9, 9]);
    expect([-1, -4, -5, -64].map(distanceBucket)).toEqual([10, 13, 14, 18]);
  });

  it('maps reading-order positions to batch cells across sentences', () => {
    const layout: SegmentLayout = { rows: [3, 4], lengths: [2, 3] };
    expect(ordinal(layout, 1, 1)).toBe(3);
    expect(cellOf(layout, 3)).toEqual({ row: 4, token: 1 });
    expect(() => cellOf(layout, 5)).toThrow(RangeError);
  });

  it('builds averaging rows for both arguments and the tokens between them', () => {
    // One segment: sentence rows 0 and 1 of a batch padded to T = 4; lengths 3 and 2.
    const layout: SegmentLayout = { rows: [0, 1], lengths: [3, 2] };
    const flat = (row: number, token: number) => row * 4 + token;
    // arg1: tokens (0,0),(0,1) = positions 0..1; arg2: token (1,1) = position 4. Between: positions 2, 3.
    const arg1: PlacedMention = { typeId: 2, cells: [{ row: 0, token: 0 }, { row: 0, token: 1 }], first: 0, last: 1 };
    const arg2: PlacedMention = { typeId: 0, cells: [{ row: 1, token: 1 }], first: 4, last: 4 };
    const f = pairFeatures([{ arg1, arg2, layout }, { arg1: arg2, arg2: arg1, layout }], flat);
    const lists = (l: RowLists) => Array.from(l.offsets.slice(1), (end, i) => Array.from(l.rows.slice(l.offsets[i], end)));
    expect(lists(f.arg1Rows)).toEqual([[0, 1], [5]]);
    expect(lists(f.arg2Rows)).toEqual([[5], [0, 1]]);
    // Position 2 is (row 0, token 2) = flat 2; position 3 is (row 1, token 0) = flat 4. The reversed pair has the
    // same context, the opposite distance sign and swapped types.
    expect(lists(f.betweenRows)).toEqual([[2, 4], [2, 4]]);
    const second = slicePairs(f, 1, 2);
    expect(lists(second.arg1Rows)).toEqual([[5]]);
    expect(lists(second.betweenRows)).toEqual([[2, 4]]);
    expect(Array.from(second.arg2Type)).toEqual([2]);
    expect(Array.from(f.distance)).toEqual([4, 13]);
    expect(Array.from(f.arg1Type)).toEqual([2, 0]);
  });

  it('leaves the context empty for overlapping mentions', () => {
    const layout: SegmentLayout = { rows: [0], lengths: [4] };
    const a: PlacedMention = { typeId: 0, cells: [0, 1, 2].map((t) => ({ row: 0, token: t })), first: 0, last: 2 };
    const b: PlacedMention = { typeId: 1, cells: [{ row: 0, token: 1 }], first: 1, last: 1 };
    const f = pairFeatures([{ arg1: a, arg2: b, layout }], (r, t) => r * 4 + t);
    expect(Array.from(f.betweenRows.offsets)).toEqual([0, 0]);
  });
});
