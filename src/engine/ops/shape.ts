/**
 * Ops that move values without arithmetic: concat and slice along the last axis, row gather (embedding
 * lookup), swapping the first two axes. Row copies are done with typed-array `set`/loops in JavaScript: they
 * are memory-bound, and one kernel call per row would cost more than the copy.
 */
import { Graph, Tensor, shapeError, shapeText } from '../tensor.js';

/** A float32 view of all of kernel memory; take it after the op's last allocation (growth detaches it). */
function heap(g: Graph): Float32Array {
  return new Float32Array(g.kernels.memory.buffer);
}

/** Concatenate along the last axis; all inputs share the leading dimensions. */
export function concat(g: Graph, parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) shapeError('concat', 'needs at least one tensor');
  const lead = parts[0].shape.slice(0, -1);
  for (const p of parts) {
    const pl = p.shape.slice(0, -1);
    if (p.rank === 0 || pl.length !== lead.length || pl.some((d, i) => d !== lead[i])) {
      shapeError('concat', `leading dimensions differ: ${parts.map((t) => shapeText(t.shape)).join(', ')}`);
    }
  }
  const rows = parts[0].size / parts[0].lastDim;
  const width = parts.reduce((w, p) => w + p.lastDim, 0);
  const out = g.empty([...lead, width]);
  const F = heap(g);
  let offset = 0;
  for (const p of parts) {
    const d = p.lastDim;
    for (let r = 0; r < rows; r++) {
      const src = (p.ptr >> 2) + r * d;
      F.set(F.subarray(src, src + d), (out.ptr >> 2) + r * width + offset);
    }
    offset += d;
  }
  return g.record(out, parts, () => {
    const dOut = g.grad(out) >> 2;
    let column = 0;
    for (const p of parts) {
      const d = p.lastDim;
      if (p.requiresGrad) {
        const dp = g.grad(p) >> 2;
        const H = heap(g);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < d; j++) H[dp + r * d + j] += H[dOut + r * width + column + j];
        }
      }
      column += d;
    }
  });
}

/** Columns [start, start + width) of the last axis. */
export function sliceLast(g: Graph, x: Tensor, start: number, width: number): Tensor {
  const d = x.lastDim;
  if (start < 0 || width < 0 || start + width > d) shapeError('sliceLast', `[${start}, ${start + width}) outside last axis of ${shapeText(x.shape)}`);
  const rows = x.size / d;
  const out = g.empty([...x.shape.slice(0, -1), width]);
  const F = heap(g);
  for (let r = 0; r < rows; r++) {
    const src = (x.ptr >> 2) + r * d + start;
    F.set(F.subarray(src, src + width), (out.ptr >> 2) + r * width);
  }
  return g.record(out, [x], () => {
    const dOut = g.grad(out) >> 2;
    const dx = g.grad(x) >> 2;
    const H = heap(g);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < width; j++) H[dx + r * d + start + j] += H[dOut + r * width + j];
    }
  });
}

/** Split the last axis into pieces of the given widths (which must add up to it). */
export function split(g: Graph, x: Tensor, widths: readonly number[]): Tensor[] {
  const total = widths.reduce((a, b) => a + b, 0);
  if (total !== x.lastDim) shapeError('split', `widths add up to ${total}, last axis of ${shapeText(x.shape)} is ${x.lastDim}`);
  let start = 0;
  return widths.map((w) => {
    const piece = sliceLast(g, x, start, w);
    start += w;
    return piece;
  });
}

/**
 * out[i, :] = x[rows[i], :] for a 2-D x. Repeated rows accumulate their gradients (scatter-add), which is what
 * makes this the embedding lookup. `leading` reshapes the output's leading axes (default [rows.length]).
 */
export function gatherRows(g: Graph, x: Tensor, rows: ArrayLike<number>, leading: readonly number[] = [rows.length]): Tensor {
  if (x.rank !== 2) shapeError('gatherRows', `needs a 2-D table, got ${shapeText(x.shape)}`);
  const [count, dim] = x.shape;
  if (leading.reduce((a, b) => a * b, 1) !== rows.length) {
    shapeError('gatherRows', `${rows.length} row ids do not fill leading shape ${shapeText(leading)}`);
  }
  for (let i = 0; i < rows.length; i++) {
    const id = rows[i];
    if (!Number.isInteger(id) || id < 0 || id >= count) shapeError('gatherRows', `row id ${id} at ${i} is outside [0, ${count})`);
  }
  const ids = g.ints(rows);
  const out = g.empty([...leading, dim]);
  g.kernels.gatherRows(x.ptr, dim, ids, rows.length, out.ptr);
  return g.record(out, [x], () => g.kernels.scatterAddRows(g.grad(x), dim, ids, rows.length, g.grad(out)));
}

/** Embedding lookup: a table [vocabulary, dim] and ids -> [...leading, dim]. */
export const embedding = gatherRows;

/** Swap the first two axes: [A, B, ...rest] -> [B, A, ...rest] (batch-major <-> time-major). */
export function transpose01(g: Graph, x: Tensor): Tensor {
  if (x.rank < 2) shapeError('transpose01', `needs rank >= 2, got ${shapeText(x.shape)}`);
  const [A, B] = x.shape;
  const inner = x.size / (A * B);
  const out = g.empty([B, A, ...x.shape.slice(2)]);
  const F = heap(g);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const src = (x.ptr >> 2) + (a * B + b) * inner;
      F.set(F.subarray(src, src + inner), (out.ptr >> 2) + (b * A + a) * inner);
    }
  }
  return g.record(out, [x], () => {
    const dOut = g.grad(out) >> 2;
    const dx = g.grad(x) >> 2;
    const H = heap(g);
    for (let a = 0; a < A; a++) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < inner; j++) H[dx + (a * B + b) * inner + j] += H[dOut + (b * A + a) * inner + j];
      }
    }
  });
}
