/**
 * Optimisers (Adam/AdamW, SGD with momentum) and gradient clipping by global norm.
 *
 * Optimiser state is allocated when the optimiser is constructed: construct it right after the parameters,
 * before the per-step mark. Parameters are updated in the store's fixed order, so a run is reproducible.
 */
import type { Kernels } from './kernels/types.js';
import type { Parameter } from './params.js';

export interface Optimizer {
  /** Apply one update from the current gradients; `lr` overrides the base rate (for schedules). */
  step(lr?: number): void;
  /** Number of steps taken. */
  readonly steps: number;
  /** State for a checkpoint (copies): restoring it makes a resumed run bit-identical to an uninterrupted one. */
  snapshot(): OptimizerState;
  restore(state: OptimizerState): void;
}

/** Step count and named state tensors (`m.<param>`, `v.<param>`, `velocity.<param>`), ready for safetensors. */
export interface OptimizerState {
  steps: number;
  tensors: { name: string; shape: readonly number[]; data: Float32Array }[];
}

/** Copy named state buffers out of kernel memory. */
function snapshotBuffers(kernels: Kernels, steps: number, buffers: { name: string; param: Parameter; ptr: number }[]): OptimizerState {
  return { steps, tensors: buffers.map((b) => ({ name: b.name, shape: b.param.shape, data: kernels.f32(b.ptr, b.param.size).slice() })) };
}

/** Copy named state back, checking that every buffer is present with the right size. */
function restoreBuffers(kernels: Kernels, state: OptimizerState, buffers: { name: string; param: Parameter; ptr: number }[]): void {
  const byName = new Map(state.tensors.map((t) => [t.name, t]));
  for (const b of buffers) {
    const t = byName.get(b.name);
    if (!t || t.data.length !== b.param.size) throw new Error(`optimizer state ${b.name} is missing or has the wrong size`);
    kernels.f32(b.ptr, b.param.size).set(t.data);
  }
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (AdamW); 0 gives Adam. */
  weightDecay?: number;
}

export class Adam implements Optimizer {
  steps = 0;
  private readonly moments: { m: number; v: number }[];

  constructor(private readonly kernels: Kernels, private readonly params: readonly Parameter[], readonly options: AdamOptions) {
    this.moments = params.map((p) => {
      const m = kernels.alloc(p.size * 4);
      const v = kernels.alloc(p.size * 4);
      kernels.fill(m, p.size, 0);
      kernels.fill(v, p.size, 0);
      return { m, v };
    });
  }

  private buffers(): { name: string; param: Parameter; ptr: number }[] {
    return this.params.flatMap((param, i) => [
      { name: `m.${param.name}`, param, ptr: this.moments[i].m },
      { name: `v.${param.name}`, param, ptr: this.moments[i].v },
    ]);
  }

  snapshot(): OptimizerState {
    return snapshotBuffers(this.kernels, this.steps, this.buffers());
  }

  restore(state: OptimizerState): void {
    restoreBuffers(this.kernels, state, this.buffers());
    this.steps = state.steps;
  }

  step(lr = this.options.lr): void {
    this.steps += 1;
    const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = this.options;
    this.params.forEach((p, i) => {
      if (!p.requiresGrad) return; // frozen
      const { m, v } = this.moments[i];
      this.kernels.adamStep(p.size, p.ptr, p.grad, m, v, lr, beta1, beta2, eps, weightDecay, this.steps);
    });
  }
}

export interface SgdOptions {
  lr: number;
  /** Heavy-ball momentum: v = momentum * v + g; p -= lr * v (as PyTorch and TensorFlow). 0 for plain SGD. */
  momentum?: number;
  /** L2 penalty added to the gradient: g += weightDecay * p. */
  weightDecay?: number;
}

export class Sgd implements Optimizer {
  steps = 0;
  private readonly velocity: number[];

  constructor(private readonly kernels: Kernels, private readonly params: readonly Parameter[], readonly options: SgdOptions) {
    this.velocity = (options.momentum ?? 0) === 0 ? [] : params.map((p) => {
      const v = kernels.alloc(p.size * 4);
      kernels.fill(v, p.size, 0);
      return v;
    });
  }

  private buffers(): { name: string; param: Parameter; ptr: number }[] {
    return this.velocity.map((ptr, i) => ({ name: `velocity.${this.params[i].name}`, param: this.params[i], ptr }));
  }

  snapshot(): OptimizerState {
    return snapshotBuffers(this.kernels, this.steps, this.buffers());
  }

  restore(state: OptimizerState): void {
    restoreBuffers(this.kernels, state, this.buffers());
    this.steps = state.steps;
  }

  step(lr = this.options.lr): void {
    this.steps += 1;
    const momentum = this.options.momentum ?? 0;
    const weightDecay = this.options.weightDecay ?? 0;
    const k = this.kernels;
    this.params.forEach((p, i) => {
      if (!p.requiresGrad) return;
      if (weightDecay !== 0) k.axpy(p.size, weightDecay, p.ptr, p.grad); // changes the gradient in place
      if (momentum === 0) {
        k.axpy(p.size, -lr, p.grad, p.ptr);
        return;
      }
      const v = this.velocity[i];
      k.scale(p.size, momentum, v);
      k.axpy(p.size, 1, p.grad, v);
      k.axpy(p.size, -lr, v, p.ptr);
    });
  }
}

/**
 * Scale all gradients so that their global L2 norm is at most `maxNorm` (as PyTorch's clip_grad_norm_).
 * Returns the norm before clipping (worth logging: a spike means a bad batch or a too-high rate).
 */
export function clipGradNorm(kernels: Kernels, params: readonly Parameter[], maxNorm: number): number {
  let squares = 0;
  for (const p of params) if (p.requiresGrad) squares += kernels.sumSquares(p.size, p.grad);
  const norm = Math.sqrt(squares);
  const factor = maxNorm / (norm + 1e-6);
  if (factor < 1) for (const p of params) if (p.requiresGrad) kernels.scale(p.size, factor, p.grad);
  return norm;
}
