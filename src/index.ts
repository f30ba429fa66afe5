/**
 * The public library surface of medrex. See README for examples.
 */
export * from './corpus/types.js';
export { MedrexError } from './errors.js';
export { loadModel, modelFromFiles } from './api/index.js';
export type {
  Extraction, ExtractedEntity, ExtractedRelation, LoadModelOptions, MedrexModel, ModelCard, ModelFiles, Span,
} from './api/index.js';
