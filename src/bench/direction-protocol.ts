/**
 * The control block shared by the main thread and a direction worker: a small Int32Array in a
 * SharedArrayBuffer. The main thread writes a request (shape, direction pointers, operation) and bumps
 * REQUEST; the worker, blocked in Atomics.wait on REQUEST, runs it and publishes the same number in DONE.
 */
import type { DirectionBuffers, LstmShape } from './lstm-direction.js';

export const REQUEST = 0;
export const DONE = 1;
const OP = 2;
const X = 3;
const DX = 4;
const SHAPE = 5; // 4 words
const DIR = 9; // reverse flag + 14 pointers
export const CONTROL_WORDS = 32;

export const OP_FORWARD = 1;
export const OP_BACKWARD = 2;
export const OP_EXIT = 3;

const POINTERS = ['wIh', 'wHh', 'bias', 'dWIh', 'dWHh', 'dBias', 'gates', 'dGates', 'hs', 'cs', 'tanhC', 'dHs', 'dc', 'dhPrev'] as const;

export interface DirectionRequest {
  op: number;
  x: number;
  dX: number;
  shape: LstmShape;
  dir: DirectionBuffers;
}

export function writeRequest(ctrl: Int32Array, request: Omit<DirectionRequest, 'shape' | 'dir'> & Partial<DirectionRequest>): void {
  ctrl[OP] = request.op;
  ctrl[X] = request.x;
  ctrl[DX] = request.dX;
  if (request.shape) {
    ctrl[SHAPE] = request.shape.steps;
    ctrl[SHAPE + 1] = request.shape.batch;
    ctrl[SHAPE + 2] = request.shape.input;
    ctrl[SHAPE + 3] = request.shape.hidden;
  }
  if (request.dir) {
    ctrl[DIR] = request.dir.reverse ? 1 : 0;
    POINTERS.forEach((name, i) => (ctrl[DIR + 1 + i] = request.dir![name]));
  }
}

export function readRequest(ctrl: Int32Array): DirectionRequest {
  const shape: LstmShape = { steps: ctrl[SHAPE], batch: ctrl[SHAPE + 1], input: ctrl[SHAPE + 2], hidden: ctrl[SHAPE + 3] };
  const dir = { reverse: ctrl[DIR] === 1 } as DirectionBuffers;
  POINTERS.forEach((name, i) => (dir[name] = ctrl[DIR + 1 + i] >>> 0));
  return { op: ctrl[OP], x: ctrl[X] >>> 0, dX: ctrl[DX] >>> 0, shape, dir };
}
