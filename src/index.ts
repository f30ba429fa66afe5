/**
 * The public library surface of medrex, and the only module that re-exports (see README for examples). Inside
 * src/, modules import each other directly; there are no per-folder barrels (eslint/boundaries.js checks both).
 */
export * from './corpus/types.js';
export { MedrexError } from './errors.js';
export { loadModel, type LoadModelOptions } from './api/load.js';
export { modelFromFiles, type ModelFiles } from './api/from-files.js';
export type { Extraction, ExtractedEntity, ExtractedRelation, MedrexModel, ModelCard, Span } from './api/types.js';
