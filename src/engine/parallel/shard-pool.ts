/**
 * Data parallelism over worker threads that share the main thread's WebAssembly memory.
 *
 * `threads - 1` workers each run their own instance of the kernel module over the SAME shared memory, allocating
 * only inside a region reserved for them here. A worker loads a "shard task" module (`taskUrl`, exporting
 * `createShardTask`, see shard-task.ts): typically the same network as the main thread's, attached to the main
 * thread's weights (shared, never copied) with gradient buffers of its own. For each step the main thread sends
 * one request per worker, runs its own shard meanwhile, waits for the replies, and adds the workers' gradients
 * to its own in worker order: one fixed order, so a fixed thread count is exactly reproducible.
 *
 * The main thread's training loop is synchronous, so it blocks in `Atomics.wait` on a shared "done" counter per
 * worker and then reads the reply with `receiveMessageOnPort` (Node allows both on the main thread).
 *
 * Node only: the worker entry is `shard-worker.js` next to this file, so this runs from the compiled `dist/`.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Kernels } from '../kernels/types.js';
import type { WasmKernels } from '../kernels/wasm.js';
import type { Parameter } from '../params.js';
import { WORKER_GONE, type ReadyMessage, type ShardWorkerData, type StartupFailure, type TaskReply } from './shard-protocol.js';

/** Scratch each worker may use for one shard's activations (virtual memory until touched). */
export const DEFAULT_REGION_BYTES = 256 * 2 ** 20;

export interface ShardPoolOptions<Init> {
  /** The module the workers load (it exports `createShardTask`). */
  taskUrl: URL;
  /** What each worker's task is created from (structured-cloned to the worker once). */
  init: Init;
  /** Bytes of the shared memory reserved for each worker's arena. */
  regionBytes?: number;
  /** A worker silent this long is taken as gone: an error beats a hang. */
  timeoutMs?: number;
}

export interface ShardPool<Request, Result> {
  /** Threads in all, the main thread included. */
  readonly threads: number;
  /**
   * Sends requests[i] to worker i (fewer requests than workers leave the rest idle), runs `local()` here at the
   * same time, waits for the workers, and returns their results in order. A failure anywhere throws, after every
   * reply has been collected (so the next step never reads a stale one).
   */
  run<Local>(requests: readonly Request[], local: () => Local): { local: Local; results: Result[] };
  /** grad += the gradients of workers 0..workers-1 (in that order) for each of `parameters`. */
  addGradients(parameters: readonly Parameter[], workers: number): void;
  /** Largest arena use of any worker so far, in bytes. */
  workerPeakBytes(): number;
  /** Each worker's kernels, as it reported them (they must multiply as the caller's do). */
  readonly workerKernels: readonly string[];
  close(): Promise<void>;
}

interface WorkerHandle {
  worker: Worker;
  kernels: string;
  port: MessagePort;
  gradients: Map<string, number>;
  sent: number;
  peakBytes: number;
}

/** Whether these kernels can be shared with workers (WebAssembly over a shared memory). */
export function isShareable(kernels: Kernels): kernels is WasmKernels {
  return 'module' in kernels && kernels.memory.buffer instanceof SharedArrayBuffer;
}

