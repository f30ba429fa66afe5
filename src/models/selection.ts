/**
 * Multi-head selection (Bekoulis et al. 2018, "Joint entity recognition and relation extraction as a multi-head
 * selection problem"), the relation head of `relationHead: "selection"`: the JavaScript side of it, which says
 * which token pairs a batch scores and what their targets are. The network part is
 * `ExtractionNetwork.selectionLogits`.
 *
 * Every token is a *slot*: the head (last token) of each entity ending there, with that entity's label (1 + its
 * type id), or, where no entity ends, one slot with label 0 ("no entity"). A slot pair (from, to) is scored for
 * every relation type at once, an independent sigmoid per type: "`to` is the head of a relation of type r whose
 * first argument is headed by `from`". Training scores every ordered slot pair of a sentence window, so the head
 * learns "no relation" from all the tokens and not only from sampled entity pairs; prediction scores only the
 * candidate pairs among the tagger's entities (their last tokens and predicted types), like the pair head.
 *
 * Memory stays bounded whatever the sentence: a segment keeps every pair between two entity slots and, past
 * `SELECTION_PAIRS_PER_SEGMENT` pairs, a seeded sample of the others (a 3,000-token "sentence" would otherwise
 * have nine million).
 */
import { derivedRandom } from '../random.js';
import type { Segment } from './batching.js';
import type { PairExample, TrainingDocument } from './examples.js';
import { distanceBucket, type PairFeatures, type RowLists } from './pairs.js';

/**
 * Slot pairs of a batch: rows of the flattened token states, slot labels (0 = no entity, 1 + entity type id) and
 * the bucketed distance from the first token of `from`'s entity to that of `to`'s (the pair head's distance; a
 * slot without an entity starts at its token).
 */
export interface SelectionPairs {
  count: number;
  fromRows: Int32Array;
  fromLabels: Int32Array;
  toRows: Int32Array;
  toLabels: Int32Array;
  distance: Int32Array;
}

/** Slot pairs scored per training segment at most (see the module comment). */
export const SELECTION_PAIRS_PER_SEGMENT = 8_192;

/** Where a segment's sentences sit in the batch, and what the training pairs' sampling draws from. */
export interface SelectionContext {
  /** Batch row of each of the segment's sentences, in order. */
  rows: readonly number[];
  /** Flattened-state row of (batch row, token). */
  flat: (row: number, token: number) => number;
  /** Sentences a relation may span (`config.windowSentences`). */
  windowSentences: number;
  /** Relation types (sigmoid columns). */
  relationTypes: number;
  random: { seed: number; epoch: number };
}

interface Slot {
  row: number;
  label: number;
  sentence: number;
  /** Reading-order position in the segment of the first token of the slot's entity (or of its token). */
  first: number;
  /** Mention index, or -1 for a token that heads no entity. */
  mention: number;
}

/**
 * The training slot pairs of one segment and their targets ([pairs, relationTypes], 0/1), appended to `out`.
 * `pairs` are the segment's candidate pairs with their gold labels (positives become targets; the pair head's
 * negative sampling does not matter here, every slot pair is a negative unless gold says otherwise).
 */
export function addSegmentSelection(
  doc: TrainingDocument,
  seg: Segment,
  pairs: readonly PairExample[],
  context: SelectionContext,
  out: SelectionBuilder,
): void {
  const slots: Slot[] = [];
  const headsAt = new Map<string, number[]>();
  doc.mentions.forEach((m, index) => {
    const last = m.tokens[m.tokens.length - 1];
    if (m.tokens.some((t) => t.sentence < seg.start || t.sentence >= seg.end)) return;
    const key = `${last.sentence}:${last.token}`;
    const list = headsAt.get(key);
    if (list) list.push(index);
    else headsAt.set(key, [index]);
  });
  const slotOfMention = new Map<number, number>();
  const base: number[] = [];
  for (let s = seg.start, position = 0; s < seg.end; position += doc.sentences[s].words.length, s++) base.push(position);
  const position = (sentence: number, token: number) => base[sentence - seg.start] + token;
  for (let s = seg.start; s < seg.end; s++) {
    const row = context.rows[s - seg.start];
    const length = doc.sentences[s].words.length;
    for (let t = 0; t < length; t++) {
      const flat = context.flat(row, t);
      const heads = headsAt.get(`${s}:${t}`);
      if (!heads) {
        slots.push({ row: flat, label: 0, sentence: s, first: position(s, t), mention: -1 });
        continue;
      }
      for (const mention of heads) {
        const { typeId, tokens } = doc.mentions[mention];
        slotOfMention.set(mention, slots.length);
        slots.push({ row: flat, label: 1 + typeId, sentence: s, first: position(tokens[0].sentence, tokens[0].token), mention });
      }
    }
  }
  const gold = new Map<string, number>();
  for (const p of pairs) {
    if (p.label === 0) continue;
    const from = slotOfMention.get(p.arg1);
    const to = slotOfMention.get(p.arg2);
    if (from !== undefined && to !== undefined) gold.set(`${from}:${to}`, p.label - 1);
  }
  // Ordered slot pairs anchored here (the earlier sentence is an anchor) and inside the window; walked twice rather
  // than listed, so a very long sentence costs time, never memory past the cap.
  const forEachPair = (visit: (i: number, j: number, entities: boolean) => void) => {
    for (let i = 0; i < slots.length; i++) {
      for (let j = 0; j < slots.length; j++) {
        if (i === j) continue;
        const [a, b] = [slots[i].sentence, slots[j].sentence];
        if (Math.min(a, b) >= seg.anchorEnd || Math.abs(a - b) >= context.windowSentences) continue;
        visit(i, j, slots[i].mention >= 0 && slots[j].mention >= 0);
      }
    }
  };
  let entityPairs = 0;
  let others = 0;
  forEachPair((_i, _j, entities) => (entities ? entityPairs++ : others++));
  const room = Math.max(0, SELECTION_PAIRS_PER_SEGMENT - entityPairs);
  const chosen = others <= room ? null : sampleIndices(others, room, derivedRandom(context.random.seed, 'selection', context.random.epoch, seg.doc, seg.start));
  let other = 0;
  forEachPair((i, j, entities) => {
    if (!entities && chosen !== null && !chosen.has(other++)) return;
    out.push(slots[i], slots[j], gold.get(`${i}:${j}`) ?? -1);
  });
}

