/**
 * Worker thread that runs one LSTM direction at a time: its own instance of the kernel module over the shared
 * memory, a private GEMM scratch buffer (allocated by the main thread), blocking on the control block.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateKernels } from '../kernels/wasm.js';
import { runLstmBackward, runLstmForward, type LstmKernels } from '../ops/lstm.js';
import { DONE, FAILED, OK, OP, OP_BACKWARD, OP_EXIT, OP_FORWARD, REQUEST, STATUS, readDirection } from './protocol.js';

interface DirectionWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  direction: SharedArrayBuffer;
  gemmWork: number;
  nativeGemm: boolean;
}

const data = workerData as DirectionWorkerData;
const x = instantiateKernels(data.module, data.memory);
const control = new Int32Array(data.control);
const fields = new Float64Array(data.direction);
const wasmGemm: LstmKernels['gemm'] = (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
  if (m > 0 && n > 0) x.gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, data.gemmWork);
};
let gemm = wasmGemm;
if (data.nativeGemm) {
  const { loadNativeBlas, nativeGemm } = await import('../kernels/native-blas.js');
  const blas = loadNativeBlas();
  if (!blas) throw new Error('the calling thread multiplies with OpenBLAS, but the direction worker cannot load the addon');
  gemm = nativeGemm(blas, data.memory);
}
const kernels: LstmKernels = {
  gemm,
  addBiasRows: x.addBiasRows,
  sumRows: x.sumRows,
  copy: x.copy,
  axpy: x.axpy,
  fill: x.fill,
  lstmCellForward: x.lstmCellForward,
  lstmCellBackward: x.lstmCellBackward,
};

// Count from 0, not from the current REQUEST: a request posted while this module was still loading must not be
// mistaken for one already handled. Atomics.wait returns at once when REQUEST already differs from `handled`.
let handled = 0;
parentPort?.postMessage({ ready: true });
for (;;) {
  Atomics.wait(control, REQUEST, handled);
  const seen = Atomics.load(control, REQUEST);
  if (seen === handled) continue; // spurious wake-up
  handled = seen;
  const op = Atomics.load(control, OP);
  if (op === OP_EXIT) break;
  try {
    const direction = readDirection(fields);
    if (op === OP_FORWARD) runLstmForward(kernels, direction);
    if (op === OP_BACKWARD) runLstmBackward(kernels, direction);
    Atomics.store(control, STATUS, OK);
  } catch (error) {
    Atomics.store(control, STATUS, FAILED);
    parentPort?.postMessage({ error: String(error) });
  }
  Atomics.store(control, DONE, seen);
  Atomics.notify(control, DONE);
}
Atomics.store(control, DONE, handled);
Atomics.notify(control, DONE);
