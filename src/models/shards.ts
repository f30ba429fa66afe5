/**
 * Data-parallel training, the arithmetic part: cutting one batch into shards and running one shard's forward
 * and backward pass. Threads (models/parallel/) only decide WHERE each shard runs.
 *
 * Why the result does not depend on the number of shards (up to float rounding):
 *  - the losses are divided by the whole batch's totals (scored sentences, relation class weight), not the
 *    shard's, so the shards' losses and gradients add up to the batch's;
 *  - dropout and word dropout draw from per-row streams (noise.ts), so a sentence gets the same mask in any shard;
 *  - shards are contiguous runs of the batch's segments, so the global index of every row is known;
 *  - the caller adds the shards' gradients in shard order, one fixed order for a given shard count.
 */
import { add, scale } from '../engine/ops/basic.js';
import { Graph, type Tensor } from '../engine/tensor.js';
import { assembleBatch, pairsInSegment } from './assemble.js';
import type { Segment } from './batching.js';
import type { ModelConfig } from './config.js';
import { sampleTrainingPairs, type PairExample, type TrainingDocument } from './examples.js';
import type { ExtractionNetwork } from './network.js';
import { RowNoise } from './noise.js';

export type TrainingPhase = 'ner' | 're' | 'joint';

/** One shard: a contiguous run of a batch's segments, and where its rows start in the whole batch. */
export interface BatchShard {
  segments: Segment[];
  /** Index within the batch of the shard's first sentence row. */
  rowOffset: number;
  /** Index within the batch of the shard's first relation pair. */
  pairOffset: number;
  /** Relation pairs in this shard. */
  pairs: number;
}

/** What the whole batch's losses are divided by. */
export interface BatchTotals {
  /** Anchor sentences (the tagging loss is a mean over them). */
  scoredSentences: number;
  /** Sum of the class weights of the relation pairs' labels (the relation loss is a weighted mean). */
  relationWeight: number;
  pairs: number;
  /** Tokens of the anchor sentences (the auxiliary language-model loss is a mean over them). */
  scoredTokens: number;
}

/** Identifies a batch for its noise streams: the same (phase, epoch, index) always draws the same masks. */
export interface BatchKey {
  phase: TrainingPhase;
  epoch: number;
  index: number;
}

/**
 * Cut a batch into at most `count` shards of about equal token counts (fewer when there are fewer segments;
 * never an empty shard), and count the batch's totals. `pairsOf(doc)` gives this epoch's pairs of a document.
 */
export function shardBatch(
  documents: readonly TrainingDocument[],
  segments: readonly Segment[],
  pairsOf: (doc: number) => readonly PairExample[],
  count: number,
  classWeights: ArrayLike<number>,
): { shards: BatchShard[]; totals: BatchTotals } {
  const tokens = segments.map((seg) => {
    let n = 0;
    for (let s = seg.start; s < seg.end; s++) n += documents[seg.doc].sentences[s].words.length;
    return n;
  });
  const pairLists = segments.map((seg) => pairsInSegment(documents[seg.doc], seg, pairsOf(seg.doc)));
  const totals: BatchTotals = { scoredSentences: 0, relationWeight: 0, pairs: 0, scoredTokens: 0 };
  for (const [k, seg] of segments.entries()) {
    totals.scoredSentences += seg.anchorEnd - seg.start;
    for (let s = seg.start; s < seg.anchorEnd; s++) totals.scoredTokens += documents[seg.doc].sentences[s].words.length;
    for (const pair of pairLists[k]) totals.relationWeight += classWeights[pair.label];
    totals.pairs += pairLists[k].length;
  }
  const allTokens = tokens.reduce((a, b) => a + b, 0);
  const shards: BatchShard[] = [];
  let current: BatchShard = { segments: [], rowOffset: 0, pairOffset: 0, pairs: 0 };
  let rows = 0;
  let pairs = 0;
  let seen = 0;
  for (const [k, seg] of segments.entries()) {
    current.segments.push(seg);
    current.pairs += pairLists[k].length;
    rows += seg.end - seg.start;
    pairs += pairLists[k].length;
    seen += tokens[k];
    // Close the shard once it holds its share of the tokens (the last shard takes whatever is left).
    const left = segments.length - k - 1;
    if (shards.length < count - 1 && left > 0 && seen >= ((shards.length + 1) * allTokens) / count) {
      shards.push(current);
      current = { segments: [], rowOffset: rows, pairOffset: pairs, pairs: 0 };
    }
  }
  if (current.segments.length > 0) shards.push(current);
  return { shards, totals };
}

/** A shard's share of the batch's losses (already divided by the batch's totals); null where there is none. */
export interface ShardLosses {
  ner: number | null;
  rel: number | null;
}

