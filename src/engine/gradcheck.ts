/**
 * Gradient checking: compare an op's backward with central finite differences of its forward.
 *
 * The loss is a random-weighted sum of every output element, so a gradient that is wrong for any single
 * output (a wrong sign, a missing term, a transposed index) changes the result. Used by the engine's tests and
 * useful when adding an op (see README.md).
 */
import { weightedSum } from './ops/basic.js';
import type { Kernels } from './kernels/types.js';
import { Rng } from '../random.js';
import { Graph, Tensor, type Shape } from './tensor.js';

export interface GradLeaf {
  data: ArrayLike<number>;
  shape: Shape;
}

export interface GradCheckOptions {
  /** Finite-difference step. Float32 forward passes want 1e-2..1e-3. */
  eps?: number;
  /** Seed for the random output weights. */
  seed?: number;
}

export interface GradCheckResult {
  /** Analytic gradients (from backward), one array per leaf. */
  analytic: Float64Array[];
  /** Central finite differences, one array per leaf. */
  numeric: Float64Array[];
  /** max over elements of |analytic - numeric| / max(1, |analytic|, |numeric|). */
  maxRelativeError: number;
  /** Where the worst element is: [leaf index, element index]. */
  worst: [number, number];
}

/**
 * Run `build` on leaves made from `leaves`, and compare d(sum_i w_i out_i)/d leaf from backward against
 * finite differences. `build` must be deterministic (seed any dropout inside it).
 */
export function gradCheck(
  kernels: Kernels,
  leaves: GradLeaf[],
  build: (g: Graph, inputs: Tensor[]) => Tensor,
  options: GradCheckOptions = {},
): GradCheckResult {
  const eps = options.eps ?? 1e-2;
  const values = leaves.map((leaf) => Float32Array.from(leaf.data));
  let weights: Float64Array | undefined;

  /** Loss computed in float64 from the outputs; also returns the output size the first time. */
  const forward = (withGradients: boolean): { loss: number; grads: Float64Array[] } => {
    const mark = kernels.mark();
    try {
      const g = new Graph(kernels, { training: true, recordGradients: withGradients });
      const inputs = leaves.map((leaf, i) => g.constant(values[i], leaf.shape, withGradients));
      const out = build(g, inputs);
      if (!weights) {
        const rng = new Rng(options.seed ?? 7);
        weights = Float64Array.from({ length: out.size }, () => rng.uniform(-1, 1));
      }
      const outValues = kernels.f32(out.ptr, out.size);
      let loss = 0;
      for (let i = 0; i < out.size; i++) loss += weights[i] * outValues[i];
      const grads: Float64Array[] = [];
      if (withGradients) {
        const lossTensor = weightedSum(g, out, weights);
        g.backward(lossTensor);
        for (const input of inputs) {
          grads.push(input.grad === 0 ? new Float64Array(input.size) : Float64Array.from(kernels.f32(input.grad, input.size)));
        }
      }
      return { loss, grads };
    } finally {
      kernels.reset(mark);
    }
  };

  const analytic = forward(true).grads;
  const numeric = values.map((v) => new Float64Array(v.length));
  let maxRelativeError = 0;
  let worst: [number, number] = [0, 0];
  values.forEach((v, leafIndex) => {
    for (let i = 0; i < v.length; i++) {
      const original = v[i];
      v[i] = original + eps;
      const up = v[i];
      const lossUp = forward(false).loss;
      v[i] = original - eps;
      const down = v[i];
      const lossDown = forward(false).loss;
      v[i] = original;
      // Divide by the step actually taken after float32 rounding.
      const estimate = (lossUp - lossDown) / (up - down);
      numeric[leafIndex][i] = estimate;
      const a = analytic[leafIndex][i];
      const error = Math.abs(a - estimate) / Math.max(1, Math.abs(a), Math.abs(estimate));
      if (error > maxRelativeError) {
        maxRelativeError = error;
        worst = [leafIndex, i];
      }
    }
  });
  return { analytic, numeric, maxRelativeError, worst };
}
