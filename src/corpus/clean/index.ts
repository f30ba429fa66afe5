/** Corpus cleaning: rules over Documents and the report of what they changed. See README.md in this folder. */
export { cleanCorpus, DEFAULT_NEAR_DUPLICATE_THRESHOLD, type CleanOptions, type CleanResult } from './clean.js';
export { CLEAN_RULES, RULE_DESCRIPTIONS, isCleanRule, parseRuleList, type CleanRule } from './rules.js';
export { type CleanChange, type CleanReport } from './report.js';
export { type TextMismatch } from './text-mismatch.js';
export { DEFAULT_ARGUMENT_TYPE_OPTIONS, type ArgumentTypeOptions } from './relations.js';
export { trimFragment } from './spans.js';
export { jaccard, shingles } from './similarity.js';
