/**
 * Prediction: documents in, documents out with predicted entities (fragments, text, score) and relations (score),
 * ready for the brat writer and the scorer.
 *
 * End to end, the tagger runs first; its BIO spans become entities (`T1..` in text order, score = mean marginal
 * probability of the chosen tags), and the relation head classifies every candidate pair among THOSE entities.
 * With `entities: 'gold'` the relation head runs on the gold entities instead (relation extraction scored in
 * isolation), and the gold entities are returned unchanged.
 */
import type { Document, Entity, Relation } from '../corpus/types.js';
import { Graph } from '../engine/tensor.js';
import { Rng } from '../random.js';
import { streamNoise } from './noise.js';
import { decodeBio } from '../text/bio.js';
import { assembleBatch, hasPairAnchoredIn } from './assemble.js';
import { batchSegments, capBatchSize, planSegments, type Segment } from './batching.js';
import { slicePairs } from './pairs.js';
import { encodeDocument, numberEntities, type EncodedDocument } from './examples.js';

import { decodeEnsembleTags, meanProbabilities } from './ensemble.js';
import type { Model } from './model.js';
import type { ExtractionNetwork } from './network.js';

/** Prediction graphs do not train, so dropout draws nothing; any source will do. */
const NO_NOISE = streamNoise(new Rng(0));

export interface PredictOptions {
  /** Entities to extract relations between: the tagger's (default) or the documents' own. */
  entities?: 'predicted' | 'gold';
}

/** Sentences per inference batch (memory is reset after each, so this only trades speed for peak memory). */
const INFERENCE_BATCH = 32;
/** Anchor sentences per relation segment at inference. */
const SEGMENT_ANCHORS = 4;
/**
 * Memory bounds, whatever the document: padded tokens per batch (rows x longest row; see `capBatchSize`) and
 * candidate pairs per relation-head pass (states are computed once per batch, the head runs chunk by chunk).
 */
export const INFERENCE_PADDED_TOKENS = 16_384;
export const INFERENCE_PAIR_CHUNK = 2_048;

function inferenceBatches(documents: readonly EncodedDocument[], segments: readonly Segment[]): Segment[][] {
  const lengthOf = (doc: number, sentence: number) => documents[doc].sentences[sentence].words.length;
  return capBatchSize(batchSegments(segments, INFERENCE_BATCH), lengthOf, INFERENCE_PADDED_TOKENS);
}

export function predictDocuments(model: Model, documents: readonly Document[], options: PredictOptions = {}): Document[] {
  const withEntities =
    options.entities === 'gold'
      ? documents.map((d) => ({ ...d, entities: d.entities.filter((e) => model.labels.entityTypes.has(e.type)) }))
      : predictEntities(model, documents);
  const relations = predictRelations(model, withEntities);
  return withEntities.map((d, i) => ({ id: d.id, text: d.text, entities: d.entities, relations: relations[i] }));
}

/** The tagger's entities for each document (relations empty). */
export function predictEntities(model: Model, documents: readonly Document[]): Document[] {
  const { network, members, vocabs, labels, config } = model;
  const K = network.kernels;
  const bare = documents.map((d) => encodeDocument({ ...d, entities: [], relations: [] }, vocabs, labels, config.windowSentences));
  const found: Omit<Entity, 'id'>[][] = documents.map(() => []);
  const segments = planSegments(bare.map((d) => d.sentences.length), 1, 0);
  for (const batch of inferenceBatches(bare, segments)) {
    const mark = K.mark();
    try {
      const g = new Graph(K, { training: false });
      const assembled = assembleBatch(bare, batch, () => [], config.charWindow);
      const encode = (member: ExtractionNetwork) => member.encode(g, 'ner', assembled.inputs, assembled.inputs.words, NO_NOISE);
      const decoded = decodeEnsembleTags(g, members, encode, assembled.inputs.lengths);
      const T = assembled.inputs.steps;
      assembled.rows.forEach((row, b) => {
        const doc = bare[row.doc];
        const tokens = doc.prepared.sentences[row.sentence].tokens;
        // Every tag layer's entities (layers of one type each may overlap one another).
        const spans = decoded.flatMap(({ tags, confidence }, layer) => {
          const tagNames = tokens.map((_, t) => labels.tagLayers[layer].tags.label(tags[b * T + t]));
          return decodeBio(tagNames, tokens).map((span) => ({ span, confidence }));
        });
        spans.sort((x, y) => x.span.start - y.span.start || y.span.end - x.span.end);
        for (const { span, confidence } of spans) {
          let score = 0;
          for (let t = span.startToken; t < span.endToken; t++) score += confidence[b * T + t];
          const text = documents[row.doc].text.slice(span.start, span.end);
          found[row.doc].push({
            type: span.type,
            fragments: [{ start: span.start, end: span.end }],
            text,
            score: round(score / (span.endToken - span.startToken)),
          });
        }
      });
    } finally {
      K.reset(mark);
    }
  }
  return documents.map((d, i) => ({ id: d.id, text: d.text, entities: numberEntities(found[i]), relations: [] }));
}

