/**
 * The networks, as one parameterised graph whose parts are shared or not according to `config.sharing`:
 *
 *   token features = word embedding (+ char CNN over the word's characters)      "embeddings"
 *   token states   = BiLSTM over the token features of each sentence            "encoder"
 *   NER head       = linear -> emissions -> linear-chain CRF (BIO tags)
 *   RE head        = [mean(arg1 states); mean(arg2 states); mean(states between); distance emb; type(arg1);
 *                     type(arg2)] -> dropout -> linear -> ReLU -> linear -> softmax over (NO_RELATION + types)
 *
 * The NER side and the RE side each have an embedder and an encoder. Sharing decides whether they are the same
 * parameters: `none` (pipeline, or a joint model that shares nothing), `embeddings` (one embedder, two BiLSTMs),
 * `encoder` (one embedder and one BiLSTM; the two heads read the same token states, computed once per batch).
 * Parameter names say which: `shared.embed.words`, `ner.encoder.fwd.wIh`, `re.head.w1`, ...
 *
 * Everything is time-major inside ([T, B, ...], row t * B + b), the layout of the engine's LSTM.
 */
import type { Kernels } from '../engine/kernels/types.js';
import { add, addBias, linear, matmul, relu, reshape, scale } from '../engine/ops/basic.js';
import { rowsMean } from '../engine/ops/pool.js';
import { charCnn } from '../engine/ops/conv.js';
import { dropout } from '../engine/ops/dropout.js';
import { sigmoidCrossEntropy, softmaxCrossEntropy } from '../engine/ops/loss.js';
import { biLstm, type DirectionRunner, type LstmWeights } from '../engine/ops/lstm.js';
import { concat, embedding, gatherRows, split, transpose01 } from '../engine/ops/shape.js';
import { lstmBias, orthogonalBlocks, uniform, xavierUniform } from '../engine/init.js';
import { ParameterStore, type Parameter } from '../engine/params.js';
import { Rng } from '../random.js';
import type { Graph, Tensor } from '../engine/tensor.js';
import type { TimeMajorBatch } from './batching.js';
import { encoderLayout, type EncoderLayout, type ModelConfig } from './config.js';
import { bioConstraints, crfNll, type CrfConstraints, type CrfWeights } from '../engine/ops/crf.js';
import { crfDecodeWithConfidence, type CrfDecoding } from './crf.js';
import { DISTANCE_BUCKETS, type PairFeatures, type RowLists } from './pairs.js';
import { selectionClassScores, selectionPairsOf, type SelectionPairs } from './selection.js';
import type { NoiseSource } from './noise.js';
import { PAD_ID, UNK_ID } from './vocab.js';
import { unpackLayer } from './tag-layers.js';

export type Side = 'ner' | 're';
/** Who owns a BiLSTM layer: both sides, or one. */
type EncoderOwner = 'shared' | Side;
const ENCODER_OWNERS: readonly EncoderOwner[] = ['shared', 'ner', 're'];

/** Parameter prefix of a layer: `ner.encoder` for a stack's first layer (the names of one-layer models), `ner.encoder.l1` above. */
function layerPrefix(owner: EncoderOwner, layer: number): string {
  return layer === 0 ? `${owner}.encoder` : `${owner}.encoder.l${layer}`;
}

/** Parameter prefix of tag layer `layer`: `ner.tagger` for the first (the names of one-layer models), `ner.tagger.l1` above. */
function taggerPrefix(layer: number): string {
  return layer === 0 ? 'ner.tagger' : `ner.tagger.l${layer}`;
}

/** Sizes that come from the data, not from the config. */
export interface NetworkSizes {
  words: number;
  chars: number;
  /** Each tag layer's tag names, in id order (one layer unless `config.tagLayers` is `per-type`; ./tag-layers.ts). */
  tagLayers: readonly (readonly string[])[];
  entityTypes: number;
  /** Relation classes including NO_RELATION. */
  relationClasses: number;
}

export class ExtractionNetwork {
  readonly params: ParameterStore;
  /** Which BiLSTM layers are shared and which belong to one side (config.ts, `encoderLayout`). */
  readonly layout: EncoderLayout;
  /** Per tag layer: which tag may follow which. */
  private readonly constraints: CrfConstraints[];
  /** Where the BiLSTM directions run (e.g. `createDirectionThreads(kernels).runner`); unset = one after the other here. */
  directionRunner: DirectionRunner | undefined;

