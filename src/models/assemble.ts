/**
 * One mini-batch, ready for the network: the sentences of a list of segments padded together (time-major), the
 * gold tags of the anchor sentences, and the candidate pairs anchored in them with their features and labels.
 */
import { padLabels, padSentences, toTimeMajor, type Segment, type SentenceInput, type TimeMajorBatch } from './batching.js';
import type { PairExample, TrainingDocument } from './examples.js';
import { ordinal, pairFeatures, type PairFeatures, type PairInput, type PlacedMention, type SegmentLayout } from './pairs.js';
import { addSegmentSelection, SelectionBuilder, type SelectionPairs } from './selection.js';

export interface AssembledBatch {
  inputs: TimeMajorBatch;
  /** Where each batch row comes from. */
  rows: { doc: number; sentence: number }[];
  /** Gold tag ids, B x T batch-major. */
  tags: Int32Array;
  /** Sentence lengths for anchor sentences, 0 for context sentences (which the tagging loss skips). */
  scoredLengths: Int32Array;
  pairs: PairFeatures;
  /** Gold relation label of each pair (0 = NO_RELATION). */
  pairLabels: Int32Array;
  /** Which document and which of its `pairs` each pair row is. */
  pairRefs: { doc: number; pair: PairExample }[];
  /** Training slot pairs of the multi-head selection head and their 0/1 targets (when asked for; ./selection.ts). */
  selection: { pairs: SelectionPairs; targets: Float32Array } | null;
}

/** Asks `assembleBatch` for the selection head's training pairs. */
export interface SelectionRequest {
  relationTypes: number;
  windowSentences: number;
  random: { seed: number; epoch: number };
}

/**
 * `pairsOf(doc)` gives the pairs to include for a document (all of them, or this epoch's negative sample); only
 * those whose earlier sentence is an anchor of one of the segments are taken. `minChars` is the char-CNN width.
 */
export function assembleBatch(
  documents: readonly TrainingDocument[],
  segments: readonly Segment[],
  pairsOf: (doc: number) => readonly PairExample[],
  minChars: number,
  selectionRequest: SelectionRequest | null = null,
): AssembledBatch {
  const rows: { doc: number; sentence: number }[] = [];
  const inputs: SentenceInput[] = [];
  const tagRows: Int32Array[] = [];
  const anchor: boolean[] = [];
  const layouts: SegmentLayout[] = [];
  for (const seg of segments) {
    const doc = documents[seg.doc];
    const layout: SegmentLayout = { rows: [], lengths: [] };
    for (let s = seg.start; s < seg.end; s++) {
      layout.rows.push(rows.length);
      layout.lengths.push(doc.sentences[s].words.length);
      rows.push({ doc: seg.doc, sentence: s });
      inputs.push(doc.sentences[s]);
      tagRows.push(doc.tags[s]);
      anchor.push(s < seg.anchorEnd);
    }
    layouts.push(layout);
  }
  const padded = padSentences(inputs);
  const tm = toTimeMajor(padded, minChars);
  const scoredLengths = Int32Array.from(padded.lengths, (l, b) => (anchor[b] ? l : 0));

  const pairInputs: PairInput[] = [];
  const labels: number[] = [];
  const pairRefs: { doc: number; pair: PairExample }[] = [];
  segments.forEach((seg, k) => {
    const doc = documents[seg.doc];
    const layout = layouts[k];
    const place = (mentionIndex: number): PlacedMention | null => {
      const m = doc.mentions[mentionIndex];
      const cells = [];
      let first = Infinity;
      let last = -Infinity;
      for (const ref of m.tokens) {
        if (ref.sentence < seg.start || ref.sentence >= seg.end) return null;
        const local = ref.sentence - seg.start;
        cells.push({ row: layout.rows[local], token: ref.token });
        const pos = ordinal(layout, local, ref.token);
        first = Math.min(first, pos);
        last = Math.max(last, pos);
      }
      return { typeId: m.typeId, cells, first, last };
    };
    for (const pair of pairsInSegment(doc, seg, pairsOf(seg.doc))) {
      const arg1 = place(pair.arg1);
      const arg2 = place(pair.arg2);
      if (!arg1 || !arg2) continue; // cannot happen: pairsInSegment checked that both are inside
      pairInputs.push({ arg1, arg2, layout });
      labels.push(pair.label);
      pairRefs.push({ doc: seg.doc, pair });
    }
  });
  const B = tm.batch;
  const flat = (row: number, token: number) => token * B + row;
  let selection: AssembledBatch['selection'] = null;
  if (selectionRequest) {
    const builder = new SelectionBuilder(selectionRequest.relationTypes);
    segments.forEach((seg, k) => {
      const doc = documents[seg.doc];
      const context = { ...selectionRequest, rows: layouts[k].rows, flat };
      addSegmentSelection(doc, seg, pairsInSegment(doc, seg, pairsOf(seg.doc)), context, builder);
    });
    selection = builder.build();
  }
  return {
    inputs: tm,
    rows,
    tags: padLabels(tagRows, padded.maxLen),
    scoredLengths,
    pairs: pairFeatures(pairInputs, flat),
    pairLabels: Int32Array.from(labels),
    pairRefs,
    selection,
  };
}

/**
 * The pairs a segment classifies: those whose earlier argument lies in one of its anchor sentences and whose
 * arguments both lie inside the segment (outside only when the window is wider than the segment's context:
 * skipped rather than guessed). In the order of `pairs`.
 */
export function pairsInSegment(doc: TrainingDocument, seg: Segment, pairs: readonly PairExample[]): PairExample[] {
  const inside = (mentionIndex: number) =>
    doc.mentions[mentionIndex].tokens.every((ref) => ref.sentence >= seg.start && ref.sentence < seg.end);
  const byAnchor = pairsByAnchor(doc, pairs);
  const chosen: number[] = [];
  for (let s = seg.start; s < seg.anchorEnd; s++) {
    for (const i of byAnchor.get(s) ?? []) if (inside(pairs[i].arg1) && inside(pairs[i].arg2)) chosen.push(i);
  }
  return chosen.sort((a, b) => a - b).map((i) => pairs[i]);
}

/** Whether any of `pairs` is anchored in one of the segment's anchor sentences (the segment needs the network). */
export function hasPairAnchoredIn(doc: TrainingDocument, seg: Segment, pairs: readonly PairExample[]): boolean {
  const byAnchor = pairsByAnchor(doc, pairs);
  for (let s = seg.start; s < seg.anchorEnd; s++) if (byAnchor.has(s)) return true;
  return false;
}

/**
 * Indices of a pair list grouped by anchor sentence, built once per list (a list belongs to one document): a long
 * document has thousands of segments, and scanning all its pairs for each one was quadratic in its length.
 */
const anchorIndexes = new WeakMap<readonly PairExample[], Map<number, number[]>>();

function pairsByAnchor(doc: TrainingDocument, pairs: readonly PairExample[]): Map<number, number[]> {
  let index = anchorIndexes.get(pairs);
  if (!index) {
    index = new Map();
    for (let i = 0; i < pairs.length; i++) {
      const anchor = anchorSentence(doc, pairs[i]);
      const list = index.get(anchor);
      if (list) list.push(i);
      else index.set(anchor, [i]);
    }
    anchorIndexes.set(pairs, index);
  }
  return index;
}

/** The sentence a pair is anchored in: that of its earlier argument. */
export function anchorSentence(doc: Pick<TrainingDocument, 'mentions'>, pair: PairExample): number {
  return Math.min(doc.mentions[pair.arg1].sentence, doc.mentions[pair.arg2].sentence);
}
