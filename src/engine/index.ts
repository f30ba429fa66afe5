/**
 * The engine's public surface: tensors and the tape, ops, parameters, optimisers, schedules, initialisers,
 * safetensors. It knows nothing of NLP. Kernels (the arithmetic) are behind `Kernels` in `kernels/types.ts`.
 */
export type { Kernels, Ptr } from './kernels/types.js';
export { Arena } from './kernels/arena.js';
export { createReferenceKernels } from './kernels/reference.js';

export { Graph, Tensor, sizeOf, shapeText, type GraphOptions, type Shape } from './tensor.js';
export { Rng } from './random.js';
export { Parameter, ParameterStore } from './params.js';

export { add, addBias, linear, matmul, mul, relu, reshape, scale, sigmoid, sum, tanh, weightedSum, type MatmulOptions } from './ops/basic.js';
export { concat, embedding, gatherRows, sliceLast, split, transpose01 } from './ops/shape.js';
export { rowsMean, spanMax, spanMean } from './ops/pool.js';
export { dropout } from './ops/dropout.js';
export { charCnn, windows, type CharCnnOptions, type CharCnnWeights } from './ops/conv.js';
export { softmax, softmaxCrossEntropy, type CrossEntropyResult } from './ops/loss.js';
export {
  biLstm, lstm, runLstmBackward, runLstmForward, sequentialRunner,
  type DirectionRunner, type LstmDirection, type LstmKernels, type LstmWeights,
} from './ops/lstm.js';
export { bioConstraints, crfDecode, crfNll, type CrfConstraints, type CrfNllOptions, type CrfWeights } from './ops/crf.js';

export { Adam, Sgd, clipGradNorm, type AdamOptions, type Optimizer, type OptimizerState, type SgdOptions } from './optim.js';
export { createSchedule, type Schedule, type ScheduleConfig } from './schedule.js';
export { lstmBias, normal, orthogonalBlocks, uniform, xavierUniform } from './init.js';
export {
  decodeSafetensors, encodeParameters, encodeSafetensors, loadParameters, readSafetensors, writeSafetensors,
  type NamedTensor, type SafetensorsContents,
} from './safetensors.js';
export { gradCheck, type GradCheckOptions, type GradCheckResult, type GradLeaf } from './gradcheck.js';
