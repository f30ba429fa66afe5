/**
 * Weights in memory: named float32 tensors copied out of a parameter store. No file system here, so the browser
 * loader can use it too; files are ./weights-io.ts.
 */
import type { ParameterStore } from '../engine/params.js';

/** Tensors by name (copies, independent of kernel memory). */
export type Weights = Map<string, { shape: number[]; data: Float32Array }>;

/** A copy of every parameter of a store. */
export function weightsOf(store: ParameterStore): Weights {
  return new Map(store.list().map((p) => [p.name, { shape: [...p.shape], data: store.values(p).slice() }]));
}
