/**
 * `cleanCorpus`: applies the enabled rules, in the order of CLEAN_RULES, to a copy of the documents and returns
 * the cleaned copy with a report of every change. Pure: no files, and the input documents are never modified.
 */
import { MedrexError } from '../../errors.js';
import type { Document } from '../types.js';
import {
  dropEmptyDocuments,
  dropExactDuplicates,
  dropNearDuplicates,
  dropTrainTestLeaks,
} from './documents.js';
import { cloneDocument } from './edit.js';
import { mergeDuplicateEntities } from './entities.js';
import { LossTracker } from './loss.js';
import {
  DEFAULT_ARGUMENT_TYPE_OPTIONS,
  dropDanglingRelations,
  dropDuplicateRelations,
  dropMistypedRelations,
  type ArgumentTypeOptions,
} from './relations.js';
import { ChangeLog, totalsByRule, type CleanReport } from './report.js';
import { CLEAN_RULES, type CleanRule } from './rules.js';
import { dropZeroLengthFragments, trimSpans } from './spans.js';
import { applyTextMismatches, type TextMismatch } from './text-mismatch.js';

/** 0.9: texts that share 90% of their 3-word shingles are copies with small edits (dates, a changed dose). */
export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.9;

export interface CleanOptions {
  /** Rules to switch off; all others run. */
  disabled?: Iterable<CleanRule>;
  /** Jaccard threshold in (0, 1] for near duplicates and near-duplicate leaks. */
  nearDuplicateThreshold?: number;
  argumentTypes?: ArgumentTypeOptions;
  /** Text-field disagreements found by the lenient reader (see TextMismatch). */
  textMismatches?: readonly TextMismatch[];
}

export interface CleanResult {
  documents: Document[];
  report: CleanReport;
}

export function cleanCorpus(input: readonly Document[], options: CleanOptions = {}): CleanResult {
  const threshold = options.nearDuplicateThreshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new MedrexError(`near-duplicate threshold must be in (0, 1], got ${threshold}`, {
      rule: 'clean-bad-threshold',
    });
  }
  const disabled = new Set(options.disabled ?? []);
  const on = (rule: CleanRule): boolean => !disabled.has(rule);
  const log = new ChangeLog();

  let docs = input.map(cloneDocument);
  const loss = new LossTracker(docs);
  applyTextMismatches(docs, options.textMismatches ?? [], on('text-mismatch'), log);
  if (on('empty-documents')) docs = loss.around('empty-documents', docs, () => dropEmptyDocuments(docs, log));
  if (on('train-test-leak')) docs = loss.around('train-test-leak', docs, () => dropTrainTestLeaks(docs, threshold, log));
  if (on('exact-duplicate-documents')) docs = loss.around('exact-duplicate-documents', docs, () => dropExactDuplicates(docs, log));
  if (on('near-duplicate-documents')) {
    docs = loss.around('near-duplicate-documents', docs, () => dropNearDuplicates(docs, threshold, log));
  }
  for (const doc of docs) {
    const one = [doc];
    if (on('trim-spans')) loss.around('trim-spans', one, () => trimSpans(doc, log));
    if (on('zero-length-entities')) loss.around('zero-length-entities', one, () => dropZeroLengthFragments(doc, log));
    if (on('duplicate-entities')) loss.around('duplicate-entities', one, () => mergeDuplicateEntities(doc, log));
    if (on('dangling-relations')) loss.around('dangling-relations', one, () => dropDanglingRelations(doc, log));
  }
  // Corpus-wide: the argument-type profile is learned from all documents at once.
  if (on('relation-argument-types')) {
    loss.around('relation-argument-types', docs, () =>
      dropMistypedRelations(docs, log, options.argumentTypes ?? DEFAULT_ARGUMENT_TYPE_OPTIONS),
    );
  }
  if (on('duplicate-relations')) {
    for (const doc of docs) loss.around('duplicate-relations', [doc], () => dropDuplicateRelations(doc, log));
  }

  return {
    documents: docs,
    report: {
      documentsIn: input.length,
      documentsOut: docs.length,
      loss: loss.result(docs),
      disabled: CLEAN_RULES.filter((r) => disabled.has(r)),
      nearDuplicateThreshold: threshold,
      totals: totalsByRule(log.changes, CLEAN_RULES),
      changes: log.changes,
    },
  };
}
