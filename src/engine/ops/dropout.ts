/**
 * Inverted dropout: in training, each element is kept with probability 1 - p and scaled by 1 / (1 - p), so
 * that inference needs no rescaling; outside training it is the identity. The mask comes from seeded noise, so a
 * run is reproducible.
 *
 * The noise is either one `Rng` drawn in element order, or a function that fills the uniform draws itself. The
 * second form lets a caller tie each row of a batch to its own stream (see models/noise.ts): then a sentence gets
 * the same mask whichever batch shard it is computed in, which is what makes data-parallel training independent
 * of the thread count.
 */
import type { Rng } from '../../random.js';
import { Graph, Tensor, type Shape } from '../tensor.js';

/** Fills `uniforms` (length = the tensor's size, row-major over `shape`) with draws in [0, 1). */
export type NoiseFiller = (uniforms: Float32Array, shape: Shape) => void;
export type DropoutNoise = Rng | NoiseFiller;

export function dropout(g: Graph, x: Tensor, p: number, noise: DropoutNoise): Tensor {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: probability must be in [0, 1), got ${p}`);
  if (!g.training || p === 0) return x;
  const K = g.kernels;
  const mask = K.alloc(x.size * 4);
  const out = g.empty(x.shape);
  const keepScale = 1 / (1 - p);
  const maskView = K.f32(mask, x.size);
  if (typeof noise === 'function') {
    noise(maskView, x.shape);
    for (let i = 0; i < x.size; i++) maskView[i] = maskView[i] < p ? 0 : keepScale;
  } else {
    for (let i = 0; i < x.size; i++) maskView[i] = noise.next() < p ? 0 : keepScale;
  }
  K.mul(x.size, x.ptr, mask, out.ptr);
  return g.record(out, [x], () => {
    const tmp = K.alloc(x.size * 4);
    K.mul(x.size, g.grad(out), mask, tmp);
    K.axpy(x.size, 1, tmp, g.grad(x));
  });
}
