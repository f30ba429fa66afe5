/**
 * Span rules: trimming whitespace and stray punctuation off entity fragments, and removing zero-length fragments.
 *
 * Trimming is conservative because punctuation is often part of a mention: `b.i.d.`, `p.o.` and `C.` keep their
 * final period (another period inside, or a one-letter word: an abbreviation), `.5 mg` keeps its leading decimal
 * point, `(PRN)` keeps balanced brackets, and `%`, `-`, `/` are never trimmed.
 */
import { textOfFragments, type Document, type Entity, type Fragment } from '../types.js';
import { removeEntities } from './edit.js';
import { describeEntity, type ChangeLog } from './report.js';
import type { CleanRule } from './rules.js';

const ALWAYS_STRAY = new Set([',', ';', ':', '!', '?']);
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const QUOTES = new Set(['"', "'", '\u201c', '\u201d', '\u2018', '\u2019']);

function isSpace(ch: string): boolean {
  return /\s/u.test(ch);
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n += 1;
  return n;
}

/** Whether the first character of `inner` is noise that does not belong to the mention. */
function strayAtStart(inner: string): boolean {
  const ch = inner[0];
  if (isSpace(ch) || ALWAYS_STRAY.has(ch)) return true;
  if (ch === '.') return !/^\.\d/u.test(inner); // `.5 mg` is a number
  if (ch in CLOSERS) return true;
  if (ch in OPENERS) return !inner.includes(OPENERS[ch]);
  if (QUOTES.has(ch)) return count(inner, ch) % 2 === 1;
  return false;
}

/** Whether the last character of `inner` is noise. */
function strayAtEnd(inner: string): boolean {
  const ch = inner[inner.length - 1];
  if (isSpace(ch) || ALWAYS_STRAY.has(ch)) return true;
  // A final period belongs to an abbreviation when the fragment has another period (`q.d.`) or the word it ends
  // is a single letter (`C.` of `C. diff`); otherwise it is sentence punctuation.
  if (ch === '.') return !inner.slice(0, -1).includes('.') && !/(^|[^\p{L}])\p{L}\.$/u.test(inner);
  if (ch in OPENERS) return true;
  if (ch in CLOSERS) return !inner.includes(CLOSERS[ch]);
  if (QUOTES.has(ch)) return count(inner, ch) % 2 === 1;
  return false;
}

/** The fragment with stray characters removed from both ends; may come back empty (start === end). */
export function trimFragment(text: string, fragment: Fragment): Fragment {
  let { start, end } = fragment;
  for (;;) {
    if (start < end && strayAtStart(text.slice(start, end))) start += 1;
    else if (start < end && strayAtEnd(text.slice(start, end))) end -= 1;
    else return { start, end };
  }
}

function sameFragments(a: Fragment[], b: Fragment[]): boolean {
  return a.length === b.length && a.every((f, i) => f.start === b[i].start && f.end === b[i].end);
}

/**
 * Applies `fix` to every entity's fragment list; entities whose list changes are updated (text re-read from the
 * document), entities left without fragments are dropped together with what refers to them.
 */
function rewriteFragments(
  doc: Document,
  rule: CleanRule,
  log: ChangeLog,
  fix: (fragments: Fragment[]) => Fragment[],
): void {
  const dropped = new Set<string>();
  doc.entities = doc.entities.map((entity): Entity => {
    const fragments = fix(entity.fragments);
    if (sameFragments(fragments, entity.fragments)) return entity;
    if (fragments.length === 0) {
      dropped.add(entity.id);
      log.add({ rule, action: 'dropped', document: doc.id, annotation: entity.id, before: describeEntity(entity), after: '' });
      return entity;
    }
    const fixed = { ...entity, fragments, text: textOfFragments(doc.text, fragments) };
    log.add({
      rule,
      action: 'changed',
      document: doc.id,
      annotation: entity.id,
      before: describeEntity(entity),
      after: describeEntity(fixed),
    });
    return fixed;
  });
  removeEntities(doc, dropped, rule, log);
}

/** Rule `trim-spans`: fragments lose stray edge characters; fragments trimmed to nothing are dropped. */
export function trimSpans(doc: Document, log: ChangeLog): void {
  // Fragments that were empty to begin with are left to `zero-length-entities`, so each rule can be judged alone.
  rewriteFragments(doc, 'trim-spans', log, (fragments) =>
    fragments.flatMap((f) => {
      if (f.end <= f.start) return [f];
      const trimmed = trimFragment(doc.text, f);
      return trimmed.end > trimmed.start ? [trimmed] : [];
    }),
  );
}

/** Rule `zero-length-entities`: fragments with end <= start are removed; entities left with none are dropped. */
export function dropZeroLengthFragments(doc: Document, log: ChangeLog): void {
  rewriteFragments(doc, 'zero-length-entities', log, (fragments) => fragments.filter((f) => f.end > f.start));
}
