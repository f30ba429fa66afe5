/**
 * The multi-head selection head's training pairs (slots, targets, the window, the cap), its reading of candidate
 * pairs at prediction, and its class scores.
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../corpus/types.js';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import { parseConfig } from './config.js';
import { encodeDocument, type EncodedDocument } from './examples.js';
import { createModel } from './model.js';
import { distanceBucket, slicePairs, type PairFeatures } from './pairs.js';
import { assembleBatch } from './assemble.js';
import { generateCorpus } from '../corpus/synth/index.js';
import { Graph } from '../engine/tensor.js';
import { Rng } from '../random.js';
import { streamNoise } from './noise.js';
import {
  addSegmentSelection, SELECTION_PAIRS_PER_SEGMENT, SelectionBuilder, selectionClassScores, selectionPairsOf,
  type SelectionContext,
} from './selection.js';

function entity(id: string, type: string, text: string, word: string) {
  const start = text.indexOf(word);
  return { id, type, fragments: [{ start, end: start + word.length }], text: word };
}

const text = 'Aspirin caused a rash. Ibuprofen was fine.';
const doc: Document = {
  id: 'd1',
  text,
  entities: [entity('T1', 'Drug', text, 'Aspirin'), entity('T2', 'ADE', text, 'rash'), entity('T3', 'Drug', text, 'Ibuprofen')],
  relations: [{ id: 'R1', type: 'Causes', arg1: 'T1', arg2: 'T2', arg1Role: 'Arg1', arg2Role: 'Arg2' }],
};

function encode(document: Document, window: number): { encoded: EncodedDocument; typeId: (t: string) => number } {
  const model = createModel(createReferenceKernels(), [document], parseConfig({ ensemble: 1, windowSentences: window }));
  return { encoded: encodeDocument(document, model.vocabs, model.labels, window), typeId: (t) => model.labels.entityTypes.id(t) };
}

/** One segment over every sentence, one batch row per sentence and a row-major flat index (row x 1000 + token). */
function selectionOf(encoded: EncodedDocument, window: number, epoch = 1) {
  const sentences = encoded.sentences.length;
  const context: SelectionContext = {
    rows: Array.from({ length: sentences }, (_, k) => k),
    flat: (row, token) => row * 1000 + token,
    windowSentences: window,
    relationTypes: 1,
    random: { seed: 7, epoch },
  };
  const builder = new SelectionBuilder(1);
  addSegmentSelection(encoded, { doc: 0, start: 0, anchorEnd: sentences, end: sentences }, encoded.pairs, context, builder);
  return builder.build();
}

describe('multi-head selection: training pairs', () => {
  it('scores every ordered token pair of a sentence, with the gold relation between the arguments\' last tokens', () => {
    const { encoded, typeId } = encode(doc, 1);
    const lengths = encoded.sentences.map((s) => s.words.length);
    const { pairs, targets } = selectionOf(encoded, 1);
    // Within each sentence only (a one-sentence window), never a token with itself.
    expect(pairs.count).toBe(lengths.reduce((n, l) => n + l * (l - 1), 0));
    for (let i = 0; i < pairs.count; i++) {
      expect(Math.floor(pairs.fromRows[i] / 1000)).toBe(Math.floor(pairs.toRows[i] / 1000));
      expect(pairs.fromRows[i]).not.toBe(pairs.toRows[i]);
    }
    // Exactly one positive: Aspirin (token 0, a Drug) selects rash (token 3, an ADE).
    const positives = [...targets.keys()].filter((i) => targets[i] === 1);
    expect(positives).toHaveLength(1);
    const p = positives[0];
    expect([pairs.fromRows[p], pairs.toRows[p]]).toEqual([0, 3]);
    expect([pairs.fromLabels[p], pairs.toLabels[p]]).toEqual([1 + typeId('Drug'), 1 + typeId('ADE')]);
    expect(pairs.distance[p]).toBe(distanceBucket(3));
    // Tokens that head no entity have label 0.
    const labelOfRow = new Map<number, number>();
    for (let i = 0; i < pairs.count; i++) labelOfRow.set(pairs.fromRows[i], pairs.fromLabels[i]);
    expect(labelOfRow.get(1)).toBe(0);
    expect(labelOfRow.get(1000)).toBe(1 + typeId('Drug'));
  });

  it('crosses sentences only inside the window', () => {
    const { encoded } = encode(doc, 2);
    const total = encoded.sentences.reduce((n, s) => n + s.words.length, 0);
    expect(selectionOf(encoded, 2).pairs.count).toBe(total * (total - 1));
  });

  it('gives each entity ending on a token a slot of its own, so nested mentions can be related', () => {
    const nested = 'phenytoin hypersensitivity syndrome';
    const withNested: Document = {
      id: 'd2',
      text: nested,
      entities: [entity('T1', 'ADE', nested, nested), entity('T2', 'Drug', nested, 'phenytoin'), entity('T3', 'Drug', nested, 'syndrome')],
      relations: [{ id: 'R1', type: 'Causes', arg1: 'T3', arg2: 'T1', arg1Role: 'Arg1', arg2Role: 'Arg2' }],
    };
    const { encoded, typeId } = encode(withNested, 1);
    const { pairs, targets } = selectionOf(encoded, 1);
    // Three tokens, four slots (the last token heads two entities): 4 x 3 ordered pairs.
    expect(pairs.count).toBe(12);
    const p = [...targets.keys()].find((i) => targets[i] === 1)!;
    expect([pairs.fromRows[p], pairs.toRows[p]]).toEqual([2, 2]);
    expect([pairs.fromLabels[p], pairs.toLabels[p]]).toEqual([1 + typeId('Drug'), 1 + typeId('ADE')]);
    // From the drug's first token to the first token of the ADE that contains it, as the pair head measures it.
    expect(pairs.distance[p]).toBe(distanceBucket(-2));
  });

  it('caps a long sentence: every entity pair kept, a seeded sample of the rest', () => {
    const words = Array.from({ length: 120 }, (_, i) => (i === 0 ? 'Aspirin' : i === 119 ? 'rash' : `w${i}`));
    const long = words.join(' ');
    const longDoc: Document = {
      id: 'd3',
      text: long,
      entities: [entity('T1', 'Drug', long, 'Aspirin'), entity('T2', 'ADE', long, 'rash')],
      relations: [{ id: 'R1', type: 'Causes', arg1: 'T1', arg2: 'T2', arg1Role: 'Arg1', arg2Role: 'Arg2' }],
    };
    const { encoded } = encode(longDoc, 1);
    expect(120 * 119).toBeGreaterThan(SELECTION_PAIRS_PER_SEGMENT);
    const first = selectionOf(encoded, 1);
    expect(first.pairs.count).toBe(SELECTION_PAIRS_PER_SEGMENT);
    const pairsOf = (s: typeof first) => Array.from({ length: s.pairs.count }, (_, i) => `${s.pairs.fromRows[i]}>${s.pairs.toRows[i]}`);
    // The gold pair (Aspirin -> rash) and its reverse, both between entities, are kept.
    expect(first.targets.reduce((a, b) => a + b, 0)).toBe(1);
    const gold = first.targets.indexOf(1);
    const [from, to] = [first.pairs.fromRows[gold], first.pairs.toRows[gold]];
    expect(from).toBe(0);
    expect(to).toBe(encoded.sentences[0].words.length - 1);
    expect(pairsOf(first)).toContain(`${to}>${from}`);
    expect(pairsOf(selectionOf(encoded, 1))).toEqual(pairsOf(first));
    expect(pairsOf(selectionOf(encoded, 1, 2))).not.toEqual(pairsOf(first));
  });
});

