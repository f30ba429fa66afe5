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
