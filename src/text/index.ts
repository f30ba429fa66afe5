/**
 * Clinical text processing: tokens and sentences with offsets, entities placed on them, BIO, relation candidates
 * and corpus statistics. See README.md in this folder for the heuristics and policies.
 */
export * from './tokenize.js';
export * from './sentences.js';
export * from './spans.js';
export * from './fragments.js';
export * from './prepare.js';
export * from './bio.js';
export * from './bioLoss.js';
export * from './candidates.js';
export * from './stats.js';
