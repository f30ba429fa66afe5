// Entry point of the kernels module (build/kernels.wasm). Every export takes byte pointers into the imported
// shared memory; the module has no static data, so several instances (one per worker thread) can share it.
export { gemm, gemmScratchBytes } from './gemm';
export {
  fill, copy, axpy, mul, scale, sigmoid, tanh, exp, relu, sigmoidBackward, tanhBackward, reluBackward, sumSquares,
  addBiasRows, sumRows, gatherRows, scatterAddRows,
} from './elementwise';
export { lstmCellForward, lstmCellBackward } from './lstm';
export { softmaxCrossEntropy } from './softmax';
export { crfNll, crfViterbi, crfScratchBytes } from './crf';
export { adamStep } from './adam';

/** First byte after the module's own (empty) static data: where the engine arena may start. */
export function heapBase(): usize {
  return __heap_base;
}