/** Start `threads - 1` workers. Call before the training step's arena mark: their regions are reserved now. */
export async function createShardPool<Init, Request, Result>(
  kernels: Kernels,
  threads: number,
  options: ShardPoolOptions<Init>,
): Promise<ShardPool<Request, Result>> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${threads}`);
  if (threads > 1 && !isShareable(kernels)) {
    throw new Error(`training on ${threads} threads needs the WebAssembly kernels over a shared memory, not ${kernels.name}`);
  }
  // A dead worker is noticed at once (WORKER_GONE); this only bounds a worker that hangs.
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const regionBytes = options.regionBytes ?? DEFAULT_REGION_BYTES;
  const done = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads - 1)));
  const handles: WorkerHandle[] = [];
  try {
    for (let index = 0; index < threads - 1; index++) {
      const wasm = kernels as WasmKernels;
      let base: number;
      try {
        base = wasm.alloc(regionBytes);
      } catch (cause) {
        throw new Error(
          `cannot reserve ${regionBytes / 2 ** 20} MiB of engine memory for worker ${index + 1} of ${threads - 1}: ` +
            'use fewer threads', { cause },
        );
      }
      const { port1, port2 } = new MessageChannel();
      const data: ShardWorkerData<Init> = {
        index,
        module: wasm.module,
        memory: wasm.memory,
        region: { base, limit: base + regionBytes },
        nativeGemm: wasm.nativeGemm === true,
        taskUrl: options.taskUrl.href,
        init: options.init,
        done: done.buffer as SharedArrayBuffer,
        port: port2,
      };
      const worker = new Worker(new URL('./shard-worker.js', import.meta.url), { workerData: data, transferList: [port2] });
      const ready = await new Promise<ReadyMessage>((resolve, reject) => {
        worker.once('message', (message: ReadyMessage | StartupFailure) => {
          if ('error' in message) reject(new Error(`worker ${index + 1} failed to start: ${message.error}`));
          else resolve(message);
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`worker ${index + 1} exited with code ${code} before it was ready`)));
      });
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      worker.on('error', () => {}); // reported through the reply's timeout; never an uncaught 'error' event
      handles.push({
        worker, kernels: ready.kernels, port: port1, gradients: new Map(ready.gradients.map((l) => [l.name, l.grad])), sent: 0, peakBytes: 0,
      });
    }
  } catch (error) {
    await Promise.all(handles.map((h) => h.worker.terminate()));
    throw error;
  }

  const receive = (i: number): TaskReply<Result> => {
    const h = handles[i];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(done, i);
      if (seen === WORKER_GONE) throw new Error(`worker ${i + 1} stopped before answering (it crashed or exited)`);
      if (seen >= h.sent) {
        const message = receiveMessageOnPort(h.port);
        if (message) return message.message as TaskReply<Result>;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`worker ${i + 1} did not answer within ${timeoutMs} ms`);
      // Sleep until the worker bumps its counter (waiting on the value just read: no lost wake-up); once it
      // has, the reply may still be in flight on the port, so poll briefly.
      Atomics.wait(done, i, seen, seen >= h.sent ? 1 : left);
    }
  };

  return {
    threads,
    run(requests, local) {
      if (requests.length > handles.length) throw new Error(`${requests.length} requests for ${handles.length} workers`);
      requests.forEach((request, i) => {
        handles[i].sent++;
        handles[i].port.postMessage(request);
      });
      let localResult: ReturnType<typeof local> | undefined;
      let localError: unknown;
      try {
        localResult = local();
      } catch (error) {
        localError = error;
      }
      const results: Result[] = [];
      const failures: string[] = [];
      for (let i = 0; i < requests.length; i++) {
        const reply = receive(i);
        if (reply.ok) {
          results.push(reply.result);
          handles[i].peakBytes = Math.max(handles[i].peakBytes, reply.peakBytes);
        } else {
          failures.push(`worker ${i + 1}: ${reply.error}`);
        }
      }
      if (localError !== undefined) throw localError;
      if (failures.length > 0) throw new Error(`data-parallel step failed: ${failures.join('; ')}`);
      return { local: localResult!, results };
    },
    addGradients(parameters, workers) {
      for (let i = 0; i < workers; i++) {
        const grads = handles[i].gradients;
        for (const p of parameters) {
          const grad = grads.get(p.name);
          if (grad === undefined) throw new Error(`worker ${i + 1} has no gradient for ${p.name}`);
          kernels.axpy(p.size, 1, grad, p.grad);
        }
      }
    },
    workerPeakBytes: () => Math.max(0, ...handles.map((h) => h.peakBytes)),
    workerKernels: handles.map((h) => h.kernels),
    async close() {
      for (const h of handles) h.port.close();
      await Promise.all(handles.map((h) => h.worker.terminate()));
    },
  };
}
