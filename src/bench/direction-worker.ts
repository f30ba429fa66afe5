/**
 * Worker thread running one LSTM direction: its own instance of the kernel module over the shared memory, a
 * private GEMM scratch region, and a blocking loop on the control block (see direction-protocol.ts).
 */
import { workerData } from 'node:worker_threads';
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

// Start from the block's initial 0, not its current value: a request posted before this line ran must not be lost.
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, REQUEST, seen);
  seen = Atomics.load(ctrl, REQUEST);
  const request = readRequest(ctrl);
  if (request.op === OP_EXIT) break;
  if (request.op === OP_FORWARD) directionForward(kernels, request.shape, request.dir, request.x);
  if (request.op === OP_BACKWARD) directionBackward(kernels, request.shape, request.dir, request.x, request.dX, 0);
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
Atomics.store(ctrl, DONE, seen);
Atomics.notify(ctrl, DONE);
