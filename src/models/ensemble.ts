/**
 * Ensembles (`config.ensemble` members): the same network trained K times from different seeds on the same data,
 * vocabulary and dev set, and averaged at prediction.
 *
 * Why averaging and not voting: the members' tag emissions and CRF scores are averaged and ONE Viterbi path is
 * decoded over the mean (the normalised product of the members' CRFs), so the ensemble's entities never overlap or
 * conflict, and any number of members works (a vote of two is only their intersection). Relation probabilities
 * are averaged per candidate pair. Members differ by initialisation, batch order, dropout and negative samples;
 * on ADE two members score above either one alone (src/models/README.md).
 *
 * On disk the first member's parameters keep their names, member k (from 2) has `member{k}.` in front, so a
 * one-member model's file is exactly a single network's.
 */
import { crfDecodeWithConfidence, type CrfDecoding } from './crf.js';
import type { Graph, Tensor } from '../engine/tensor.js';
import { loadParameters } from '../engine/safetensors.js';
import { MedrexError } from '../errors.js';
import { derivedRandom } from '../random.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { ModelConfig } from './config.js';
import type { ModelLabels } from './examples.js';
import type { TextVocabs } from './vocab.js';
import { ExtractionNetwork, type NetworkSizes } from './network.js';
import { weightsOf, type Weights } from './weights.js';

/**
 * The seed of member `index` (0-based): the model's own seed for the first member, so that a one-member model
 * trains exactly as a plain one; the others derived from it (never seed + k, which would make member 2 of seed 1
 * the same network as member 1 of seed 2 in a study that runs several seeds).
 */
export function memberSeed(seed: number, index: number): number {
  if (index === 0) return seed;
  return Math.floor(derivedRandom(seed, 'ensemble-member', index)() * 2 ** 31);
}

/** Each member's config: the model's, with the member's seed and one member. */
export function memberConfigs(config: ModelConfig): ModelConfig[] {
  return Array.from({ length: config.ensemble }, (_, i) => ({ ...config, seed: memberSeed(config.seed, i), ensemble: 1 }));
}

/**
 * The members of a model with this config, freshly initialised, each from its own seed; `pretrained` word vectors
 * (word id to vector) go into every member's word table.
 */
export function createMembers(
  kernels: Kernels, config: ModelConfig, vocabs: TextVocabs, labels: ModelLabels, pretrained?: Map<number, Float32Array>,
): ExtractionNetwork[] {
  const sizes: NetworkSizes = {
    words: vocabs.words.size,
    chars: vocabs.chars.size,
    tagLayers: labels.tagLayers.map((layer) => layer.tags.labels),
    entityTypes: labels.entityTypes.size,
    relationClasses: labels.relationTypes.size,
  };
  return memberConfigs(config).map((c) => new ExtractionNetwork(kernels, c, sizes, pretrained));
}

/** Name prefix of member `index` (0-based) in a weights file. */
export function memberPrefix(index: number): string {
  return index === 0 ? '' : `member${index + 1}.`;
}

/** All members' weights in one map, under their file names. */
export function ensembleWeights(members: readonly ExtractionNetwork[]): Weights {
  const all: Weights = new Map();
  members.forEach((member, i) => {
    for (const [name, t] of weightsOf(member.params)) all.set(`${memberPrefix(i)}${name}`, t);
  });
  return all;
}

/**
 * Loads a weights file into every member; names and shapes are checked as for one network, and a tensor that
 * belongs to no member (e.g. a second member in a file for a one-member config) is an error.
 */
