/**
 * Entity fragments as the text sees them. brat splits a mention that wraps across a line into two fragments
 * (`10 15;16 22`) although nothing but whitespace separates them; such a mention is continuous for every purpose
 * here, so fragments separated only by whitespace are joined before anything counts as discontinuous.
 */
import { sortedFragments, type Fragment } from '../corpus/types.js';
import { isWhitespaceCode } from './tokenize.js';

/** Sorted fragments with whitespace-only gaps (and overlaps) joined. */
export function joinWhitespaceGaps(text: string, fragments: readonly Fragment[]): Fragment[] {
  const joined: Fragment[] = [];
  for (const f of sortedFragments({ fragments: [...fragments] })) {
    const last = joined[joined.length - 1];
    if (last && onlyWhitespace(text, last.end, f.start)) {
      last.end = Math.max(last.end, f.end);
    } else {
      joined.push({ start: f.start, end: f.end });
    }
  }
  return joined;
}

function onlyWhitespace(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isWhitespaceCode(text.charCodeAt(k))) return false;
  return true;
}
