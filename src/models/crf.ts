/**
 * CRF decoding with a confidence per token, for prediction scores.
 *
 * The engine's `crfDecode` returns the Viterbi path only. Here the kernels' `crfNll` is evaluated once more at the
 * Viterbi path: its gradient with respect to the emissions is P(y_t = j) - [best_t = j], so the marginal probability
 * of each chosen tag is that gradient + 1. One extra forward-backward pass, no new kernel.
 */
import type { CrfConstraints, CrfWeights } from '../engine/ops/crf.js';
import { Graph, Tensor, shapeError, shapeText } from '../engine/tensor.js';

/** Start score of a tag that may not begin a sequence (as in the engine: exp() of it is 0, sums stay finite). */
const FORBIDDEN = -1e4;

export interface CrfDecoding {
  /** Best tag ids, B x T (0 past each length). */
  tags: Int32Array;
  /** Marginal probability of the chosen tag at each position, B x T (0 past each length). */
  confidence: Float32Array;
}

export function crfDecodeWithConfidence(
  g: Graph,
  emissions: Tensor,
  lengths: Int32Array,
  w: CrfWeights,
  constraints: CrfConstraints,
): CrfDecoding {
  if (emissions.rank !== 3) shapeError('crfDecodeWithConfidence', `emissions must be [B, T, K], got ${shapeText(emissions.shape)}`);
  const [b, t, k] = emissions.shape;
  const K = g.kernels;
  const lengthPtr = g.ints(lengths);
  const allowed = g.constant(constraints.allowed, [k, k]).ptr;
  const startValues = K.f32(w.start.ptr, k).slice();
  for (let j = 0; j < k; j++) if (constraints.allowedStart[j] === 0) startValues[j] = FORBIDDEN;
  const start = g.constant(startValues, [k]).ptr;
  const outTags = K.alloc(b * t * 4);
  K.crfViterbi(b, t, k, emissions.ptr, lengthPtr, w.transitions.ptr, start, w.end.ptr, allowed, outTags);
  const dEmissions = K.alloc(b * t * k * 4);
  const scratch = K.alloc((k * k + 2 * k) * 4);
  K.fill(scratch, k * k + 2 * k, 0);
  K.crfNll(b, t, k, emissions.ptr, lengthPtr, outTags, w.transitions.ptr, start, w.end.ptr, allowed,
    dEmissions, scratch, scratch + k * k * 4, scratch + (k * k + k) * 4);
  const tags = K.i32(outTags, b * t).slice();
  const grad = K.f32(dEmissions, b * t * k);
  const confidence = new Float32Array(b * t);
  for (let row = 0; row < b; row++) {
    for (let pos = 0; pos < lengths[row]; pos++) {
      const cell = row * t + pos;
      confidence[cell] = Math.min(1, Math.max(0, grad[cell * k + tags[cell]] + 1));
    }
  }
  return { tags, confidence };
}