  /**
   * Create every parameter, initialised from `config.seed`. `pretrained` (optional) overwrites rows of the word
   * embedding table(s): a map from word id to vector of length `config.wordDim`.
   */
  constructor(
    readonly kernels: Kernels,
    readonly config: ModelConfig,
    readonly sizes: NetworkSizes,
    pretrained?: Map<number, Float32Array>,
    /**
     * Parameters that already exist (a data-parallel worker's view of the main thread's weights, see
     * `ParameterStore.attach`): each one the network needs is checked by name and shape instead of created.
     */
    existing?: ParameterStore,
  ) {
    this.params = existing ?? new ParameterStore(kernels);
    this.layout = encoderLayout(config);
    this.constraints = sizes.tagLayers.map((tags) => bioConstraints(tags));
    const rng = new Rng(config.seed);
    const c = config;
    const P = existing ? existing.expecting() : this.params;
    // Initialisers: small uniform embeddings; Glorot for feed-forward weights; orthogonal gate blocks for the
    // recurrent weights and forget-gate bias 1 (both keep early gradients alive through time); zero CRF scores.
    const small = (v: Float32Array) => uniform(v, 0.1, rng);
    const glorot = (fanIn: number, fanOut: number) => (v: Float32Array) => xavierUniform(v, fanIn, fanOut, rng);
    const embedders = new Set([this.embedPrefix('ner'), this.embedPrefix('re')]);
    for (const prefix of embedders) {
      P.create(`${prefix}.words`, [sizes.words, c.wordDim], (v) => {
        small(v);
        if (pretrained) for (const [id, vector] of pretrained) v.set(vector, id * c.wordDim);
      });
      if (c.charFeatures) {
        P.create(`${prefix}.chars`, [sizes.chars, c.charDim], small);
        P.create(`${prefix}.charFilters`, [c.charWindow * c.charDim, c.charFilters], glorot(c.charWindow * c.charDim, c.charFilters));
        P.create(`${prefix}.charBias`, [c.charFilters]);
      }
    }
    const H = c.hidden;
    for (const owner of ENCODER_OWNERS) {
      for (let layer = 0; layer < this.layout[owner]; layer++) {
        const inputDim = this.layerInputDim(owner, layer);
        const prefix = layerPrefix(owner, layer);
        for (const dir of ['fwd', 'bwd']) {
          P.create(`${prefix}.${dir}.wIh`, [inputDim, 4 * H], glorot(inputDim, 4 * H));
          P.create(`${prefix}.${dir}.wHh`, [H, 4 * H], (v) => orthogonalBlocks(v, H, 4 * H, rng));
          P.create(`${prefix}.${dir}.bias`, [4 * H], (v) => lstmBias(v, H));
        }
      }
    }
    sizes.tagLayers.forEach((tags, layer) => {
      const k = tags.length;
      const prefix = taggerPrefix(layer);
      P.create(`${prefix}.w`, [2 * H, k], glorot(2 * H, k));
      P.create(`${prefix}.b`, [k]);
      P.create(`${prefix}.transitions`, [k, k]);
      P.create(`${prefix}.start`, [k]);
      P.create(`${prefix}.end`, [k]);
    });
    if (c.lmLossWeight > 0) {
      for (const dir of ['fwd', 'bwd']) {
        P.create(`ner.lm.${dir}.w`, [H, this.lmClasses()], glorot(H, this.lmClasses()));
        P.create(`ner.lm.${dir}.b`, [this.lmClasses()]);
      }
    }
    if (c.relationHead === 'selection') {
      // U [h_from; label_from] + W [h_to; label_to] + b, split by input so that each token's part is computed once
      // and gathered per pair (./selection.ts); label 0 is "heads no entity".
      const l = c.relHidden;
      const types = this.selectionTypes();
      P.create('re.select.labels', [1 + Math.max(1, sizes.entityTypes), c.typeDim], small);
      for (const end of ['from', 'to']) {
        P.create(`re.select.${end}.state`, [2 * H, l], glorot(2 * H + c.typeDim, l));
        P.create(`re.select.${end}.label`, [c.typeDim, l], glorot(2 * H + c.typeDim, l));
      }
      P.create('re.select.bias', [l]);
      // Not in Bekoulis et al.: the signed token distance between the arguments, as the pair head has it.
      P.create('re.select.distance', [DISTANCE_BUCKETS, l], small);
      P.create('re.select.out', [l, types], glorot(l, types));
      P.create('re.select.outBias', [types]);
    } else {
      P.create('re.head.distance', [DISTANCE_BUCKETS, c.distanceDim], small);
      P.create('re.head.types', [Math.max(1, sizes.entityTypes), c.typeDim], small);
      P.create('re.head.w1', [this.pairDim(), c.relHidden], glorot(this.pairDim(), c.relHidden));
      P.create('re.head.b1', [c.relHidden]);
      P.create('re.head.w2', [c.relHidden, sizes.relationClasses], glorot(c.relHidden, sizes.relationClasses));
      P.create('re.head.b2', [sizes.relationClasses]);
    }
  }