describe('multi-head selection: prediction', () => {
  it('reads a candidate pair at its arguments\' last tokens, labelled with their types', () => {
    const features = {
      count: 2,
      arg1Rows: { offsets: Int32Array.from([0, 2, 3]), rows: Int32Array.from([4, 9, 1]) },
      arg2Rows: { offsets: Int32Array.from([0, 1, 3]), rows: Int32Array.from([6, 2, 8]) },
      arg1Type: Int32Array.from([0, 1]),
      arg2Type: Int32Array.from([1, 0]),
      distance: Int32Array.from([3, 12]),
    } as PairFeatures;
    const pairs = selectionPairsOf(features);
    expect([...pairs.fromRows]).toEqual([9, 1]);
    expect([...pairs.toRows]).toEqual([6, 8]);
    expect([...pairs.fromLabels]).toEqual([1, 2]);
    expect([...pairs.toLabels]).toEqual([2, 1]);
    expect([...pairs.distance]).toEqual([3, 12]);
  });

  it('turns sigmoid probabilities into class scores whose softmax keeps p(r) / p(no relation)', () => {
    const softmax = (row: Float32Array) => {
      const e = Array.from(row, Math.exp);
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    };
    // One type: exactly (1 - p, p).
    const [none, yes] = softmax(selectionClassScores(Float32Array.from([0.8]), 1));
    expect(none).toBeCloseTo(0.2, 5);
    expect(yes).toBeCloseTo(0.8, 5);
    // Two types: p(no relation) is the product of the complements; the ratios to it are the sigmoids'.
    const probs = softmax(selectionClassScores(Float32Array.from([0.5, 0.2]), 2));
    expect(probs[1] / probs[0]).toBeCloseTo(0.5 / (0.5 * 0.8), 4);
    expect(probs[2] / probs[0]).toBeCloseTo(0.2 / (0.5 * 0.8), 4);
  });
});

describe('relation scoring in chunks', () => {
  it.each(['pairs', 'selection'] as const)('scores a long pair list in slices exactly as in one pass (%s head)', (relationHead) => {
    const corpus = generateCorpus({ docs: 3, seed: 4, length: 'short' });
    const model = createModel(createReferenceKernels(), corpus, parseConfig({ hidden: 8, wordDim: 8, charFilters: 8, relHidden: 8, ensemble: 1, relationHead }));
    const encoded = corpus.map((d) => encodeDocument(d, model.vocabs, model.labels, model.config.windowSentences));
    const segments = encoded.map((d, doc) => ({ doc, start: 0, anchorEnd: d.sentences.length, end: d.sentences.length }));
    const assembled = assembleBatch(encoded, segments, (doc) => encoded[doc].pairs, model.config.charWindow);
    const n = assembled.pairs.count;
    expect(n).toBeGreaterThan(4);
    const g = new Graph(model.network.kernels, { training: false });
    const noise = streamNoise(new Rng(0));
    const states = model.network.encode(g, 're', assembled.inputs, assembled.inputs.words, noise);
    const score = model.network.relationScorer(g, states, noise);
    const whole = g.read(score(assembled.pairs));
    const cut = Math.floor(n / 3);
    const parts = [slicePairs(assembled.pairs, 0, cut), slicePairs(assembled.pairs, cut, n)].map((p) => g.read(score(p)));
    expect(Array.from([...parts[0], ...parts[1]])).toEqual(Array.from(whole));
    // The scorer is relationLogits, shared work or not.
    expect(Array.from(g.read(model.network.relationLogits(g, states, assembled.pairs, noise)))).toEqual(Array.from(whole));
  });
});
