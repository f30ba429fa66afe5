/**
 * Parameters: named tensors with a persistent gradient buffer, allocated once at the bottom of the arena.
 *
 * Create every parameter (and the optimiser, which allocates its moments) BEFORE taking the per-step mark;
 * anything allocated after the mark is wiped by `reset`. Names are stable identifiers ("encoder.lstm.fwd.wIh")
 * used by safetensors files, so a saved model can be loaded back by name whatever the creation order.
 */
import type { Kernels } from './kernels/types.js';
import { Tensor, sizeOf, shapeText, type Shape } from './tensor.js';

export class Parameter extends Tensor {
  constructor(readonly name: string, shape: Shape, ptr: number, grad: number) {
    super(shape, ptr, true, grad);
  }
}

/** Where a network gets its parameters from: a store that creates them, or one that hands out existing ones. */
export interface ParameterFactory {
  create(name: string, shape: Shape, init?: (values: Float32Array) => void): Parameter;
}

/** Where one parameter lives in memory: enough for another thread to use the same values. */
export interface ParameterLayout {
  name: string;
  shape: Shape;
  /** Byte offset of the values. */
  ptr: number;
  /** Byte offset of the gradient. */
  grad: number;
}

export class ParameterStore implements ParameterFactory {
  private readonly byName = new Map<string, Parameter>();
  private readonly ordered: Parameter[] = [];

  constructor(readonly kernels: Kernels) {}

  /**
   * Allocate a parameter (zeros) and its gradient (zeros); `init` fills the values.
   * @example store.create('tagger.out.w', [256, 19], (v) => xavierUniform(v, 256, 19, rng))
   */
  create(name: string, shape: Shape, init?: (values: Float32Array) => void): Parameter {
    if (this.byName.has(name)) throw new Error(`parameter ${name} already exists`);
    const n = sizeOf(shape);
    const k = this.kernels;
    const ptr = k.alloc(n * 4);
    const grad = k.alloc(n * 4);
    k.fill(ptr, n, 0);
    k.fill(grad, n, 0);
    const p = new Parameter(name, shape, ptr, grad);
    if (init) init(k.f32(ptr, n));
    this.byName.set(name, p);
    this.ordered.push(p);
    return p;
  }

  get(name: string): Parameter {
    const p = this.byName.get(name);
    if (!p) throw new Error(`no parameter named ${name}`);
    return p;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Parameters in creation order (the fixed order used for gradient sums and optimiser state). */
  list(): readonly Parameter[] {
    return this.ordered;
  }

  /** Total number of scalar parameters. */
  count(): number {
    return this.ordered.reduce((n, p) => n + p.size, 0);
  }

  /** A live view of the values (invalid after the memory grows: use it at once). */
  values(p: Parameter): Float32Array {
    return this.kernels.f32(p.ptr, p.size);
  }

  gradient(p: Parameter): Float32Array {
    return this.kernels.f32(p.grad, p.size);
  }

  /** Overwrite a parameter's values (e.g. from a checkpoint), checking the size. */
  set(name: string, data: ArrayLike<number>, shape?: Shape): void {
    const p = this.get(name);
    if (shape && (shape.length !== p.shape.length || shape.some((d, i) => d !== p.shape[i]))) {
      throw new Error(`parameter ${name} has shape ${shapeText(p.shape)}, got ${shapeText(shape)}`);
    }
    if (data.length !== p.size) throw new Error(`parameter ${name} has ${p.size} values, got ${data.length}`);
    this.values(p).set(data);
  }

  zeroGrads(): void {
    for (const p of this.ordered) this.kernels.fill(p.grad, p.size, 0);
  }

  /** Name, shape and pointers of every parameter, in creation order. */
  layout(): ParameterLayout[] {
    return this.ordered.map((p) => ({ name: p.name, shape: [...p.shape], ptr: p.ptr, grad: p.grad }));
  }

  /**
   * A store over parameters that already exist in `kernels.memory` (made by another thread, e.g. the main
   * thread's model seen from a data-parallel worker). The values are shared, not copied. With `ownGradients`, each
   * parameter gets a fresh zeroed gradient buffer from `kernels` (the worker's own); otherwise the layout's
   * gradient pointers are used (e.g. the main thread reading a worker's gradients).
   */
  static attach(kernels: Kernels, layout: readonly ParameterLayout[], ownGradients: boolean): ParameterStore {
    const store = new ParameterStore(kernels);
    for (const entry of layout) {
      const size = sizeOf(entry.shape);
      let grad = entry.grad;
      if (ownGradients) {
        grad = kernels.alloc(size * 4);
        kernels.fill(grad, size, 0);
      }
      const p = new Parameter(entry.name, entry.shape, entry.ptr, grad);
      store.byName.set(p.name, p);
      store.ordered.push(p);
    }
    return store;
  }

  /**
   * A factory that hands out this store's parameters instead of creating them, checking that each exists with
   * the shape asked for (so that a network built over an attached store is the very network it was taken from).
   * Initialisers are not run: the values are already there.
   */
  expecting(): ParameterFactory {
    return {
      create: (name, shape) => {
        const p = this.get(name);
        if (shape.length !== p.shape.length || shape.some((d, i) => d !== p.shape[i])) {
          throw new Error(`parameter ${name} has shape ${shapeText(p.shape)}, expected ${shapeText(shape)}`);
        }
        return p;
      },
    };
  }

  /**
   * The same parameter values with gradient buffers of its own, allocated (zeroed) from `kernels`, which must
   * work on this store's memory (e.g. a worker's kernel instance with its own arena region over a shared
   * memory). Data-parallel training runs each shard of a batch against a replica, then sums the replicas'
   * gradients with `addGradientsFrom` in shard order, so the result does not depend on the thread count.
   */
  replica(kernels: Kernels = this.kernels): ParameterStore {
    if (kernels.memory !== this.kernels.memory) throw new Error('a replica must use the same memory as its store');
    return ParameterStore.attach(kernels, this.layout(), true);
  }

  /** grad += other's grad for every parameter, in creation order (a fixed order keeps float sums reproducible). */
  addGradientsFrom(other: ParameterStore): void {
    for (const p of this.ordered) {
      const q = other.get(p.name);
      if (q.size !== p.size) throw new Error(`parameter ${p.name} differs in size between stores`);
      this.kernels.axpy(p.size, 1, q.grad, p.grad);
    }
  }
}