  /** Sigmoid columns of the selection head: one per relation type (at least one, so the shapes are valid). */
  selectionTypes(): number {
    return Math.max(1, this.sizes.relationClasses - 1);
  }

  /**
   * Classes of the auxiliary language model: word ids below this (the vocabulary is in frequency order, after PAD
   * and UNK); class PAD_ID stands for the sentence boundary, UNK_ID for every rarer word.
   */
  lmClasses(): number {
    return Math.max(2, Math.min(this.config.lmVocab, this.sizes.words));
  }

  embedPrefix(side: Side): string {
    return this.layout.sharedEmbeddings ? 'shared.embed' : `${side}.embed`;
  }

  /** Input width of a layer: token features for the first layer a side reads, 2 x hidden above it. */
  private layerInputDim(owner: EncoderOwner, layer: number): number {
    const first = owner === 'shared' || this.layout.shared === 0 ? layer === 0 : false;
    return first ? this.tokenFeatureDim() : 2 * this.config.hidden;
  }

  tokenFeatureDim(): number {
    return this.config.wordDim + (this.config.charFeatures ? this.config.charFilters : 0);
  }

  pairDim(): number {
    return 3 * 2 * this.config.hidden + this.config.distanceDim + 2 * this.config.typeDim;
  }

  /** The parameters a training phase updates: one side's, or all of them. */
  parametersOf(side: Side | 'all'): Parameter[] {
    if (side === 'all') return [...this.params.list()];
    return this.parameterNames(side).map((name) => this.params.get(name));
  }

  /** Parameter names that a side's loss reaches (the NER side: embedder, encoder, tagger; likewise for RE). */
  parameterNames(side: Side): string[] {
    const heads = side === 'ner' ? ['ner.tagger', 'ner.lm'] : ['re.head', 're.select'];
    const prefixes = [this.embedPrefix(side), 'shared.encoder', `${side}.encoder`, ...heads];
    return this.params
      .list()
      .map((p) => p.name)
      .filter((name) => prefixes.some((p) => name.startsWith(`${p}.`)));
  }

  /**
   * Token states [T, B, 2H] of one side. `words` are the (possibly word-dropped) ids; `noise` drives dropout and
   * is only drawn from in training graphs.
   */
  encode(g: Graph, side: Side, batch: TimeMajorBatch, words: Int32Array, noise: NoiseSource): Tensor {
    return this.encodeSides(g, [side], batch, words, noise)[side] as Tensor;
  }

  /**
   * Token states of several sides at once: what they share (embeddings, shared layers) is computed once, then each
   * side's own layers run on top. Dropout follows the features and every layer.
   */
  encodeSides(
    g: Graph, sides: readonly Side[], batch: TimeMajorBatch, words: Int32Array, noise: NoiseSource,
  ): Partial<Record<Side, Tensor>> {
    const features = new Map<string, Tensor>();
    const featuresOf = (side: Side): Tensor => {
      const prefix = this.embedPrefix(side);
      let f = features.get(prefix);
      if (!f) {
        f = dropout(g, this.embed(g, prefix, batch, words), this.config.dropout, noise.timeMajor(`${prefix}.features`));
        features.set(prefix, f);
      }
      return f;
    };
    let shared: Tensor | null = null;
    const out: Partial<Record<Side, Tensor>> = {};
    for (const side of sides) {
      let states: Tensor;
      if (this.layout.shared > 0) {
        shared ??= this.runLayers(g, 'shared', featuresOf(side), batch.lengths, noise);
        states = shared;
      } else {
        states = featuresOf(side);
      }
      out[side] = this.runLayers(g, side, states, batch.lengths, noise);
    }
    return out;
  }

