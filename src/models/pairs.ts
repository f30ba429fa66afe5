/**
 * The numbers a relation head needs for a batch of candidate pairs, computed on the JavaScript side before the
 * forward pass: span-pooling weights, distance buckets and argument types.
 *
 * Pooling is expressed as lists of rows of the flattened token states of the batch (one list per pair, in CSR
 * layout), averaged by the engine's `rowsMean`: this handles discontinuous entities (only their fragments' tokens)
 * and context that crosses a sentence boundary, and its memory is that of the lists, never pairs x positions (an
 * averaging matrix for 3,000 pairs over a 16,000-position batch would take 190 MB per pool).
 */

/** Where each token of a batch sits in the flattened state matrix. */
export type FlatIndex = (row: number, token: number) => number;

/** A mention's tokens as (batch row, token) plus its first and last document-order position. */
export interface PlacedMention {
  typeId: number;
  cells: { row: number; token: number }[];
  /** Document-order ordinals (see `SegmentLayout.ordinal`) of the first and last covered token. */
  first: number;
  last: number;
}

/** Document-order positions of the tokens of one segment, so "the tokens between two mentions" is defined. */
export interface SegmentLayout {
  /** rowOfSentence[k]: batch row of the segment's k-th sentence. */
  rows: number[];
  /** Token counts of the segment's sentences. */
  lengths: number[];
}

/** Ordinal of (k-th sentence of the segment, token) in reading order. */
export function ordinal(layout: SegmentLayout, k: number, token: number): number {
  let base = 0;
  for (let i = 0; i < k; i++) base += layout.lengths[i];
  return base + token;
}

/** The inverse of `ordinal`: batch row and token of a reading-order position. */
export function cellOf(layout: SegmentLayout, position: number): { row: number; token: number } {
  let rest = position;
  for (let k = 0; k < layout.lengths.length; k++) {
    if (rest < layout.lengths[k]) return { row: layout.rows[k], token: rest };
    rest -= layout.lengths[k];
  }
  throw new RangeError(`position ${position} is past the end of the segment`);
}

/** Signed token distance -> one of DISTANCE_BUCKETS ids: 0..9 for d >= 0, 10..18 for d < 0. */
export const DISTANCE_BUCKETS = 19;
const BUCKET_EDGES = [1, 2, 3, 4, 5, 8, 16, 32, 64];

export function distanceBucket(distance: number): number {
  const magnitude = Math.abs(distance);
  let bucket = 0;
  while (bucket < BUCKET_EDGES.length && magnitude >= BUCKET_EDGES[bucket]) bucket++;
  // bucket is 0 only for distance 0, which has no sign.
  return distance >= 0 ? bucket : 9 + bucket;
}

/** One list of flattened-state rows per pair: pair i pools rows[offsets[i] .. offsets[i + 1]). */
export interface RowLists {
  offsets: Int32Array;
  rows: Int32Array;
}

export interface PairFeatures {
  count: number;
  /** Rows to average for arg1, arg2 and the context between them (empty for touching or overlapping mentions). */
  arg1Rows: RowLists;
  arg2Rows: RowLists;
  betweenRows: RowLists;
  distance: Int32Array;
  arg1Type: Int32Array;
  arg2Type: Int32Array;
}

export interface PairInput {
  arg1: PlacedMention;
  arg2: PlacedMention;
  layout: SegmentLayout;
}

/** Builds a RowLists one list at a time. */
class RowListBuilder {
  private readonly offsets: number[] = [0];
  private readonly rows: number[] = [];
  push(rows: readonly number[]): void {
    for (const r of rows) this.rows.push(r);
    this.offsets.push(this.rows.length);
  }
  build(): RowLists {
    return { offsets: Int32Array.from(this.offsets), rows: Int32Array.from(this.rows) };
  }
}

/** Features of `pairs`; `flat` maps a (batch row, token) cell to its row of the flattened state matrix. */
export function pairFeatures(pairs: readonly PairInput[], flat: FlatIndex): PairFeatures {
  const count = pairs.length;
  const arg1Rows = new RowListBuilder();
  const arg2Rows = new RowListBuilder();
  const betweenRows = new RowListBuilder();
  const distance = new Int32Array(count);
  const arg1Type = new Int32Array(count);
  const arg2Type = new Int32Array(count);
  pairs.forEach((p, i) => {
    arg1Rows.push(p.arg1.cells.map((c) => flat(c.row, c.token)));
    arg2Rows.push(p.arg2.cells.map((c) => flat(c.row, c.token)));
    const [left, right] = p.arg1.last < p.arg2.first ? [p.arg1, p.arg2] : [p.arg2, p.arg1];
    const between: number[] = [];
    // Nested or overlapping mentions have nothing between them; their context row stays zero.
    if (left.last < right.first) {
      for (let pos = left.last + 1; pos < right.first; pos++) {
        const c = cellOf(p.layout, pos);
        between.push(flat(c.row, c.token));
      }
    }
    betweenRows.push(between);
    distance[i] = distanceBucket(p.arg2.first - p.arg1.first);
    arg1Type[i] = p.arg1.typeId;
    arg2Type[i] = p.arg2.typeId;
  });
  return { count, arg1Rows: arg1Rows.build(), arg2Rows: arg2Rows.build(), betweenRows: betweenRows.build(), distance, arg1Type, arg2Type };
}

function sliceRows(lists: RowLists, from: number, to: number): RowLists {
  const start = lists.offsets[from];
  return {
    offsets: lists.offsets.slice(from, to + 1).map((o) => o - start),
    rows: lists.rows.slice(start, lists.offsets[to]),
  };
}

/** Pairs [from, to) of `features`, so a relation head can score a long list in chunks of bounded size. */
export function slicePairs(features: PairFeatures, from: number, to: number): PairFeatures {
  return {
    count: to - from,
    arg1Rows: sliceRows(features.arg1Rows, from, to),
    arg2Rows: sliceRows(features.arg2Rows, from, to),
    betweenRows: sliceRows(features.betweenRows, from, to),
    distance: features.distance.slice(from, to),
    arg1Type: features.arg1Type.slice(from, to),
    arg2Type: features.arg2Type.slice(from, to),
  };
}
