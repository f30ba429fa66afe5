/**
 * The cleaning rules by name. Every rule is on by default and can be turned off by name (`--disable`), so a study
 * can measure what each one changes. The order here is the order `cleanCorpus` applies them: document-level rules
 * first (so annotation fixes are not reported for documents that are dropped anyway), then span fixes, then the
 * entity and relation rules that depend on fixed spans.
 */
import { MedrexError } from '../../errors.js';

export const CLEAN_RULES = [
  'text-mismatch',
  'empty-documents',
  'train-test-leak',
  'exact-duplicate-documents',
  'near-duplicate-documents',
  'trim-spans',
  'zero-length-entities',
  'duplicate-entities',
  'dangling-relations',
  'relation-argument-types',
  'duplicate-relations',
] as const;

export type CleanRule = (typeof CLEAN_RULES)[number];

/** One line per rule, for `--help`, the README and error messages. */
export const RULE_DESCRIPTIONS: Record<CleanRule, string> = {
  'text-mismatch': "entity text field disagreed with the offsets: keep the source characters (the reader's fix)",
  'empty-documents': 'drop documents whose text is empty or only whitespace',
  'train-test-leak': 'with train/ and test/ splits, drop train documents that duplicate a test document',
  'exact-duplicate-documents': 'drop later copies of a document with identical text (within a split)',
  'near-duplicate-documents': 'drop later documents whose word-shingle Jaccard with a kept one is >= the threshold',
  'trim-spans': 'trim leading/trailing whitespace and stray punctuation from entity fragments',
  'zero-length-entities': 'drop empty fragments, and entities left with none',
  'duplicate-entities': 'same type and same fragments: keep the first, re-point relations to it',
  'dangling-relations': 'drop relations whose argument entity does not exist',
  'relation-argument-types': "drop relations whose argument types are rare for that relation type's slots",
  'duplicate-relations': 'same type and same arguments: keep the first',
};

export function isCleanRule(name: string): name is CleanRule {
  return (CLEAN_RULES as readonly string[]).includes(name);
}

/**
 * Parses a comma-separated rule list (`--disable trim-spans,duplicate-relations`). Unknown names are a user error
 * that lists the valid ones, so a typo never silently leaves a rule on.
 */
export function parseRuleList(list: string): CleanRule[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !isCleanRule(n));
  if (unknown.length > 0) {
    throw new MedrexError(
      `unknown cleaning rule${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; ` +
        `valid rules: ${CLEAN_RULES.join(', ')}`,
      { rule: 'clean-unknown-rule' },
    );
  }
  return names as CleanRule[];
}
