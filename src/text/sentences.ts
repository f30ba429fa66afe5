/**
 * Sentence splitting for clinical notes, keeping offsets.
 *
 * The text is tokenized once; then each gap between two consecutive tokens is judged a boundary or not, from the
 * two tokens, the whitespace between them, and the lines they sit on. Clinical notes are lists, headings and
 * hard-wrapped narrative, so line structure matters as much as punctuation. The rules, in order (README.md):
 *  1. a blank line splits;
 *  2. `.` `!` `?` (with a closing quote or bracket attached) split unless the next token starts lowercase or is
 *     continuing punctuation;
 *  3. a dotted abbreviation ending in `.` (`q.i.d.`, `p.o.`) splits only before a Capitalised word;
 *     titles (`Dr.`) never split;
 *  4. `:` splits before a new line, or on the same line when what precedes it on the line (or since a column gap of
 *     3+ spaces) is a heading label (`Brief Hospital Course:`, `HISTORY OF PRESENT ILLNESS:`), but not in
 *     `1. Lisinopril 10 mg Tablet Sig: ...`;
 *  5. at a single line break: split before a list item, after an ALL-CAPS heading line, before a heading line, and
 *     before a capitalised token when the previous line is short (ended on purpose, not wrapped) and does not end
 *     with a word that needs a continuation (`and`, `of`, `,` ...).
 */
import { tokenize, type Token } from './tokenize.js';

export interface Sentence {
  /** Offset of the first token. */
  start: number;
  /** End offset of the last token. */
  end: number;
  tokens: Token[];
}

export interface SplitOptions {
  /**
   * Width a note is hard-wrapped at. A line at least 75% this long is taken to be wrapped, so a capitalised word on
   * the next line does not start a sentence. Default: estimated per text as its longest line when that is 60-100
   * characters; otherwise the text is taken as not hard-wrapped (longer lines: paragraphs on one line; shorter:
   * lists and short entries), so every line break is deliberate.
   */
  wrapWidth?: number;
}

const SENTENCE_END = new Set(['.', '!', '?']);
// After these a sentence goes on even across a short line.
const CONTINUATION = new Set([
  ',', '(', '[', '/', '-', '+', '&', 'and', 'or', 'of', 'with', 'to', 'the', 'a', 'an', 'in', 'for', 'on', 'at',
  'by', 'from', 'as', 'is', 'was', 'were', 'be', 'been', 'but', 'than', 'that', 'which', 'who', 'including',
]);
// What may follow a sentence-final period without a new sentence starting.
const CONTINUING_PUNCT = new Set([',', ';', ':', ')', ']', '}', '.', '%']);
const TITLE = /^(?:Drs|Dr|DR|Mrs|Mr|MR|MRS|Ms|Prof|St|Jr|Sr|vs|Vs|approx|Approx|[Nn]os?|[Ff]ig)\.$/u;
// A quote or bracket closing right after a sentence end belongs to that sentence.
const CLOSING = new Set(['"', "'", '”', '’', ')', ']']);
const DOTTED_OR_FREQ = /^(?:\p{L}(?:\.\p{L})+\.|[qQ]\.\d.*\.)$/u;
const NUMBERED_MARKER = /^\d{1,2}[.)]$/u;
const BULLET = new Set(['-', '*', '•', '#', '·', '+']);
const CAPITALISED = /^(?:\p{Lu}|\[\*\*)/u;
const LOWERCASE_START = /^\p{Ll}/u;
const HAS_LETTER = /\p{L}/u;
const HAS_LOWERCASE = /\p{Ll}/u;
const HAS_DIGIT = /\d/u;
const CAPITALISED_WORD = /^\p{Lu}\p{Ll}/u;
const HEADING_FILLER = new Set(['of', 'and', 'on', 'at', 'the', 'for', 'to', 'in', '/', '&', '-', '(', ')']);
const MAX_HEADING_WORDS = 6;
const COLUMN_GAP = 3;
// Hard-wrapped notes use widths of about 60-100 columns; a longest line outside that means lines end on purpose.
const MIN_WRAP = 60;
const MAX_WRAP = 100;

interface LineInfo {
  /** Index of the first token on the line. */
  first: number;
  /** Index one past the last token on the line. */
  last: number;
  /** Length from line start to the end of its last token. */
  length: number;
}

/** Split `text` into sentences; each keeps its tokens. Whitespace-only text gives no sentences. */
export function splitSentences(text: string, options: SplitOptions = {}): Sentence[] {
  const tokens = tokenize(text);
  if (tokens.length === 0) return [];
  const lines = linesOfTokens(text, tokens);
  const lineOf = new Int32Array(tokens.length);
  lines.forEach((line, index) => lineOf.fill(index, line.first, line.last));
  const wrapped = wrappedLineTest(lines, options.wrapWidth);

  const sentences: Sentence[] = [];
  let first = 0;
  for (let i = 1; i < tokens.length; i++) {
    if (isBoundary(text, tokens, i, lines, lineOf, wrapped)) {
      sentences.push(sentenceOf(tokens, first, i));
      first = i;
    }
  }
  sentences.push(sentenceOf(tokens, first, tokens.length));
  return sentences;
}

function sentenceOf(tokens: Token[], first: number, last: number): Sentence {
  const own = tokens.slice(first, last);
  return { start: own[0].start, end: own[own.length - 1].end, tokens: own };
}

/** Lines that hold at least one token. */
function linesOfTokens(text: string, tokens: Token[]): LineInfo[] {
  const lines: LineInfo[] = [];
  let lineStart = 0;
  let first = 0;
  for (let i = 0; i < tokens.length; i++) {
    const newlineBefore = i > 0 && newlinesBetween(text, tokens[i - 1].end, tokens[i].start) > 0;
    if (newlineBefore) {
      lines.push({ first, last: i, length: tokens[i - 1].end - lineStart });
      first = i;
      lineStart = text.lastIndexOf('\n', tokens[i].start) + 1;
    }
  }
  lines.push({ first, last: tokens.length, length: tokens[tokens.length - 1].end - lineStart });
  return lines;
}

/** Number of line breaks between two offsets (`\r\n` counts once, a lone `\r` counts). */
function newlinesBetween(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a) count++;
    else if (c === 0x0d && text.charCodeAt(k + 1) !== 0x0a) count++;
  }
  return count;
}

