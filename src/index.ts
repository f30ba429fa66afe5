/**
 * The public library surface of medrex. See README for examples.
 */
export * from './corpus/types.js';
export { MedrexError } from './errors.js';
