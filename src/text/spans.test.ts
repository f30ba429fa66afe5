import { describe, expect, it } from 'vitest';
import { charSpanToTokenSpan, tokenSpanToCharSpan } from './spans.js';
import { tokenize } from './tokenize.js';

// Offsets: Lasix 0-5, 40 6-8, mg 8-10, p.o. 11-15, daily 16-21.
const tokens = tokenize('Lasix 40mg p.o. daily');

describe('charSpanToTokenSpan', () => {
  it('maps an aligned span to its tokens, end exclusive', () => {
    expect(charSpanToTokenSpan(tokens, 6, 10)).toEqual({ startToken: 1, endToken: 3, exactStart: true, exactEnd: true });
    expect(charSpanToTokenSpan(tokens, 0, 21)).toEqual({ startToken: 0, endToken: 5, exactStart: true, exactEnd: true });
  });

  it('widens to the tokens a boundary falls inside and says so', () => {
    // "asix 4" starts inside Lasix and ends inside 40.
    expect(charSpanToTokenSpan(tokens, 1, 7)).toEqual({ startToken: 0, endToken: 2, exactStart: false, exactEnd: false });
    // "p.o" ends inside the token p.o.
    expect(charSpanToTokenSpan(tokens, 11, 14)).toEqual({ startToken: 3, endToken: 4, exactStart: true, exactEnd: false });
  });

  it('counts a boundary lying in whitespace next to a token as not exact', () => {
    // " 40mg " (5-11) covers tokens 40 and mg; its boundaries are in whitespace, so not on a token's edge.
    expect(charSpanToTokenSpan(tokens, 5, 11)).toEqual({ startToken: 1, endToken: 3, exactStart: false, exactEnd: false });
  });

  it('returns null for an empty span or one over whitespace only', () => {
    expect(charSpanToTokenSpan(tokens, 6, 6)).toBeNull();
    expect(charSpanToTokenSpan(tokens, 5, 6)).toBeNull();
    expect(charSpanToTokenSpan(tokens, 21, 30)).toBeNull();
  });
});

describe('tokenSpanToCharSpan', () => {
  it('maps back to the characters the tokens cover', () => {
    expect(tokenSpanToCharSpan(tokens, 1, 3)).toEqual({ start: 6, end: 10 });
    expect(tokenSpanToCharSpan(tokens, 3, 5)).toEqual({ start: 11, end: 21 });
    expect(() => tokenSpanToCharSpan(tokens, 2, 2)).toThrow(RangeError);
    expect(() => tokenSpanToCharSpan(tokens, 4, 6)).toThrow(RangeError);
  });
});
