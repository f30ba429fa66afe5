/**
 * The library API for using trained models: `loadModel(dir)` then `model.extract(text)`.
 */
export { loadModel, MODEL_FILES, type LoadModelOptions } from './load.js';
export { modelFromFiles, type ModelFiles } from './from-files.js';
export { SUPPORTED_FORMAT, SUPPORTED_FORMAT_VERSION } from './card.js';
export type { Extraction, ExtractedEntity, ExtractedRelation, MedrexModel, ModelCard, Span } from './types.js';
