/**
 * Character CNN for word shapes: a 1-D convolution over each word's character embeddings followed by a max over
 * positions. Built from primitives: `windows` (im2col) + `linear` + activation + `spanMax`, so its gradient
 * is the composition of already-checked gradients; only `windows` has a backward of its own.
 */
import { linear, relu, tanh } from './basic.js';
import { spanMax } from './pool.js';
import { Graph, Tensor, shapeError, shapeText } from '../tensor.js';

/**
 * im2col for 1-D convolution: x [N, C, D] -> [N * P, width * D] with P = C - width + 1; row n * P + p holds
 * x[n, p .. p + width - 1, :] flattened. That block is contiguous in x, so each row is one copy.
 */
export function windows(g: Graph, x: Tensor, width: number): Tensor {
  if (x.rank !== 3) shapeError('windows', `needs [words, chars, dim], got ${shapeText(x.shape)}`);
  const [n, c, d] = x.shape;
  const positions = c - width + 1;
  if (!Number.isInteger(width) || width < 1 || positions < 1) shapeError('windows', `width ${width} does not fit ${c} characters`);
  const rowWidth = width * d;
  const out = g.empty([n * positions, rowWidth]);
  const F = new Float32Array(g.kernels.memory.buffer);
  for (let w = 0; w < n; w++) {
    for (let p = 0; p < positions; p++) {
      const src = (x.ptr >> 2) + (w * c + p) * d;
      F.set(F.subarray(src, src + rowWidth), (out.ptr >> 2) + (w * positions + p) * rowWidth);
    }
  }
  return g.record(out, [x], () => {
    const dOut = g.grad(out) >> 2;
    const dx = g.grad(x) >> 2;
    const H = new Float32Array(g.kernels.memory.buffer);
    for (let w = 0; w < n; w++) {
      for (let p = 0; p < positions; p++) {
        const dst = dx + (w * c + p) * d; // overlapping windows add up
        const src = dOut + (w * positions + p) * rowWidth;
        for (let j = 0; j < rowWidth; j++) H[dst + j] += H[src + j];
      }
    }
  });
}

export interface CharCnnWeights {
  /** [width * charDim, filters] */
  filters: Tensor;
  /** [filters] */
  bias: Tensor;
}

export interface CharCnnOptions {
  /** Convolution width in characters. */
  width: number;
  /** Nonlinearity before the max. Default 'tanh'. */
  activation?: 'tanh' | 'relu' | 'none';
  /**
   * Real length of each word (characters are left-aligned, padding after). Windows that start past
   * max(1, length - width + 1) are left out of the max; without lengths every window counts.
   */
  lengths?: ArrayLike<number>;
}

/** chars [words, maxChars, charDim] (character embeddings) -> [words, filters]. */
export function charCnn(g: Graph, chars: Tensor, weights: CharCnnWeights, options: CharCnnOptions): Tensor {
  const { width } = options;
  if (weights.filters.rank !== 2 || weights.filters.shape[0] !== width * chars.lastDim) {
    shapeError('charCnn', `filters ${shapeText(weights.filters.shape)} do not fit width ${width} x char dim ${chars.lastDim}`);
  }
  const [words, maxChars] = chars.shape;
  const positions = maxChars - width + 1;
  if (options.lengths && options.lengths.length !== words) shapeError('charCnn', `${options.lengths.length} lengths for ${words} words`);
  const conv = linear(g, windows(g, chars, width), weights.filters, weights.bias);
  const activated = options.activation === 'none' ? conv : options.activation === 'relu' ? relu(g, conv) : tanh(g, conv);
  const spans = new Int32Array(2 * words);
  for (let w = 0; w < words; w++) {
    const valid = options.lengths ? Math.min(positions, Math.max(1, options.lengths[w] - width + 1)) : positions;
    spans[2 * w] = w * positions;
    spans[2 * w + 1] = w * positions + valid;
  }
  return spanMax(g, activated, spans);
}
