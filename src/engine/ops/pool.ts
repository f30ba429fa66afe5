/**
 * Pooling over runs of rows: span mean and span max. A span is a half-open row range [start, end) of a 2-D
 * input; output row s pools span s. The relation head pools entity spans this way, and the character CNN pools
 * each word's windows with `spanMax`.
 */
import { Graph, Tensor, shapeError, shapeText } from '../tensor.js';

/** Spans as a flat list [start0, end0, start1, end1, ...], each non-empty and inside [0, rows). */
function checkSpans(op: string, x: Tensor, spans: ArrayLike<number>): number {
  if (x.rank !== 2) shapeError(op, `needs a 2-D input, got ${shapeText(x.shape)}`);
  if (spans.length % 2 !== 0) shapeError(op, 'spans must be [start, end) pairs');
  const rows = x.shape[0];
  for (let s = 0; s < spans.length; s += 2) {
    const start = spans[s];
    const end = spans[s + 1];
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > rows || start >= end) {
      shapeError(op, `span ${s / 2} = [${start}, ${end}) is empty or outside [0, ${rows})`);
    }
  }
  return spans.length / 2;
}

/** out[s, :] = mean of x[start_s .. end_s - 1, :]. */
export function spanMean(g: Graph, x: Tensor, spans: ArrayLike<number>): Tensor {
  const count = checkSpans('spanMean', x, spans);
  const d = x.shape[1];
  const spanList = Int32Array.from(spans);
  const out = g.empty([count, d]);
  const F = new Float32Array(g.kernels.memory.buffer);
  for (let s = 0; s < count; s++) {
    const start = spanList[2 * s];
    const end = spanList[2 * s + 1];
    for (let j = 0; j < d; j++) {
      let total = 0;
      for (let r = start; r < end; r++) total += F[(x.ptr >> 2) + r * d + j];
      F[(out.ptr >> 2) + s * d + j] = total / (end - start);
    }
  }
  return g.record(out, [x], () => {
    const dOut = g.grad(out) >> 2;
    const dx = g.grad(x) >> 2;
    const H = new Float32Array(g.kernels.memory.buffer);
    for (let s = 0; s < count; s++) {
      const start = spanList[2 * s];
      const end = spanList[2 * s + 1];
      for (let r = start; r < end; r++) {
        for (let j = 0; j < d; j++) H[dx + r * d + j] += H[dOut + s * d + j] / (end - start);
      }
    }
  });
}

/** out[s, j] = max of x[r, j] over r in span s; the gradient goes to the (first) row holding the max. */
export function spanMax(g: Graph, x: Tensor, spans: ArrayLike<number>): Tensor {
  const count = checkSpans('spanMax', x, spans);
  const d = x.shape[1];
  const spanList = Int32Array.from(spans);
  const out = g.empty([count, d]);
  const argmaxPtr = g.kernels.alloc(count * d * 4);
  const F = new Float32Array(g.kernels.memory.buffer);
  const argmax = new Int32Array(g.kernels.memory.buffer, argmaxPtr, count * d);
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < d; j++) {
      let bestRow = spanList[2 * s];
      for (let r = bestRow + 1; r < spanList[2 * s + 1]; r++) {
        if (F[(x.ptr >> 2) + r * d + j] > F[(x.ptr >> 2) + bestRow * d + j]) bestRow = r;
      }
      argmax[s * d + j] = bestRow;
      F[(out.ptr >> 2) + s * d + j] = F[(x.ptr >> 2) + bestRow * d + j];
    }
  }
  return g.record(out, [x], () => {
    const dOut = g.grad(out) >> 2;
    const dx = g.grad(x) >> 2;
    const H = new Float32Array(g.kernels.memory.buffer);
    const rowOf = new Int32Array(g.kernels.memory.buffer, argmaxPtr, count * d);
    for (let s = 0; s < count; s++) {
      for (let j = 0; j < d; j++) H[dx + rowOf[s * d + j] * d + j] += H[dOut + s * d + j];
    }
  });
}

/**
 * Rows gathered by index lists, then averaged: out[s, :] = mean of x[rows[k], :] for k in
 * [offsets[s], offsets[s + 1]) (a CSR layout; an empty list gives a zero row). Memory is that of the index lists,
 * whatever x's height: the relation head pools mentions and the context between them this way, where an
 * averaging matrix would cost pairs x positions.
 */
export function rowsMean(g: Graph, x: Tensor, offsets: Int32Array, rows: Int32Array): Tensor {
  if (x.rank !== 2) shapeError('rowsMean', `needs a 2-D input, got ${shapeText(x.shape)}`);
  const count = offsets.length - 1;
  if (count < 0 || offsets[0] !== 0 || offsets[count] !== rows.length) {
    shapeError('rowsMean', `offsets must run from 0 to the number of rows (${rows.length})`);
  }
  const height = x.shape[0];
  for (let s = 0; s < count; s++) if (offsets[s + 1] < offsets[s]) shapeError('rowsMean', `offsets decrease at ${s}`);
  for (const r of rows) if (!Number.isInteger(r) || r < 0 || r >= height) shapeError('rowsMean', `row ${r} is outside [0, ${height})`);
  const d = x.shape[1];
  const out = g.empty([count, d]);
  const F = new Float32Array(g.kernels.memory.buffer);
  const xBase = x.ptr >> 2;
  const outBase = out.ptr >> 2;
  for (let s = 0; s < count; s++) {
    const from = offsets[s];
    const to = offsets[s + 1];
    const o = outBase + s * d;
    for (let j = 0; j < d; j++) F[o + j] = 0;
    if (to === from) continue;
    for (let k = from; k < to; k++) {
      const r = xBase + rows[k] * d;
      for (let j = 0; j < d; j++) F[o + j] += F[r + j];
    }
    const w = 1 / (to - from);
    for (let j = 0; j < d; j++) F[o + j] *= w;
  }
  return g.record(out, [x], () => {
    const dOut = g.grad(out) >> 2;
    const dx = g.grad(x) >> 2;
    const H = new Float32Array(g.kernels.memory.buffer);
    for (let s = 0; s < count; s++) {
      const from = offsets[s];
      const to = offsets[s + 1];
      if (to === from) continue;
      const w = 1 / (to - from);
      for (let k = from; k < to; k++) {
        const r = dx + rows[k] * d;
        for (let j = 0; j < d; j++) H[r + j] += H[dOut + s * d + j] * w;
      }
    }
  });
}