export function loadEnsembleWeights(members: readonly ExtractionNetwork[], weights: Weights, file: string): void {
  const claimed = new Set<string>();
  members.forEach((member, i) => {
    const prefix = memberPrefix(i);
    const own: Weights = new Map();
    for (const p of member.params.list()) {
      const t = weights.get(`${prefix}${p.name}`);
      if (!t) {
        const why = i === 0 ? 'it was saved by a different model configuration' : `the card's config says ${members.length} ensemble members`;
        throw new MedrexError(`model file has no tensor ${prefix}${p.name}; ${why}`, { file, rule: 'model-tensor-missing' });
      }
      own.set(p.name, t);
      claimed.add(`${prefix}${p.name}`);
    }
    loadParameters(member.params, own, file);
  });
  const stray = [...weights.keys()].find((name) => !claimed.has(name));
  if (stray !== undefined) {
    throw new MedrexError(`model file has an unexpected tensor ${stray}`, { file, rule: 'model-tensor-unexpected' });
  }
}

/** Parameters of the whole ensemble. */
export function parameterTotal(model: { members: readonly ExtractionNetwork[] }): number {
  return model.members.reduce((n, m) => n + m.params.count(), 0);
}

/** Element-wise mean of equally long arrays. */
function mean(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays[0].length);
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[i] += a[i];
  for (let i = 0; i < out.length; i++) out[i] /= arrays.length;
  return out;
}

/**
 * The ensemble's tags for a batch, per tag layer: each member encodes the batch (`encode` gives its token states),
 * each layer's emissions and CRF scores are averaged over the members, and one Viterbi path per layer is decoded
 * with confidences. One member decodes as it always did.
 */
export function decodeEnsembleTags(
  g: Graph,
  members: readonly ExtractionNetwork[],
  encode: (member: ExtractionNetwork) => Tensor,
  lengths: Int32Array,
): CrfDecoding[] {
  if (members.length === 1) return members[0].decodeTags(g, encode(members[0]), lengths);
  const layers = members[0].tagLayerCount;
  let shapes: (readonly number[])[] = [];
  // One member's states at a time: its activations are given back once its emissions are read, so an ensemble's
  // peak memory per batch is one member's.
  const emissions = members.map((member) => {
    const mark = g.kernels.mark();
    try {
      const states = encode(member);
      const perLayer = Array.from({ length: layers }, (_, layer) => member.emissions(g, states, layer));
      shapes = perLayer.map((e) => e.shape);
      return perLayer.map((e) => g.read(e));
    } finally {
      g.kernels.reset(mark);
    }
  });
  return shapes.map((shape, layer) => {
    const scores = members.map((member) => member.crfScores(layer));
    const k = shape[2];
    const weights = {
      transitions: g.constant(mean(scores.map((s) => s.transitions)), [k, k]),
      start: g.constant(mean(scores.map((s) => s.start)), [k]),
      end: g.constant(mean(scores.map((s) => s.end)), [k]),
    };
    const averaged = g.constant(mean(emissions.map((perLayer) => perLayer[layer])), [...shape]);
    return crfDecodeWithConfidence(g, averaged, lengths, weights, members[0].tagConstraints(layer));
  });
}

/** Softmax of each row of `logits` ([rows, classes]), in double precision. */
function softmaxRows(logits: Float32Array, classes: number): Float64Array {
  const p = new Float64Array(logits.length);
  for (let offset = 0; offset < logits.length; offset += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[offset + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += p[offset + c] = Math.exp(logits[offset + c] - max);
    for (let c = 0; c < classes; c++) p[offset + c] /= sum;
  }
  return p;
}

/**
 * The mean of the members' class probabilities ([rows, classes]); `logitsOf(member)` gives one member's logits for
 * the same rows, and is called for one member at a time.
 */
export function meanProbabilities<M>(members: readonly M[], logitsOf: (member: M) => Float32Array, classes: number): Float64Array {
  const sum = softmaxRows(logitsOf(members[0]), classes);
  for (const member of members.slice(1)) {
    const p = softmaxRows(logitsOf(member), classes);
    for (let i = 0; i < p.length; i++) sum[i] += p[i];
  }
  if (members.length > 1) for (let i = 0; i < sum.length; i++) sum[i] /= members.length;
  return sum;
}
