/**
 * Mapping between character spans and token spans. Token spans are half-open: [startToken, endToken).
 */
import type { Token } from './tokenize.js';

export interface TokenSpan {
  startToken: number;
  /** One past the last token. */
  endToken: number;
}

export interface TokenSpanMatch extends TokenSpan {
  /** The character span starts exactly where its first token starts. */
  exactStart: boolean;
  /** The character span ends exactly where its last token ends. */
  exactEnd: boolean;
}

/** Index of the first token whose end is after `offset` (tokens are sorted and disjoint). */
function firstEndingAfter(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The tokens a character span [start, end) overlaps: from the first overlapping token to the last. `null` when it
 * overlaps none (an empty span, or one over whitespace only). `exactStart`/`exactEnd` tell whether the span's
 * boundaries fall on token boundaries; when not, the token span is wider than the character span.
 */
export function charSpanToTokenSpan(tokens: readonly Token[], start: number, end: number): TokenSpanMatch | null {
  if (end <= start) return null;
  const startToken = firstEndingAfter(tokens, start);
  if (startToken >= tokens.length || tokens[startToken].start >= end) return null;
  // The last overlapping token is the one before the first token that starts at or after `end`.
  let endToken = firstEndingAfter(tokens, end);
  if (endToken < tokens.length && tokens[endToken].start < end) endToken++;
  return {
    startToken,
    endToken,
    exactStart: tokens[startToken].start === start,
    exactEnd: tokens[endToken - 1].end === end,
  };
}

/** The character span [start, end) covered by tokens [startToken, endToken). */
export function tokenSpanToCharSpan(
  tokens: readonly Token[],
  startToken: number,
  endToken: number,
): { start: number; end: number } {
  if (!(startToken >= 0 && startToken < endToken && endToken <= tokens.length)) {
    throw new RangeError(`token span [${startToken}, ${endToken}) is empty or outside ${tokens.length} tokens`);
  }
  return { start: tokens[startToken].start, end: tokens[endToken - 1].end };
}
