/**
 * Runs the two LSTM directions on two threads: the backward-in-time direction on a worker (its own instance of
 * the kernel module over the same shared memory), the forward one on the calling thread. The directions are
 * independent until their outputs meet, so there is no gradient reduction, only one extra dX buffer summed at
 * the end of backward. The calling thread blocks in Atomics.wait for the worker (allowed in Node's main thread).
 */
import { Worker } from 'node:worker_threads';
import type { WasmKernels } from '../engine/kernels/wasm.js';
import { CONTROL_WORDS, DONE, OP_BACKWARD, OP_EXIT, OP_FORWARD, REQUEST, writeRequest } from './direction-protocol.js';
import { directionBackward, directionForward, type LstmShape } from './lstm-direction.js';
import type { DirectionRunner } from './tagger-step.js';

export interface ThreadedRunnerPool {
  runner(shape: LstmShape): DirectionRunner;
  close(): Promise<void>;
}

export async function createThreadedRunner(kernels: WasmKernels, threads: number): Promise<ThreadedRunnerPool> {
  if (threads !== 2) throw new RangeError(`the direction-parallel runner uses exactly 2 threads, not ${threads}`);
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const ctrl = new Int32Array(control);
  const gemmWork = kernels.alloc(kernels.gemmScratchBytes);
  const worker = new Worker(new URL('./direction-worker.js', import.meta.url), {
    workerData: { module: kernels.module, memory: kernels.memory, control, gemmWork },
  });
  // Wait for the worker's "ready" (its kernels exist and it counts requests from 0), not just 'online'; a worker
  // that dies while loading rejects here instead of leaving the first request waiting forever.
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: { ready?: boolean }) => {
      if (message.ready) resolve();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`direction worker exited with code ${code} before it was ready`)));
  });
  let seq = 0;

  /** Posts a request to the worker, runs `local` here, then waits until the worker is done. */
  const inParallel = (request: Parameters<typeof writeRequest>[1], local: () => void): void => {
    writeRequest(ctrl, request);
    seq += 1;
    Atomics.store(ctrl, REQUEST, seq);
    Atomics.notify(ctrl, REQUEST);
    local();
    // Wait on the value just checked (re-reading it for the wait could miss the worker's answer: a lost wake-up).
    for (let done = Atomics.load(ctrl, DONE); done !== seq; done = Atomics.load(ctrl, DONE)) Atomics.wait(ctrl, DONE, done);
  };

  return {
    runner(shape: LstmShape): DirectionRunner {
      const n = shape.steps * shape.batch * shape.input;
      const dXWorker = kernels.alloc(n * 4);
      return {
        forward(dirs, x) {
          inParallel({ op: OP_FORWARD, x, dX: 0, shape, dir: dirs[1] }, () => directionForward(kernels, shape, dirs[0], x));
        },
        backward(dirs, x, dX) {
          inParallel({ op: OP_BACKWARD, x, dX: dXWorker, shape, dir: dirs[1] },
            () => directionBackward(kernels, shape, dirs[0], x, dX, 0));
          kernels.axpy(n, 1, dXWorker, dX);
        },
      };
    },
    async close() {
      writeRequest(ctrl, { op: OP_EXIT, x: 0, dX: 0 });
      seq += 1;
      Atomics.store(ctrl, REQUEST, seq);
      Atomics.notify(ctrl, REQUEST);
      await worker.terminate();
    },
  };
}
