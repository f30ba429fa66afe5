/**
 * The numbers a relation head needs for a batch of candidate pairs, computed on the JavaScript side before the
 * forward pass: span-pooling weights, distance buckets and argument types.
 *
 * Pooling is expressed as averaging matrices over the flattened token states of the batch (rows = pairs, columns =
 * token positions, entry 1/n on the n tokens pooled). Mean pooling is then one matrix product, P x H, whose
 * gradient is P^T x dOut: this handles discontinuous entities (only their fragments' tokens), context that crosses a
 * sentence boundary, and padding (weight 0) without any special op.
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

export interface PairFeatures {
  count: number;
  /** count x positions averaging matrices (row-major) for arg1, arg2 and the context between them. */
  poolArg1: Float32Array;
  poolArg2: Float32Array;
  poolBetween: Float32Array;
  distance: Int32Array;
  arg1Type: Int32Array;
  arg2Type: Int32Array;
}

export interface PairInput {
  arg1: PlacedMention;
  arg2: PlacedMention;
  layout: SegmentLayout;
}

/** Features of `pairs`; `positions` is the number of rows of the flattened state matrix (B x T). */
export function pairFeatures(pairs: readonly PairInput[], positions: number, flat: FlatIndex): PairFeatures {
  const count = pairs.length;
  const poolArg1 = new Float32Array(count * positions);
  const poolArg2 = new Float32Array(count * positions);
  const poolBetween = new Float32Array(count * positions);
  const distance = new Int32Array(count);
  const arg1Type = new Int32Array(count);
  const arg2Type = new Int32Array(count);
  pairs.forEach((p, i) => {
    const base = i * positions;
    spread(poolArg1, base, p.arg1.cells.map((c) => flat(c.row, c.token)));
    spread(poolArg2, base, p.arg2.cells.map((c) => flat(c.row, c.token)));
    const [left, right] = p.arg1.last < p.arg2.first ? [p.arg1, p.arg2] : [p.arg2, p.arg1];
    const between: number[] = [];
    // Nested or overlapping mentions have nothing between them; their context row stays zero.
    if (left.last < right.first) {
      for (let pos = left.last + 1; pos < right.first; pos++) {
        const c = cellOf(p.layout, pos);
        between.push(flat(c.row, c.token));
      }
    }
    spread(poolBetween, base, between);
    distance[i] = distanceBucket(p.arg2.first - p.arg1.first);
    arg1Type[i] = p.arg1.typeId;
    arg2Type[i] = p.arg2.typeId;
  });
  return { count, poolArg1, poolArg2, poolBetween, distance, arg1Type, arg2Type };
}

function spread(matrix: Float32Array, base: number, columns: number[]): void {
  if (columns.length === 0) return;
  const w = 1 / columns.length;
  for (const c of columns) matrix[base + c] += w;
}
