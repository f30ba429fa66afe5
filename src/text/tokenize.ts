/**
 * Tokenization of clinical text with character offsets into the original string.
 *
 * One sticky regular expression, tried at each token start; whitespace between tokens is skipped by a char-code
 * loop, so the only allocations are the tokens themselves. The alternatives are ordered by priority: the first
 * that matches at a position wins (see README.md in this folder for the policy behind each).
 */

/** A token: `text === source.slice(start, end)` always holds. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

// De-identification placeholders of the i2b2/n2c2 notes (`[**2115-2-22**]`, `[**Hospital 123**]`) are one token
// even though they may contain spaces: they stand for one name or date, and splitting inside them only adds noise.
// Bounded and newline-free so an unclosed `[**` cannot swallow the rest of a note.
const DEID = String.raw`\[\*\*[^\n]{0,200}?\*\*\]`;
// `1.` or `2)` followed by a space is a list marker when it is first on its line (the scanner checks that; a
// lookbehind in the regex made every token ten times slower).
const LIST_MARKER = /\d{1,2}[.)](?=[ \t])/y;
// Frequencies `q4h`, `q4-6h`, `q12hrs`, `q.4h.`; kept whole because annotators mark them whole.
const HOUR_UNIT = String.raw`[hH](?:[oO][uU][rR][sS]?|[rR][sS]?)?`;
const FREQ_Q = String.raw`[qQ](?:\d{1,2}(?:-\d{1,2})?${HOUR_UNIT}|\.\d{1,2}(?:-\d{1,2})?${HOUR_UNIT}\.?)(?![\p{L}\p{N}])`;
// Titles whose period never ends a sentence; `No.`/`Fig.` only before a number (`case no. 2`).
const TITLE = String.raw`(?:Drs|Dr|DR|Mrs|Mr|MR|MRS|Ms|Prof|St|Jr|Sr|vs|Vs|approx|Approx)\.|(?:[Nn]o|[Nn]os|[Ff]ig)\.(?=[ \t]*\d)`;
// Dotted abbreviations made of single letters: `q.i.d.`, `b.i.d`, `p.r.n.`, `p.o.`, `e.g.`, `a.m.`. A letter right
// after a segment (`E.coli`) means it is not one.
const DOTTED = String.raw`\p{L}(?:\.\p{L})+(?![\p{L}\p{N}])\.?`;
// Dates `2/22/2115`, `2115-2-22` (three numeric parts; two-part `1-2` is a range and is split).
const DATE = String.raw`\d{1,4}[/-]\d{1,2}[/-]\d{1,4}(?!\d)`;
const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?!\d)`;
// Ratios and combination strengths `10/325`, `120/80`, `1/2`.
const RATIO = String.raw`\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)+`;
// `1,000`, `1,000.5`, `2.5`, `40`. A number stops at letters, so `5mg` is `5` + `mg`.
const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?`;
const WORD = String.raw`\p{L}[\p{L}\p{M}]*`;
const CLITIC = String.raw`['’][sS](?!\p{L})`;
// Multi-character symbols that mean one thing: `+/-`, arrows, comparison, rule lines `----`, ellipsis.
const SYMBOL = String.raw`\+/-|-->|->|<-|<=|>=|-{2,}|={2,}|_{2,}|\*{2,}|\.{2,}|~{2,}|#{2,}`;
// Anything else: one code point (the `u` flag keeps surrogate pairs together).
const OTHER = String.raw`\S`;

const TOKEN = new RegExp(
  [DEID, FREQ_Q, TITLE, DOTTED, DATE, TIME, RATIO, NUMBER, WORD, CLITIC, SYMBOL, OTHER].join('|'),
  'uy',
);

/** True for exactly the characters JavaScript's `\s` matches, so the scanner and the regex agree. */
export function isWhitespaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Tokens of `text` between `start` and `end` (default: all of it), with offsets into `text`. No token extends past
 * `end`; the text before `start` still counts as context (a list marker must start its line).
 */
export function tokenize(text: string, start = 0, end = text.length): Token[] {
  if (!(start >= 0 && start <= end && end <= text.length)) {
    throw new RangeError(`tokenize: range [${start}, ${end}) is not inside a text of length ${text.length}`);
  }
  // Cutting at `end` keeps every match inside the range; a slice shares storage with the original in V8.
  const source = end === text.length ? text : text.slice(0, end);
  const tokens: Token[] = [];
  let i = start;
  let lineStart = startsLine(text, start);
  for (;;) {
    for (let c: number; i < end && isWhitespaceCode((c = source.charCodeAt(i))); i++) {
      if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) lineStart = true;
    }
    if (i >= end) break;
    let j: number;
    const c = source.charCodeAt(i);
    if (lineStart && c >= 0x30 && c <= 0x39 && ((LIST_MARKER.lastIndex = i), LIST_MARKER.test(source))) {
      j = LIST_MARKER.lastIndex;
    } else {
      TOKEN.lastIndex = i;
      // Cannot fail: OTHER matches any non-whitespace code point.
      TOKEN.test(source);
      j = TOKEN.lastIndex;
    }
    lineStart = false;
    tokens.push({ text: source.slice(i, j), start: i, end: j });
    i = j;
  }
  return tokens;
}

/** Only spaces and tabs lie between the start of its line (or of the text) and `offset`. */
function startsLine(text: string, offset: number): boolean {
  for (let k = offset - 1; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return true;
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}