/** `k` distinct integers of [0, n), drawn by Floyd's algorithm (memory k, whatever n). */
function sampleIndices(n: number, k: number, random: () => number): Set<number> {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return chosen;
}

/** What a pair needs of each of its slots. */
export interface SlotRef {
  row: number;
  label: number;
  first: number;
}

/** Accumulates slot pairs and their targets for a batch. */
export class SelectionBuilder {
  private readonly fromRows: number[] = [];
  private readonly fromLabels: number[] = [];
  private readonly toRows: number[] = [];
  private readonly toLabels: number[] = [];
  private readonly distance: number[] = [];
  private readonly positives: number[] = [];

  constructor(readonly relationTypes: number) {}

  /** One pair; `relationType` is the gold type (0-based among the relation types) or -1 for none. */
  push(from: SlotRef, to: SlotRef, relationType: number): void {
    if (relationType >= 0) this.positives.push(this.fromRows.length * this.relationTypes + relationType);
    this.fromRows.push(from.row);
    this.fromLabels.push(from.label);
    this.toRows.push(to.row);
    this.toLabels.push(to.label);
    this.distance.push(distanceBucket(to.first - from.first));
  }

  build(): { pairs: SelectionPairs; targets: Float32Array } {
    const count = this.fromRows.length;
    const targets = new Float32Array(count * this.relationTypes);
    for (const cell of this.positives) targets[cell] = 1;
    return {
      pairs: {
        count,
        fromRows: Int32Array.from(this.fromRows),
        fromLabels: Int32Array.from(this.fromLabels),
        toRows: Int32Array.from(this.toRows),
        toLabels: Int32Array.from(this.toLabels),
        distance: Int32Array.from(this.distance),
      },
      targets,
    };
  }
}

/**
 * The slot pairs of candidate entity pairs (prediction): each argument's last token and its label. The rows of an
 * argument's list are in reading order, so the last one is its head.
 */
export function selectionPairsOf(features: PairFeatures): SelectionPairs {
  const last = (lists: RowLists) =>
    Int32Array.from({ length: features.count }, (_, i) => lists.rows[lists.offsets[i + 1] - 1]);
  return {
    count: features.count,
    fromRows: last(features.arg1Rows),
    fromLabels: Int32Array.from(features.arg1Type, (t) => t + 1),
    toRows: last(features.arg2Rows),
    toLabels: Int32Array.from(features.arg2Type, (t) => t + 1),
    distance: features.distance,
  };
}

/**
 * Sigmoid probabilities of the relation types [pairs, types] as class scores [pairs, 1 + types] whose softmax is
 * proportional to (p(no relation) = product of (1 - p(r)), p(r1), p(r2), ...): the pair head's decision
 * (p(r) > w x p(no relation)) and the ensemble's averaging then apply unchanged. With one relation type this is
 * exactly (1 - p, p).
 */
export function selectionClassScores(probabilities: Float32Array, types: number): Float32Array {
  const pairs = probabilities.length / types;
  const scores = new Float32Array(pairs * (types + 1));
  const floor = 1e-12;
  for (let i = 0; i < pairs; i++) {
    let none = 1;
    for (let r = 0; r < types; r++) {
      const p = probabilities[i * types + r];
      none *= 1 - p;
      scores[i * (types + 1) + 1 + r] = Math.log(Math.max(p, floor));
    }
    scores[i * (types + 1)] = Math.log(Math.max(none, floor));
  }
  return scores;
}