  /** Word embedding (+ char CNN features) of a batch: [T, B, tokenFeatureDim]. */
  private embed(g: Graph, prefix: string, batch: TimeMajorBatch, words: Int32Array): Tensor {
    const c = this.config;
    const P = this.params;
    const { steps: T, batch: B } = batch;
    let features = embedding(g, P.get(`${prefix}.words`), words, [T, B]);
    if (c.charFeatures) {
      const charEmb = embedding(g, P.get(`${prefix}.chars`), batch.chars, [T * B, batch.maxChars]);
      const charFeatures = charCnn(
        g,
        charEmb,
        { filters: P.get(`${prefix}.charFilters`), bias: P.get(`${prefix}.charBias`) },
        { width: c.charWindow, lengths: batch.charLengths },
      );
      features = concat(g, [features, reshape(g, charFeatures, [T, B, c.charFilters])]);
    }
    return features;
  }

  /** An owner's BiLSTM layers over `input`, each followed by dropout (none: `input` unchanged). */
  private runLayers(g: Graph, owner: EncoderOwner, input: Tensor, lengths: Int32Array, noise: NoiseSource): Tensor {
    let states = input;
    for (let layer = 0; layer < this.layout[owner]; layer++) {
      const prefix = layerPrefix(owner, layer);
      const weights = (dir: string): LstmWeights => ({
        wIh: this.params.get(`${prefix}.${dir}.wIh`),
        wHh: this.params.get(`${prefix}.${dir}.wHh`),
        bias: this.params.get(`${prefix}.${dir}.bias`),
      });
      states = biLstm(g, states, lengths, weights('fwd'), weights('bwd'), this.directionRunner);
      states = dropout(g, states, this.config.dropout, noise.timeMajor(`${prefix}.states`));
    }
    return states;
  }

  /** Tag layers (one unless `config.tagLayers` is `per-type`). */
  get tagLayerCount(): number {
    return this.sizes.tagLayers.length;
  }

  /** Emissions [B, T, K] of tag layer `layer` (batch-major, as the CRF reads them) from token states [T, B, 2H]. */
  emissions(g: Graph, states: Tensor, layer = 0): Tensor {
    const prefix = taggerPrefix(layer);
    const scores = linear(g, states, this.params.get(`${prefix}.w`), this.params.get(`${prefix}.b`));
    return transpose01(g, scores);
  }

  /** Copies of a tag layer's CRF transition, start and end scores (an ensemble averages them, ./ensemble.ts). */
  crfScores(layer = 0): { transitions: Float32Array; start: Float32Array; end: Float32Array } {
    const prefix = taggerPrefix(layer);
    const values = (name: string) => this.params.values(this.params.get(`${prefix}.${name}`)).slice();
    return { transitions: values('transitions'), start: values('start'), end: values('end') };
  }

  /** Which tag of a layer may follow which (BIO or BIOES), and which may start a sentence. */
  tagConstraints(layer = 0): CrfConstraints {
    return this.constraints[layer];
  }

  private crfWeights(layer: number): CrfWeights {
    const prefix = taggerPrefix(layer);
    return {
      transitions: this.params.get(`${prefix}.transitions`),
      start: this.params.get(`${prefix}.start`),
      end: this.params.get(`${prefix}.end`),
    };
  }