/**
 * Forward and backward pass of one shard: the gradients are ADDED to `network.params`' gradient buffers (so the
 * caller zeroes them first, or sums shards into them). Uses `network.kernels`' arena above its current top and
 * releases it before returning.
 */
export function runShard(
  network: ExtractionNetwork,
  documents: readonly TrainingDocument[],
  pairsOf: (doc: number) => readonly PairExample[],
  shard: BatchShard,
  totals: BatchTotals,
  key: BatchKey,
): ShardLosses {
  const config: ModelConfig = network.config;
  const K = network.kernels;
  const { phase } = key;
  // The pair head has nothing to learn from a shard without candidate pairs (the selection head learns "no relation"
  // from every token pair, so it always has).
  if (phase === 're' && shard.pairs === 0 && config.relationHead !== 'selection') return { ner: null, rel: null };
  const mark = K.mark();
  try {
    const selectionHead = config.relationHead === 'selection' && phase !== 'ner';
    const assembled = assembleBatch(
      documents, shard.segments, pairsOf, config.charWindow,
      selectionHead
        ? { relationTypes: network.selectionTypes(), windowSentences: config.windowSentences, random: { seed: config.seed, epoch: epochKey(phase, key.epoch) } }
        : null,
    );
    const noise = new RowNoise(config.seed, [phase, key.epoch, key.index], shard.rowOffset, shard.pairOffset);
    const { steps, batch } = assembled.inputs;
    const words = noise.dropWords(assembled.inputs.words, steps, batch, config.wordDropout);
    const g = new Graph(K, { training: true });
    let nerLoss: Tensor | null = null;
    let relLoss: Tensor | null = null;
    let auxiliaryLoss: Tensor | null = null;
    const { selection } = assembled;
    const relationLossOf = (states: Tensor) =>
      selection
        ? network.selectionLoss(g, network.selectionLogits(g, states, selection.pairs), selection.targets, totals.scoredSentences)
        : network.relationLoss(
            g, network.relationLogits(g, states, assembled.pairs, noise), assembled.pairLabels, totals.relationWeight,
          ).loss;
    // The pair head learns from candidate pairs; the selection head from every slot pair of the sentences.
    const relationWork = selection ? selection.pairs.count > 0 && network.sizes.relationClasses > 1 : assembled.pairs.count > 0;
    if (phase === 'ner' || phase === 'joint') {
      // What the sides share (embeddings, shared layers) is computed once for both.
      const sides = phase === 'joint' && relationWork ? (['ner', 're'] as const) : (['ner'] as const);
      const states = network.encodeSides(g, sides, assembled.inputs, words, noise);
      nerLoss = network.tagLoss(g, states.ner as Tensor, assembled.tags, assembled.scoredLengths, totals.scoredSentences);
      if (config.lmLossWeight > 0) {
        const lm = network.languageModelLoss(
          g, states.ner as Tensor, assembled.inputs.words, assembled.inputs.lengths, assembled.scoredLengths, totals.scoredTokens,
        );
        // Part of what is minimised, not of the NER loss the history reports.
        auxiliaryLoss = scale(g, lm, config.lmLossWeight);
      }
      if (states.re) relLoss = relationLossOf(states.re);
    } else if (relationWork) {
      relLoss = relationLossOf(network.encode(g, 're', assembled.inputs, words, noise));
    }
    let loss: Tensor | null = nerLoss;
    if (relLoss) {
      const weighted = phase === 'joint' ? scale(g, relLoss, config.relLossWeight) : relLoss;
      loss = loss ? add(g, loss, weighted) : weighted;
    }
    if (loss && auxiliaryLoss) loss = add(g, loss, auxiliaryLoss);
    if (loss?.requiresGrad) g.backward(loss);
    return {
      ner: nerLoss ? g.read(nerLoss)[0] : null,
      rel: relLoss ? g.read(relLoss)[0] : null,
    };
  } finally {
    K.reset(mark);
  }
}

/** Distinct epochs of different phases get distinct random streams (batch order, negative samples). */
export function epochKey(phase: TrainingPhase, epoch: number): number {
  return { ner: 0, re: 1, joint: 2 }[phase] * 100_000 + epoch;
}

/**
 * This epoch's relation pairs of every document: all positives and a seeded sample of negatives. Fixed by
 * (seed, phase, epoch), so the main thread and every worker compute the same sample on their own.
 */
export function epochPairs(
  documents: readonly TrainingDocument[], config: ModelConfig, phase: TrainingPhase, epoch: number,
): PairExample[][] {
  return documents.map((d, doc) =>
    sampleTrainingPairs(d.pairs, config.negativeRatio, { seed: config.seed, epoch: epochKey(phase, epoch), doc }),
  );
}
