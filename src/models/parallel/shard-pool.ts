/**
 * Data-parallel training on worker threads: `threads - 1` workers, each with its own kernel instance over the
 * main thread's shared WebAssembly memory, plus the main thread itself. A batch is cut into one shard per thread
 * (shards.ts); shard 0 runs here while shards 1.. run on the workers; then the workers' gradients are added to
 * the main thread's in shard order, and the optimiser steps once. The weights are shared memory, so nothing is
 * copied to the workers between steps, and the gradients are read where the workers wrote them.
 *
 * Node only: the worker is `shard-worker.js` next to this file, so this runs from the compiled `dist/`.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Kernels } from '../../engine/kernels/types.js';
import type { WasmKernels } from '../../engine/kernels/wasm.js';
import type { Parameter, ParameterLayout } from '../../engine/params.js';
import type { TrainingDocument } from '../examples.js';
import type { ExtractionNetwork } from '../network.js';
import type { BatchKey, BatchShard, BatchTotals, ShardLosses } from '../shards.js';
import type { ReadyMessage, ShardReply, ShardRequest, ShardWorkerData, StartupFailure } from './protocol.js';

/** Scratch each worker may use for one shard's activations (virtual until touched). */
export const DEFAULT_REGION_BYTES = 256 * 2 ** 20;

export interface ShardPoolOptions {
  /** Bytes of the shared memory reserved for each worker's arena. */
  regionBytes?: number;
  /** A worker silent this long is taken as gone: an error beats a hang. */
  timeoutMs?: number;
}

export interface ShardPool {
  /** Threads in all, the main thread included: batches are cut into this many shards. */
  readonly threads: number;
  /**
   * Runs shards[1..] on the workers and `local()` (shard 0) here, at the same time; returns every shard's
   * losses in shard order. Afterwards the gradients of shards 1.. are in the workers' buffers: call `addGradients`.
   */
  run(shards: readonly BatchShard[], totals: BatchTotals, key: BatchKey, local: () => ShardLosses): ShardLosses[];
  /** grad += worker gradients of shards 1..shards-1 (in shard order) for each of `parameters`. */
  addGradients(parameters: readonly Parameter[], shards: number): void;
  /** Largest arena use of any worker so far, in bytes. */
  workerPeakBytes(): number;
  close(): Promise<void>;
}

interface WorkerHandle {
  worker: Worker;
  port: MessagePort;
  gradients: Map<string, number>;
  sent: number;
}

/** Whether these kernels can be shared with workers (WebAssembly over a shared memory). */
export function isShareable(kernels: Kernels): kernels is WasmKernels {
  return 'module' in kernels && kernels.memory.buffer instanceof SharedArrayBuffer;
}

/**
 * Start `threads - 1` workers for `network` (whose kernels must be shareable WebAssembly kernels). Reserve their
 * memory regions now, before the training step's arena mark is taken.
 */
export async function createShardPool(
  network: ExtractionNetwork,
  documents: readonly TrainingDocument[],
  threads: number,
  options: ShardPoolOptions = {},
): Promise<ShardPool> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${threads}`);
  const kernels = network.kernels;
  if (threads > 1 && !isShareable(kernels)) {
    throw new Error(`training on ${threads} threads needs the WebAssembly kernels over a shared memory, not ${kernels.name}`);
  }
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const regionBytes = options.regionBytes ?? DEFAULT_REGION_BYTES;
  const done = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads - 1)));
  // Only what a shard needs crosses to the workers (no document text).
  const slim: TrainingDocument[] = documents.map((d) => ({ sentences: d.sentences, tags: d.tags, mentions: d.mentions, pairs: d.pairs }));
  const handles: WorkerHandle[] = [];
  const peaks = new Array<number>(Math.max(0, threads - 1)).fill(0);
  try {
    for (let index = 0; index < threads - 1; index++) {
      const wasm = kernels as WasmKernels;
      const base = wasm.alloc(regionBytes);
      const { port1, port2 } = new MessageChannel();
      const data: ShardWorkerData = {
        index,
        module: wasm.module,
        memory: wasm.memory,
        region: { base, limit: base + regionBytes },
        config: network.config,
        sizes: network.sizes,
        parameters: network.params.layout(),
        documents: slim,
        done: done.buffer as SharedArrayBuffer,
        port: port2,
      };
      const worker = new Worker(new URL('./shard-worker.js', import.meta.url), { workerData: data, transferList: [port2] });
      const ready = await new Promise<ReadyMessage>((resolve, reject) => {
        worker.once('message', (message: ReadyMessage | StartupFailure) => {
          if ('error' in message) reject(new Error(`training worker ${index + 1} failed to start: ${message.error}`));
          else resolve(message);
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`training worker ${index + 1} exited with code ${code} before it was ready`)));
      });
      worker.removeAllListeners('exit');
      handles.push({ worker, port: port1, gradients: new Map(ready.gradients.map((l: ParameterLayout) => [l.name, l.grad])), sent: 0 });
    }
  } catch (error) {
    await Promise.all(handles.map((h) => h.worker.terminate()));
    throw error;
  }

  const receive = (i: number): ShardReply => {
    const h = handles[i];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(done, i);
      if (seen >= h.sent) {
        const message = receiveMessageOnPort(h.port);
        if (message) return message.message as ShardReply;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`training worker ${i + 1} did not answer within ${timeoutMs} ms`);
      // Wake on the worker's notify; the short cap only matters if the reply is still in flight on the port.
      Atomics.wait(done, i, seen, Math.min(left, seen >= h.sent ? 1 : left));
    }
  };

  return {
    threads,
    run(shards, totals, key, local) {
      if (shards.length > threads) throw new Error(`${shards.length} shards for ${threads} threads`);
      for (let s = 1; s < shards.length; s++) {
        const request: ShardRequest = { shard: shards[s], totals, key };
        handles[s - 1].sent++;
        handles[s - 1].port.postMessage(request);
      }
      let localLosses: ShardLosses | undefined;
      let localError: unknown;
      try {
        localLosses = local();
      } catch (error) {
        localError = error; // still collect the workers' replies, so the next step does not read stale ones
      }
      const results: ShardLosses[] = [];
      const failures: string[] = [];
      for (let s = 1; s < shards.length; s++) {
        const reply = receive(s - 1);
        if (reply.ok) {
          results.push(reply.losses);
          peaks[s - 1] = Math.max(peaks[s - 1], reply.peakBytes);
        } else {
          failures.push(`shard ${s}: ${reply.error}`);
        }
      }
      if (localError !== undefined) throw localError;
      if (failures.length > 0) throw new Error(`data-parallel training failed on a worker: ${failures.join('; ')}`);
      return [localLosses!, ...results];
    },
    addGradients(parameters, shards) {
      for (let s = 1; s < shards; s++) {
        const grads = handles[s - 1].gradients;
        for (const p of parameters) kernels.axpy(p.size, 1, grads.get(p.name)!, p.grad);
      }
    },
    workerPeakBytes: () => Math.max(0, ...peaks),
    async close() {
      for (const h of handles) h.port.close();
      await Promise.all(handles.map((h) => h.worker.terminate()));
    },
  };
}
