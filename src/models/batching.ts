/**
 * Mini-batches: which sentences go together, in what order, and their padded tensors.
 *
 * The unit is a *segment*: a run of consecutive sentences of one document. Its first `anchors` sentences are the
 * ones the batch is "about" (their tags are scored, and relation candidates whose earlier argument lies in them
 * are classified); up to `window` further sentences follow as context, so that a candidate pair spanning a
 * sentence boundary always has both arguments inside one segment. Every sentence is an anchor of exactly one
 * segment, so each tag and each candidate pair counts once per epoch. For plain tagging, segments are single
 * sentences (anchors 1, window 0).
 *
 * Sentences are encoded separately (padded to the longest in the batch); a segment's tokens are then addressed by
 * (sentence row, position), which is what span pooling for relations uses.
 */
import { derivedRandom, shuffleInPlace } from '../random.js';
import { PAD_ID } from './vocab.js';

export interface Segment {
  doc: number;
  /** First sentence (index into the document's sentences). */
  start: number;
  /** One past the last anchor sentence. */
  anchorEnd: number;
  /** One past the last sentence, context included. */
  end: number;
}

/**
 * Cut each document into segments of `anchors` anchor sentences, each followed by up to `window` context
 * sentences (fewer at the end of a document). `sentenceCounts[d]` is the number of sentences of document d.
 */
export function planSegments(sentenceCounts: readonly number[], anchors: number, window: number): Segment[] {
  if (anchors < 1) throw new RangeError('a segment needs at least one anchor sentence');
  const segments: Segment[] = [];
  sentenceCounts.forEach((count, doc) => {
    for (let start = 0; start < count; start += anchors) {
      const anchorEnd = Math.min(start + anchors, count);
      segments.push({ doc, start, anchorEnd, end: Math.min(anchorEnd + window, count) });
    }
  });
  return segments;
}

/**
 * Group segments into batches of at least `batchSize` anchor sentences (the last batch may be smaller). With
 * `shuffle`, the segment order is a permutation fixed by (seed, epoch): the same epoch always gets the same
 * batches, which is what makes resumed training identical to uninterrupted training.
 */
export function batchSegments(
  segments: readonly Segment[],
  batchSize: number,
  shuffle?: { seed: number; epoch: number },
): Segment[][] {
  const order = [...segments];
  if (shuffle) shuffleInPlace(order, derivedRandom(shuffle.seed, 'batches', shuffle.epoch));
  const batches: Segment[][] = [];
  let current: Segment[] = [];
  let anchors = 0;
  for (const segment of order) {
    current.push(segment);
    anchors += segment.anchorEnd - segment.start;
    if (anchors >= batchSize) {
      batches.push(current);
      current = [];
      anchors = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Split any batch whose padded size (sentence rows x longest sentence) exceeds `maxPaddedTokens` into consecutive
 * smaller batches, so that memory is bounded whatever the sentence lengths: one 3,000-token "sentence" (a
 * medication list without full stops) would otherwise pad every other row of its batch to 3,000. A segment is
 * never cut, so a segment larger than the budget becomes a batch of its own. Batches within the budget are
 * returned as they are: results do not change where nothing was too big.
 */
export function capBatchSize(
  batches: readonly Segment[][],
  sentenceLength: (doc: number, sentence: number) => number,
  maxPaddedTokens: number,
): Segment[][] {
  const size = (segments: readonly Segment[]) => {
    let rows = 0;
    let longest = 0;
    for (const seg of segments) {
      rows += seg.end - seg.start;
      for (let s = seg.start; s < seg.end; s++) longest = Math.max(longest, sentenceLength(seg.doc, s));
    }
    return rows * longest;
  };
  const out: Segment[][] = [];
  for (const batch of batches) {
    if (size(batch) <= maxPaddedTokens) {
      out.push(batch);
      continue;
    }
    let current: Segment[] = [];
    for (const seg of batch) {
      if (current.length > 0 && size([...current, seg]) > maxPaddedTokens) {
        out.push(current);
        current = [];
      }
      current.push(seg);
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

/** One sentence's model inputs. */
export interface SentenceInput {
  words: Int32Array;
  /** Char ids per token (each at most the batch's char cap). */
  chars: Int32Array[];
}

/** Sentences padded to a common length: row-major B x T (and B x T x C for characters). */
export interface PaddedBatch {
  batch: number;
  maxLen: number;
  /** Char positions per token (longest token in the batch, at least 1). */
  maxChars: number;
  words: Int32Array;
  chars: Int32Array;
  /** 1 for a real token, 0 for padding (B x T). */
  mask: Float32Array;
  lengths: Int32Array;
}

/** Pad sentences into one batch. Padding ids are PAD_ID (0) everywhere. Empty sentences are not allowed. */
export function padSentences(sentences: readonly SentenceInput[]): PaddedBatch {
  const batch = sentences.length;
  let maxLen = 0;
  let maxChars = 1;
  for (const s of sentences) {
    if (s.words.length === 0) throw new RangeError('cannot batch an empty sentence');
    maxLen = Math.max(maxLen, s.words.length);
    for (const c of s.chars) maxChars = Math.max(maxChars, c.length);
  }
  const words = new Int32Array(batch * maxLen).fill(PAD_ID);
  const chars = new Int32Array(batch * maxLen * maxChars).fill(PAD_ID);
  const mask = new Float32Array(batch * maxLen);
  const lengths = new Int32Array(batch);
  sentences.forEach((s, b) => {
    lengths[b] = s.words.length;
    words.set(s.words, b * maxLen);
    mask.fill(1, b * maxLen, b * maxLen + s.words.length);
    s.chars.forEach((c, t) => chars.set(c, (b * maxLen + t) * maxChars));
  });
  return { batch, maxLen, maxChars, words, chars, mask, lengths };
}

/** Pad per-sentence label ids (e.g. BIO tag ids) to B x T with 0 past each length. */
export function padLabels(labels: readonly Int32Array[], maxLen: number): Int32Array {
  const out = new Int32Array(labels.length * maxLen);
  labels.forEach((l, b) => out.set(l, b * maxLen));
  return out;
}

/** A padded batch rearranged time-major (row t * B + b), the layout the LSTM and the char CNN read. */
export interface TimeMajorBatch {
  steps: number;
  batch: number;
  /** Char positions per token: the batch's longest token, at least `minChars`. */
  maxChars: number;
  words: Int32Array;
  /** (T * B) x maxChars char ids. */
  chars: Int32Array;
  /** Real characters of each token (0 for padding positions). */
  charLengths: Int32Array;
  lengths: Int32Array;
}

/**
 * Time-major copy of a padded batch. `minChars` pads every token to at least that many char positions, so a
 * convolution of that width fits even one-character words.
 */
export function toTimeMajor(padded: PaddedBatch, minChars = 1): TimeMajorBatch {
  const { batch: B, maxLen: T } = padded;
  const C = Math.max(padded.maxChars, minChars);
  const words = new Int32Array(T * B);
  const chars = new Int32Array(T * B * C);
  const charLengths = new Int32Array(T * B);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = b * T + t;
      const dst = t * B + b;
      words[dst] = padded.words[src];
      let n = 0;
      for (let c = 0; c < padded.maxChars; c++) {
        const id = padded.chars[src * padded.maxChars + c];
        chars[dst * C + c] = id;
        if (id !== PAD_ID) n++;
      }
      charLengths[dst] = n;
    }
  }
  return { steps: T, batch: B, maxChars: C, words, chars, charLengths, lengths: padded.lengths };
}
