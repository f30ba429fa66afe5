/**
 * Worker thread running one LSTM direction: its own instance of the kernel module over the shared memory, a
 * private GEMM scratch region, and a blocking loop on the control block (see direction-protocol.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateKernels } from '../engine/kernels/wasm.js';
import { DONE, OP_BACKWARD, OP_EXIT, OP_FORWARD, readRequest, REQUEST } from './direction-protocol.js';
import { directionBackward, directionForward, type DirectionKernels } from './lstm-direction.js';

interface DirectionWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  gemmWork: number;
}

const data = workerData as DirectionWorkerData;
const x = instantiateKernels(data.module, data.memory);
const ctrl = new Int32Array(data.control);
const kernels: DirectionKernels = {
  gemm: (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
    x.gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, data.gemmWork),
  lstmCellForward: x.lstmCellForward,
  lstmCellBackward: x.lstmCellBackward,
  fill: x.fill,
  addBiasRows: x.addBiasRows,
  sumRows: x.sumRows,
};

// Count from 0, not from the block's current REQUEST: a request posted while this module was still loading must
// not be mistaken for one already handled (Atomics.wait returns at once when REQUEST already differs). "ready"
// tells the main thread that the kernels exist; it posts nothing before that.
let handled = 0;
parentPort?.postMessage({ ready: true });
for (;;) {
  Atomics.wait(ctrl, REQUEST, handled);
  const seen = Atomics.load(ctrl, REQUEST);
  if (seen === handled) continue; // spurious wake-up: nothing new
  handled = seen;
  const request = readRequest(ctrl);
  if (request.op === OP_EXIT) break;
  if (request.op === OP_FORWARD) directionForward(kernels, request.shape, request.dir, request.x);
  if (request.op === OP_BACKWARD) directionBackward(kernels, request.shape, request.dir, request.x, request.dX, 0);
  Atomics.store(ctrl, DONE, handled);
  Atomics.notify(ctrl, DONE);
}
Atomics.store(ctrl, DONE, handled);
Atomics.notify(ctrl, DONE);