function wrappedLineTest(lines: LineInfo[], wrapWidth: number | undefined): (line: LineInfo) => boolean {
  let width = wrapWidth;
  if (width === undefined) {
    const longest = lines.reduce((max, line) => Math.max(max, line.length), 0);
    width = longest >= MIN_WRAP && longest <= MAX_WRAP ? longest : Infinity;
  }
  const threshold = width * 0.75;
  return (line) => line.length >= threshold;
}

function isBoundary(
  text: string,
  tokens: Token[],
  i: number,
  lines: LineInfo[],
  lineOf: Int32Array,
  wrapped: (line: LineInfo) => boolean,
): boolean {
  const prev = tokens[i - 1];
  const next = tokens[i];
  const newlines = newlinesBetween(text, prev.end, next.start);
  if (newlines >= 2) return true;

  if (SENTENCE_END.has(prev.text)) {
    if (CLOSING.has(next.text) && next.start === prev.end) return false;
    return !LOWERCASE_START.test(next.text) && !CONTINUING_PUNCT.has(next.text);
  }
  const beforePrev = tokens[i - 2];
  if (CLOSING.has(prev.text) && beforePrev && beforePrev.end === prev.start && SENTENCE_END.has(beforePrev.text)) {
    return !LOWERCASE_START.test(next.text) && !CONTINUING_PUNCT.has(next.text);
  }
  if (TITLE.test(prev.text)) return false;
  if (DOTTED_OR_FREQ.test(prev.text) && CAPITALISED_WORD.test(next.text)) return true;
  if (prev.text === ':') {
    if (newlines > 0) return true;
    return isHeadingLabel(tokens, labelStart(tokens, lines[lineOf[i - 1]].first, i - 1), i - 1);
  }
  if (newlines === 0) return false;

  // A single line break.
  const prevLine = lines[lineOf[i - 1]];
  const nextLine = lines[lineOf[i]];
  if (isListMarker(text, tokens, i)) return true;
  if (isAllCapsLine(tokens, prevLine) || isHeadingLine(tokens, nextLine)) return true;
  if (CAPITALISED.test(next.text) && !wrapped(prevLine) && !CONTINUATION.has(prev.text.toLowerCase())) return true;
  return false;
}

/** A numbered marker (`1.`, `2)`) or a bullet followed by a space, first on its line. */
function isListMarker(text: string, tokens: Token[], i: number): boolean {
  const token = tokens[i];
  if (NUMBERED_MARKER.test(token.text)) return true;
  if (!BULLET.has(token.text)) return false;
  const after = text.charCodeAt(token.end);
  return after === 0x20 || after === 0x09;
}

/**
 * Where a label ending before token `colon` starts: the line start, or after a run of 3+ spaces, the column gap of
 * form-like header lines (`Admission Date:  [**2115-2-22**]     Discharge Date:  ...`).
 */
function labelStart(tokens: Token[], lineFirst: number, colon: number): number {
  for (let k = colon - 1; k > lineFirst; k--) {
    if (tokens[k].start - tokens[k - 1].end >= COLUMN_GAP) return k;
  }
  return lineFirst;
}

/** Tokens [from, to) are a heading label: 1-6 capitalised words (fillers like `of` allowed), no digits. */
function isHeadingLabel(tokens: Token[], from: number, to: number): boolean {
  let words = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k].text;
    if (HEADING_FILLER.has(t)) continue;
    if (HAS_DIGIT.test(t) || !CAPITALISED.test(t)) return false;
    words++;
  }
  return words >= 1 && words <= MAX_HEADING_WORDS;
}

/** Every word on the line is upper case, and there is a word of at least two letters. */
function isAllCapsLine(tokens: Token[], line: LineInfo): boolean {
  let longWord = false;
  for (let k = line.first; k < line.last; k++) {
    const t = tokens[k].text;
    if (!HAS_LETTER.test(t)) continue;
    if (HAS_LOWERCASE.test(t)) return false;
    if (t.length >= 2) longWord = true;
  }
  return longWord;
}

/** An ALL-CAPS line, or a line that starts with a heading label and its colon. */
function isHeadingLine(tokens: Token[], line: LineInfo): boolean {
  if (isAllCapsLine(tokens, line)) return true;
  const limit = Math.min(line.last, line.first + MAX_HEADING_WORDS * 2 + 1);
  for (let k = line.first + 1; k < limit; k++) {
    if (tokens[k].text === ':') return isHeadingLabel(tokens, line.first, k);
  }
  return false;
}
