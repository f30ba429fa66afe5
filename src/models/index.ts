/**
 * Models and training: the public surface of src/models (see README.md in this folder).
 */
export { defaultConfig, loadConfigFile, parseConfig, MODEL_KINDS, SHARING_LEVELS } from './config.js';
export type { ModelConfig, ModelConfigInput, ModelKind, Sharing } from './config.js';
export { createModel, loadModel, saveModel, CARD_FILE, WEIGHTS_FILE } from './model.js';
export type { EpochRecord, Model, TrainingRecord, TrainingSummary } from './model.js';
export { predictDocuments, predictEntities, predictRelations, type PredictOptions } from './predict.js';
export { describeEpoch, train, type TrainOptions, type TrainResult } from './train.js';
export { splitDev } from './split.js';
export { strictScores, type ExtractionScores, type F1 } from './metrics.js';
