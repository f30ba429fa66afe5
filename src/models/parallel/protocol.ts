/**
 * Messages between the main thread and a data-parallel training worker (see shard-pool.ts).
 *
 * Start-up goes through `workerData` and the worker's parent port; each step goes through a dedicated
 * MessageChannel, which the main thread reads synchronously (`receiveMessageOnPort`) after waiting on a shared
 * "done" counter, because its training loop is synchronous.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ParameterLayout } from '../../engine/params.js';
import type { ModelConfig } from '../config.js';
import type { TrainingDocument } from '../examples.js';
import type { NetworkSizes } from '../network.js';
import type { BatchKey, BatchShard, BatchTotals, ShardLosses } from '../shards.js';

export interface ShardWorkerData {
  /** Index of this worker (it bumps `done[index]`). */
  index: number;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The part of the shared memory this worker's arena may use: [base, limit). */
  region: { base: number; limit: number };
  config: ModelConfig;
  sizes: NetworkSizes;
  /** The main thread's parameters (values are shared; the worker makes gradient buffers of its own). */
  parameters: ParameterLayout[];
  documents: TrainingDocument[];
  /** Int32Array over a SharedArrayBuffer: one counter per worker, bumped after each reply. */
  done: SharedArrayBuffer;
  port: MessagePort;
}

/** Sent once the worker is ready: where its gradients are. */
export interface ReadyMessage {
  ready: true;
  gradients: ParameterLayout[];
}

export interface StartupFailure {
  error: string;
}

export interface ShardRequest {
  shard: BatchShard;
  totals: BatchTotals;
  key: BatchKey;
}

export type ShardReply = { ok: true; losses: ShardLosses; peakBytes: number } | { ok: false; error: string };
