/**
 * What the main thread and a direction worker share: a control word block (Int32Array, for Atomics) and the
 * fields of one `LstmDirection` (Float64Array: sizes and byte pointers are plain numbers, all exact in f64).
 * The main thread writes the direction and the operation, bumps REQUEST and notifies; the worker runs it and
 * publishes the same sequence number in DONE (with STATUS = FAILED and the message posted if it threw).
 */
import type { LstmDirection } from '../ops/lstm.js';

export const REQUEST = 0;
export const DONE = 1;
export const OP = 2;
export const STATUS = 3;
export const CONTROL_WORDS = 4;

export const OP_FORWARD = 1;
export const OP_BACKWARD = 2;
export const OP_EXIT = 3;
export const OK = 0;
export const FAILED = 1;

/** Every numeric field of LstmDirection, in a fixed order (`reverse` is stored as 0/1). */
const FIELDS = [
  'reverse', 'steps', 'batch', 'input', 'hidden', 'x', 'wIh', 'wHh', 'bias', 'mask', 'zeros', 'gates', 'cells',
  'tanhC', 'out', 'dOut', 'dX', 'dWIh', 'dWHh', 'dBias', 'dGates', 'scratch',
] as const satisfies readonly (keyof LstmDirection)[];
export const DIRECTION_WORDS = FIELDS.length;

export function writeDirection(view: Float64Array, d: LstmDirection): void {
  FIELDS.forEach((name, i) => (view[i] = name === 'reverse' ? (d.reverse ? 1 : 0) : d[name]));
}

export function readDirection(view: Float64Array): LstmDirection {
  const d = {} as Record<(typeof FIELDS)[number], number>;
  FIELDS.forEach((name, i) => (d[name] = view[i]));
  return { ...d, reverse: d.reverse === 1 };
}
