/**
 * The entry of a data-parallel worker thread: its own instance of the kernel module over the main thread's shared
 * memory (allocating only in its region), then the task module it was given, then one reply per request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateKernels, wrapKernelExports } from '../kernels/wasm.js';
import { WORKER_GONE, type CreateShardTask, type ReadyMessage, type ShardWorkerData, type TaskReply } from './shard-protocol.js';

const data = workerData as ShardWorkerData<unknown>;
const done = new Int32Array(data.done);
// However this thread ends (an uncaught error, process.exit in a task, terminate), say so: the main thread may be
// blocked in Atomics.wait, where Node cannot deliver the worker's 'exit' event to it.
process.on('exit', () => {
  Atomics.store(done, data.index, WORKER_GONE);
  Atomics.notify(done, data.index);
});

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

try {
  let kernels = wrapKernelExports(instantiateKernels(data.module, data.memory), data.memory, 'wasm-simd-worker', data.module, data.region);
  if (data.nativeGemm) {
    const { loadNativeBlas, withNativeGemm } = await import('../kernels/native-blas.js');
    const blas = loadNativeBlas();
    if (!blas) throw new Error('the main thread multiplies with OpenBLAS, but this worker cannot load the addon');
    kernels = withNativeGemm(kernels, blas);
  }
  const { createShardTask } = (await import(data.taskUrl)) as { createShardTask: CreateShardTask<unknown, unknown, unknown> };
  const task = createShardTask(kernels, data.init);
  data.port.on('message', (request: unknown) => {
    let reply: TaskReply<unknown>;
    try {
      reply = { ok: true, result: task.run(request), peakBytes: kernels.peakBytes() };
    } catch (error) {
      reply = { ok: false, error: describe(error) };
    }
    // The reply is queued before the counter moves, so the main thread finds it once it sees the new count.
    data.port.postMessage(reply);
    Atomics.add(done, data.index, 1);
    Atomics.notify(done, data.index);
  });
  const ready: ReadyMessage = { ready: true, gradients: task.gradients, kernels: kernels.name };
  parentPort?.postMessage(ready);
} catch (error) {
  parentPort?.postMessage({ error: describe(error) });
}