/**
 * Relations among each document's entities, as the relation head predicts them: a pair gets its most probable
 * relation type r when p(r) > noneWeight x p(no relation) (`config.noneWeight` unless given; see the config key).
 */
export function predictRelations(model: Model, documents: readonly Document[], noneWeight = model.config.noneWeight): Relation[][] {
  return predictRelationsAtWeights(model, documents, [noneWeight])[0];
}

/**
 * The relations each of several weights decides, from one pass of the relation head (`[weight][document]`): tuning
 * the weight on dev asks several at once.
 */
export function predictRelationsAtWeights(model: Model, documents: readonly Document[], noneWeights: readonly number[]): Relation[][][] {
  const { network, members, vocabs, labels, config } = model;
  const K = network.kernels;
  const encoded: EncodedDocument[] = documents.map((d) =>
    encodeDocument({ ...d, relations: [] }, vocabs, labels, config.windowSentences),
  );
  const out: Relation[][][] = noneWeights.map(() => documents.map(() => []));
  const segments = planSegments(encoded.map((d) => d.sentences.length), SEGMENT_ANCHORS, config.windowSentences - 1);
  // Only segments with a pair anchored in them need the network.
  const needed = segments.filter((seg) => hasPairAnchoredIn(encoded[seg.doc], seg, encoded[seg.doc].pairs));
  for (const batch of inferenceBatches(encoded, needed)) {
    const mark = K.mark();
    try {
      const g = new Graph(K, { training: false });
      const assembled = assembleBatch(encoded, batch, (doc) => encoded[doc].pairs, config.charWindow);
      if (assembled.pairs.count === 0) continue;
      const classes = labels.relationTypes.size;
      // One member at a time: its token states are given back before the next member encodes.
      const logitsOf = (member: ExtractionNetwork) => {
        const memberMark = K.mark();
        try {
          const states = member.encode(g, 're', assembled.inputs, assembled.inputs.words, NO_NOISE);
          const score = member.relationScorer(g, states, NO_NOISE);
          const logits = new Float32Array(assembled.pairs.count * classes);
          for (let from = 0; from < assembled.pairs.count; from += INFERENCE_PAIR_CHUNK) {
            const to = Math.min(from + INFERENCE_PAIR_CHUNK, assembled.pairs.count);
            const chunkMark = K.mark();
            try {
              const chunk = score(slicePairs(assembled.pairs, from, to));
              logits.set(g.read(chunk), from * classes);
            } finally {
              K.reset(chunkMark);
            }
          }
          return logits;
        } finally {
          K.reset(memberMark);
        }
      };
      const probabilities = meanProbabilities(members, logitsOf, classes);
      assembled.pairRefs.forEach((ref, i) => {
        if (classes < 2) return;
        const probs = probabilities.subarray(i * classes, (i + 1) * classes);
        let best = 1;
        for (let c = 2; c < classes; c++) if (probs[c] > probs[best]) best = c;
        const doc = encoded[ref.doc];
        const entities = documents[ref.doc].entities;
        noneWeights.forEach((noneWeight, w) => {
          if (probs[best] <= noneWeight * probs[0]) return;
          out[w][ref.doc].push({
            id: '',
            type: labels.relationTypes.label(best),
            arg1: entities[doc.mentions[ref.pair.arg1].entity].id,
            arg2: entities[doc.mentions[ref.pair.arg2].entity].id,
            arg1Role: 'Arg1',
            arg2Role: 'Arg2',
            score: round(probs[best]),
          });
        });
      });
    } finally {
      K.reset(mark);
    }
  }
  // Deterministic ids in order of the arguments' position in the entity list (numbered in place: a dense text can
  // have millions of relations, and a copy would double the peak).
  const orders = documents.map((d) => new Map(d.entities.map((e, i) => [e.id, i])));
  return out.map((perDocument) =>
    perDocument.map((relations, d) => {
      const order = orders[d];
      relations.sort((a, b) => order.get(a.arg2)! - order.get(b.arg2)! || order.get(a.arg1)! - order.get(b.arg1)!);
      relations.forEach((r, i) => (r.id = `R${i + 1}`));
      return relations;
    }),
  );
}

/** Scores rounded to 4 decimals: stable in files, and no false precision. */
function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
