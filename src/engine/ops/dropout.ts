/**
 * Inverted dropout: in training, each element is kept with probability 1 - p and scaled by 1 / (1 - p), so
 * that inference needs no rescaling; outside training it is the identity. The mask comes from a seeded `Rng`,
 * so a run is reproducible.
 */
import type { Rng } from '../random.js';
import { Graph, Tensor } from '../tensor.js';

export function dropout(g: Graph, x: Tensor, p: number, rng: Rng): Tensor {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: probability must be in [0, 1), got ${p}`);
  if (!g.training || p === 0) return x;
  const K = g.kernels;
  const mask = K.alloc(x.size * 4);
  const out = g.empty(x.shape);
  const keepScale = 1 / (1 - p);
  const maskView = K.f32(mask, x.size);
  for (let i = 0; i < x.size; i++) maskView[i] = rng.next() < p ? 0 : keepScale;
  K.mul(x.size, x.ptr, mask, out.ptr);
  return g.record(out, [x], () => {
    const tmp = K.alloc(x.size * 4);
    K.mul(x.size, g.grad(out), mask, tmp);
    K.axpy(x.size, 1, tmp, g.grad(x));
  });
}
