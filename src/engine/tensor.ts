/**
 * Tensors and the tape for reverse-mode gradients.
 *
 * A `Tensor` is a shape plus a pointer into the kernels' memory; it owns no JavaScript array. A `Graph` is one
 * forward pass: it allocates activations in the arena's scratch region and records, for every op whose output
 * needs a gradient, a backward closure. `graph.backward(loss)` runs the closures in reverse order. Each op in
 * `ops/` keeps its forward and its backward side by side (as in micrograd), so a reader can audit one op at a
 * time.
 *
 * Memory discipline: parameters (and their gradients) are allocated once, below a mark; a training step does
 *   const mark = kernels.mark(); const g = new Graph(kernels); ...forward...; g.backward(loss); ...step...;
 *   kernels.reset(mark);
 * so activations and their gradients vanish together and nothing is garbage-collected per step.
 */
import type { Kernels, Ptr } from './kernels/types.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  return shape.reduce((product, d) => product * d, 1);
}

export function shapeText(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** A dense float32 array living in kernel memory. */
export class Tensor {
  readonly size: number;

  /**
   * @param shape dimensions, row-major.
   * @param ptr byte offset of element 0 in kernel memory.
   * @param requiresGrad whether gradients flow to this tensor.
   * @param grad byte offset of the gradient buffer; 0 until allocated (parameters allocate theirs up front).
   */
  constructor(
    readonly shape: Shape,
    readonly ptr: Ptr,
    public requiresGrad = false,
    public grad: Ptr = 0,
  ) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new RangeError(`bad tensor shape ${shapeText(shape)}`);
    }
    this.size = sizeOf(shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Size of the last axis (1 for a scalar). */
  get lastDim(): number {
    return this.shape.length === 0 ? 1 : this.shape[this.shape.length - 1];
  }
}

/** Throw a shape error naming the op and what it expected. */
export function shapeError(op: string, message: string): never {
  throw new RangeError(`${op}: ${message}`);
}

export interface GraphOptions {
  /** Training mode: dropout is active. Default true. */
  training?: boolean;
  /** Record backward closures. Default: same as `training`. Off for inference (no gradient memory). */
  recordGradients?: boolean;
}

/** One forward pass and its tape. */
export class Graph {
  readonly training: boolean;
  readonly recording: boolean;
  private readonly tape: (() => void)[] = [];

  constructor(readonly kernels: Kernels, options: GraphOptions = {}) {
    this.training = options.training ?? true;
    this.recording = options.recordGradients ?? this.training;
  }

  /** A scratch tensor with undefined contents. */
  empty(shape: Shape): Tensor {
    return new Tensor(shape, this.kernels.alloc(sizeOf(shape) * 4));
  }

  zeros(shape: Shape): Tensor {
    const t = this.empty(shape);
    this.kernels.fill(t.ptr, t.size, 0);
    return t;
  }

  /** A scratch tensor holding `data` (copied). `requiresGrad` makes it a leaf whose gradient can be read. */
  constant(data: ArrayLike<number>, shape: Shape, requiresGrad = false): Tensor {
    if (data.length !== sizeOf(shape)) shapeError('constant', `${data.length} values for shape ${shapeText(shape)}`);
    const t = this.empty(shape);
    this.kernels.f32(t.ptr, t.size).set(data);
    t.requiresGrad = requiresGrad;
    return t;
  }

  /** Copy integers (ids, lengths, targets) into scratch as i32; returns the pointer. */
  ints(data: ArrayLike<number>): Ptr {
    const ptr = this.kernels.alloc(data.length * 4);
    this.kernels.i32(ptr, data.length).set(data);
    return ptr;
  }

  /** A copy of a tensor's values as a JavaScript array (for tests, decoding and logging). */
  read(t: Tensor): Float32Array {
    return this.kernels.f32(t.ptr, t.size).slice();
  }

  /** The gradient buffer of `t`, allocated and zeroed on first use. */
  grad(t: Tensor): Ptr {
    if (t.grad === 0) {
      t.grad = this.kernels.alloc(t.size * 4);
      this.kernels.fill(t.grad, t.size, 0);
    }
    return t.grad;
  }

  /**
   * Register an op's output. If recording and any input needs a gradient, the output needs one too and
   * `backward` is pushed on the tape. Returns `output` for chaining.
   */
  record(output: Tensor, inputs: readonly Tensor[], backward: () => void): Tensor {
    if (this.recording && inputs.some((t) => t.requiresGrad)) {
      output.requiresGrad = true;
      this.tape.push(backward);
    }
    return output;
  }

  /** Reverse-mode sweep: d loss / d loss = seed (1 by default), then every recorded backward in reverse. */
  backward(loss: Tensor, seed = 1): void {
    if (loss.size !== 1) shapeError('backward', `loss must be a scalar, got shape ${shapeText(loss.shape)}`);
    if (!loss.requiresGrad) throw new Error('backward: the loss does not depend on anything that needs a gradient');
    this.kernels.fill(this.grad(loss), 1, seed);
    for (let i = this.tape.length - 1; i >= 0; i--) this.tape[i]();
    this.tape.length = 0;
  }
}
