/**
 * brat counts offsets in Unicode code points (it is written in Python 3, where `str` indexes code points), while
 * medrex offsets are JavaScript string indices (UTF-16 code units). The two agree unless the text contains
 * characters outside the Basic Multilingual Plane (emoji, some CJK), each of which is one code point but two code
 * units. This module converts between the two, and costs nothing for the usual text without such characters.
 */

/** Converts offsets for one text; build once per document. */
export interface OffsetMap {
  /** brat (code point) offset -> UTF-16 index, or undefined when past the end of the text. */
  toUtf16(codePointOffset: number): number | undefined;
  /** UTF-16 index -> brat (code point) offset. An index inside a surrogate pair maps to the pair's start. */
  toCodePoint(utf16Index: number): number;
  /** Length of the text in code points (the largest valid brat offset). */
  readonly codePointLength: number;
}

const SURROGATE = /[\uD800-\uDFFF]/;

export function offsetMap(text: string): OffsetMap {
  if (!SURROGATE.test(text)) {
    return {
      toUtf16: (o) => (o <= text.length ? o : undefined),
      toCodePoint: (i) => i,
      codePointLength: text.length,
    };
  }
  // utf16At[c] = UTF-16 index of code point c; one extra entry for the end of the text.
  const utf16At: number[] = [];
  const codePointAt = new Int32Array(text.length + 1);
  let i = 0;
  while (i < text.length) {
    const c = utf16At.length;
    utf16At.push(i);
    const unit = text.charCodeAt(i);
    const isPair =
      unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    codePointAt[i] = c;
    if (isPair) {
      codePointAt[i + 1] = c;
      i += 2;
    } else {
      i += 1;
    }
  }
  codePointAt[text.length] = utf16At.length;
  utf16At.push(text.length);
  return {
    toUtf16: (o) => utf16At[o],
    toCodePoint: (idx) => codePointAt[Math.min(Math.max(idx, 0), text.length)],
    codePointLength: utf16At.length - 1,
  };
}
