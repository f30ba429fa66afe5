/** What the main thread and a data-parallel worker exchange (see shard-pool.ts and shard-worker.ts). */
import type { MessagePort } from 'node:worker_threads';
import type { ParameterLayout } from '../params.js';
import type { Kernels } from '../kernels/types.js';

export interface ShardWorkerData<Init> {
  /** Index of this worker (it bumps `done[index]` after each reply). */
  index: number;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The part of the shared memory this worker's arena may use: [base, limit). */
  region: { base: number; limit: number };
  /** Multiply with the native OpenBLAS addon, as the main thread does. */
  nativeGemm: boolean;
  /** URL of the task module. */
  taskUrl: string;
  init: Init;
  /** Int32Array over a SharedArrayBuffer: one counter per worker (WORKER_GONE once it has stopped). */
  done: SharedArrayBuffer;
  port: MessagePort;
}

/**
 * A task module exports `createShardTask(kernels, init)`: it builds what the worker runs (e.g. a network attached
 * to the main thread's weights) and returns where its gradients are and how to run one request. `run` must zero
 * the task's gradients itself before accumulating a new shard's.
 */
export interface ShardTask<Request, Result> {
  gradients: ParameterLayout[];
  run(request: Request): Result;
}

export type CreateShardTask<Init, Request, Result> = (kernels: Kernels, init: Init) => ShardTask<Request, Result>;

/** Written into a worker's `done` counter when its thread stops, so a blocked main thread wakes up at once. */
export const WORKER_GONE = -1;

export interface ReadyMessage {
  ready: true;
  gradients: ParameterLayout[];
  /** The worker's kernels (e.g. `wasm-simd-worker+openblas`): it must multiply the way the main thread does. */
  kernels: string;
}

export interface StartupFailure {
  error: string;
}

export type TaskReply<Result> = { ok: true; result: Result; peakBytes: number } | { ok: false; error: string };