  /**
   * Mean CRF NLL over the sentences with a non-zero entry in `scoredLengths` (the others, e.g. context-only
   * sentences of a segment, do not count), summed over the tag layers. `tags` is B x T, packed over the layers
   * (./tag-layers.ts). A shard of a batch passes the whole batch's count of scored sentences as `scoredInBatch`, so
   * that the shards' losses add up to the batch's mean.
   */
  tagLoss(g: Graph, states: Tensor, tags: Int32Array, scoredLengths: Int32Array, scoredInBatch?: number): Tensor {
    let scored = scoredInBatch ?? 0;
    if (scoredInBatch === undefined) for (const l of scoredLengths) if (l > 0) scored++;
    const sizes = this.sizes.tagLayers.map((layer) => layer.length);
    let total: Tensor | null = null;
    for (let layer = 0; layer < sizes.length; layer++) {
      const nll = crfNll(g, this.emissions(g, states, layer), scoredLengths, unpackLayer(sizes, tags, layer), this.crfWeights(layer), {
        constraints: this.constraints[layer],
        reduction: 'sum',
      });
      total = total === null ? nll : add(g, total, nll);
    }
    return scale(g, total as Tensor, scored > 0 ? 1 / scored : 0);
  }

  /**
   * The auxiliary language-model loss (`config.lmLossWeight`) over the scored rows of the NER side's one-layer
   * states [T, B, 2H]: the forward half at t predicts word t + 1, the backward half word t - 1 (the boundary class
   * past either end); the mean of the two directions' cross-entropies. `words` are the true ids, time-major (not
   * the word-dropped input). A shard passes the whole batch's scored token count as `tokensInBatch` (see tagLoss).
   */
  languageModelLoss(
    g: Graph, states: Tensor, words: Int32Array, lengths: Int32Array, scoredLengths: Int32Array, tokensInBatch?: number,
  ): Tensor {
    const [T, B] = [states.shape[0], states.shape[1]];
    const H = this.config.hidden;
    const classes = this.lmClasses();
    const classOf = (id: number) => (id < classes ? id : UNK_ID);
    const next = new Int32Array(T * B).fill(-1);
    const previous = new Int32Array(T * B).fill(-1);
    let tokens = 0;
    for (let b = 0; b < B; b++) {
      if (scoredLengths[b] === 0) continue;
      const length = lengths[b];
      tokens += length;
      for (let t = 0; t < length; t++) {
        next[t * B + b] = t + 1 < length ? classOf(words[(t + 1) * B + b]) : PAD_ID;
        previous[t * B + b] = t > 0 ? classOf(words[(t - 1) * B + b]) : PAD_ID;
      }
    }
    const normaliser = tokensInBatch ?? tokens;
    const [forward, backward] = split(g, reshape(g, states, [T * B, 2 * H]), [H, H]);
    const P = this.params;
    const direction = (dir: string, halfStates: Tensor, targets: Int32Array) =>
      softmaxCrossEntropy(g, linear(g, halfStates, P.get(`ner.lm.${dir}.w`), P.get(`ner.lm.${dir}.b`)), targets, undefined, { normaliser }).loss;
    return scale(g, add(g, direction('fwd', forward, next), direction('bwd', backward, previous)), 0.5);
  }

  /** Each tag layer's Viterbi path with a confidence per token. */
  decodeTags(g: Graph, states: Tensor, lengths: Int32Array): CrfDecoding[] {
    return this.constraints.map((constraints, layer) =>
      crfDecodeWithConfidence(g, this.emissions(g, states, layer), lengths, this.crfWeights(layer), constraints),
    );
  }

  /**
   * Multi-head selection logits [pairs, relation types] (one sigmoid each) of slot pairs (./selection.ts) from token
   * states [T, B, 2H]: out . ReLU(U [h_from; label_from] + W [h_to; label_to] + D[distance] + b) + outBias.
   */
  selectionLogits(g: Graph, states: Tensor, pairs: SelectionPairs): Tensor {
    return this.selectionScorer(g, states)(pairs);
  }

