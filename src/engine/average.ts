/**
 * Exponential moving average of parameters (Polyak averaging, as TensorFlow's ExponentialMovingAverage): after
 * every optimiser step, average = d x average + (1 - d) x value, with d = min(decay, (1 + t) / (10 + t)) at step t
 * so that the first steps, where the average still remembers the initialisation, weigh less. Evaluating and
 * keeping the averaged weights smooths out the last steps' noise, which matters when a small dev set picks the
 * epoch. Like the optimiser's state, the average lives in the kernels' arena: construct it before the per-step mark.
 */
import type { Kernels } from './kernels/types.js';
import type { OptimizerState } from './optim.js';
import type { Parameter } from './params.js';

/** Names of the average's tensors in a checkpoint, beside the optimiser's `m.` and `v.` ones. */
const PREFIX = 'average.';

export class ParameterAverage {
  steps = 0;
  private readonly averages: number[];
  /** The live values while the averaged ones are swapped in (JS copies). */
  private stashed: Float32Array[] | null = null;

  constructor(private readonly kernels: Kernels, private readonly params: readonly Parameter[], readonly decay: number) {
    if (!(decay > 0 && decay < 1)) throw new Error(`average decay must be in (0, 1), got ${decay}`);
    this.averages = params.map((p) => {
      const ptr = kernels.alloc(p.size * 4);
      kernels.f32(ptr, p.size).set(kernels.f32(p.ptr, p.size));
      return ptr;
    });
  }

  /** Fold the current values in; call once after every optimiser step. */
  update(): void {
    if (this.stashed) throw new Error('update() while the averaged weights are swapped in');
    this.steps += 1;
    const d = Math.min(this.decay, (1 + this.steps) / (10 + this.steps));
    this.params.forEach((p, i) => {
      this.kernels.scale(p.size, d, this.averages[i]);
      this.kernels.axpy(p.size, 1 - d, p.ptr, this.averages[i]);
    });
  }

  /** Put the averaged values into the parameters (for evaluation or saving), keeping the live ones aside. */
  swapIn(): void {
    if (this.stashed) return;
    this.stashed = this.params.map((p, i) => {
      const live = this.kernels.f32(p.ptr, p.size);
      const kept = live.slice();
      live.set(this.kernels.f32(this.averages[i], p.size));
      return kept;
    });
  }

  /** Put the live values back, so that training goes on from where it was. */
  swapOut(): void {
    if (!this.stashed) return;
    this.params.forEach((p, i) => this.kernels.f32(p.ptr, p.size).set(this.stashed![i]));
    this.stashed = null;
  }

  /** The average's tensors, to store with the optimiser state in a checkpoint. */
  snapshot(): OptimizerState['tensors'] {
    return this.params.map((p, i) => ({ name: `${PREFIX}${p.name}`, shape: p.shape, data: this.kernels.f32(this.averages[i], p.size).slice() }));
  }

  /** Restore from a checkpoint's tensors; `steps` is the optimiser's step count (one update per step). */
  restore(tensors: OptimizerState['tensors'], steps: number): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    this.params.forEach((p, i) => {
      const t = byName.get(`${PREFIX}${p.name}`);
      if (!t || t.data.length !== p.size) throw new Error(`parameter average ${PREFIX}${p.name} is missing or has the wrong size`);
      this.kernels.f32(this.averages[i], p.size).set(t.data);
    });
    this.steps = steps;
  }
}
