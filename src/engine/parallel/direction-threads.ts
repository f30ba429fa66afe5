/**
 * "Two directions, two cores": a `DirectionRunner` for `biLstm` that runs the reverse direction on a worker
 * thread (its own instance of the WebAssembly kernels over the same shared memory) while the calling thread runs
 * the forward direction. The directions share only read-only inputs and write disjoint buffers (biLstm gives
 * each its own input-gradient buffer), so no locking is needed and the result is bit-identical to running them
 * one after the other. The calling thread blocks in `Atomics.wait`, which Node allows on its main thread.
 *
 * Node only: the worker is `direction-worker.js` next to this file, so this runs from the compiled `dist/`.
 */
import { Worker } from 'node:worker_threads';
import type { WasmKernels } from '../kernels/wasm.js';
import { runLstmBackward, runLstmForward, type DirectionRunner, type LstmDirection } from '../ops/lstm.js';
import {
  CONTROL_WORDS, DIRECTION_WORDS, DONE, FAILED, OP, OP_BACKWARD, OP_EXIT, OP_FORWARD, REQUEST, STATUS, writeDirection,
} from './protocol.js';

export interface DirectionThreads {
  readonly runner: DirectionRunner;
  /** Stop the worker (the runner must not be used afterwards). */
  close(): Promise<void>;
}

/**
 * Start the worker. `kernels` must run over a shared memory (the wasm kernels' default). Its GEMM scratch is
 * allocated here, once: create the threads before taking the per-step mark.
 */
export async function createDirectionThreads(
  kernels: WasmKernels, options: { timeoutMs?: number } = {},
): Promise<DirectionThreads> {
  // A direction takes milliseconds to seconds; a worker silent for this long is gone, and an error beats a hang.
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!(kernels.memory.buffer instanceof SharedArrayBuffer)) throw new Error('direction threads need kernels over a shared memory');
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const fields = new Float64Array(new SharedArrayBuffer(DIRECTION_WORDS * 8));
  const gemmWork = kernels.alloc(kernels.gemmScratchBytes);
  const worker = new Worker(new URL('./direction-worker.js', import.meta.url), {
    workerData: {
      module: kernels.module, memory: kernels.memory, control: control.buffer, direction: fields.buffer, gemmWork,
      nativeGemm: kernels.nativeGemm === true, // multiply as the calling thread does (OpenBLAS or WebAssembly)
    },
  });
  const failures: string[] = [];
  // Wait for the worker's own "ready" (posted once its kernels exist), not just 'online': a worker that fails
  // while loading must reject here rather than leave the first request waiting forever.
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: { ready?: boolean; error?: string }) => {
      if (message.ready) resolve();
      if (message.error) failures.push(message.error);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`direction worker exited with code ${code} before it was ready`)));
  });
  let sequence = 0;
  let closed = false;

  const post = (op: number): void => {
    Atomics.store(control, OP, op);
    sequence += 1;
    Atomics.store(control, REQUEST, sequence);
    Atomics.notify(control, REQUEST);
  };

  /** Run `remote` on the worker and `local` here, then wait for the worker. */
  const inParallel = (op: number, remote: LstmDirection, local: () => void): void => {
    if (closed) throw new Error('direction threads are closed');
    writeDirection(fields, remote);
    post(op);
    local();
    const deadline = Date.now() + timeoutMs;
    // Wait on the very value that was checked: re-reading DONE for the wait's expected value would let the worker's
    // answer slip in between the check and the wait, which then sleeps on the new value forever (a lost wake-up).
    for (let done = Atomics.load(control, DONE); done !== sequence; done = Atomics.load(control, DONE)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`LSTM direction worker did not answer request ${sequence} within ${timeoutMs} ms ` +
          `(request word ${Atomics.load(control, REQUEST)}, done word ${done})`);
      }
      Atomics.wait(control, DONE, done, left);
    }
    if (Atomics.load(control, STATUS) === FAILED) throw new Error(`LSTM direction worker failed ${failures.join('; ')}`);
  };

  /** Two directions go to two threads; any other count runs here (nothing to overlap). */
  const runner: DirectionRunner = {
    forward(directions) {
      if (directions.length !== 2) return directions.forEach((d) => runLstmForward(kernels, d));
      inParallel(OP_FORWARD, directions[1], () => runLstmForward(kernels, directions[0]));
    },
    backward(directions) {
      if (directions.length !== 2) return directions.forEach((d) => runLstmBackward(kernels, d));
      inParallel(OP_BACKWARD, directions[1], () => runLstmBackward(kernels, directions[0]));
    },
  };

  return {
    runner,
    async close() {
      if (closed) return;
      closed = true;
      post(OP_EXIT);
      await worker.terminate();
    },
  };
}