  /**
   * `selectionLogits` for any number of pair lists over the same states: the per-token and per-label parts of U and
   * W are computed here once, so that scoring the pairs chunk by chunk does not redo them for every chunk.
   */
  private selectionScorer(g: Graph, states: Tensor): (pairs: SelectionPairs) => Tensor {
    const P = this.params;
    const flat = reshape(g, states, [states.shape[0] * states.shape[1], states.shape[2]]);
    const labels = P.get('re.select.labels');
    const project = (name: 'from' | 'to') => ({
      tokens: matmul(g, flat, P.get(`re.select.${name}.state`)),
      labels: matmul(g, labels, P.get(`re.select.${name}.label`)),
    });
    const from = project('from');
    const to = project('to');
    return (pairs) => {
      const end = (part: typeof from, rows: Int32Array, labelIds: Int32Array) =>
        add(g, gatherRows(g, part.tokens, rows), gatherRows(g, part.labels, labelIds));
      const ends = add(g, end(from, pairs.fromRows, pairs.fromLabels), end(to, pairs.toRows, pairs.toLabels));
      const withDistance = add(g, ends, gatherRows(g, P.get('re.select.distance'), pairs.distance));
      const hidden = relu(g, addBias(g, withDistance, P.get('re.select.bias')));
      return linear(g, hidden, P.get('re.select.out'), P.get('re.select.outBias'));
    };
  }

  /** Summed sigmoid cross-entropy of selection logits against 0/1 targets, divided by `normaliser` (anchor sentences). */
  selectionLoss(g: Graph, logits: Tensor, targets: Float32Array, normaliser: number): Tensor {
    return sigmoidCrossEntropy(g, logits, targets, { normaliser }).loss;
  }

  /**
   * Relation class scores [pairs, classes] from token states [T, B, 2H] and the pairs' features: the pair head's
   * logits, or for the selection head scores whose softmax is its class probabilities (`selectionClassScores`).
   */
  relationLogits(g: Graph, states: Tensor, pairs: PairFeatures, noise: NoiseSource): Tensor {
    return this.relationScorer(g, states, noise)(pairs);
  }

  /**
   * `relationLogits` for several pair lists over the same states (prediction scores a long list chunk by chunk):
   * what every chunk shares is computed once, here.
   */
  relationScorer(g: Graph, states: Tensor, noise: NoiseSource): (pairs: PairFeatures) => Tensor {
    if (this.config.relationHead === 'pairs') return (pairs) => this.pairLogits(g, states, pairs, noise);
    const score = this.selectionScorer(g, states);
    const classes = this.sizes.relationClasses;
    return (pairs) => {
      const probabilities = g.read(score(selectionPairsOf(pairs))).map((x) => 1 / (1 + Math.exp(-x)));
      const scores = selectionClassScores(probabilities, this.selectionTypes());
      return g.constant(scores.subarray(0, pairs.count * classes), [pairs.count, classes]);
    };
  }

  /** The pair head's logits [pairs, classes]. */
  private pairLogits(g: Graph, states: Tensor, pairs: PairFeatures, noise: NoiseSource): Tensor {
    const P = this.params;
    const flat = reshape(g, states, [states.shape[0] * states.shape[1], states.shape[2]]);
    const pool = (lists: RowLists) => rowsMean(g, flat, lists.offsets, lists.rows);
    const features = concat(g, [
      pool(pairs.arg1Rows),
      pool(pairs.arg2Rows),
      pool(pairs.betweenRows),
      embedding(g, P.get('re.head.distance'), pairs.distance),
      embedding(g, P.get('re.head.types'), pairs.arg1Type),
      embedding(g, P.get('re.head.types'), pairs.arg2Type),
    ]);
    const hidden = relu(g, linear(g, dropout(g, features, this.config.dropout, noise.pairRows('re.pairs')), P.get('re.head.w1'), P.get('re.head.b1')));
    return linear(g, hidden, P.get('re.head.w2'), P.get('re.head.b2'));
  }

  /**
   * Weighted mean softmax cross-entropy of relation logits; also the class probabilities. A shard of a batch
   * passes the whole batch's `relationWeight(labels)` as `weightInBatch` (see tagLoss).
   */
  relationLoss(g: Graph, logits: Tensor, labels: Int32Array, weightInBatch?: number): { loss: Tensor; probs: Tensor } {
    return softmaxCrossEntropy(g, logits, labels, this.classWeights(), { normaliser: weightInBatch });
  }

  /** The relation loss's class weights: NO_RELATION gets `noneClassWeight`, every relation type 1. */
  classWeights(): Float32Array {
    const weights = new Float32Array(this.sizes.relationClasses).fill(1);
    weights[0] = this.config.noneClassWeight;
    return weights;
  }
}
