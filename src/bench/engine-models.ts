/**
 * The PyTorch peer's three models (../shared/peers/torch_bench.py), built with the engine's own ops (Graph,
 * ParameterStore, embedding, biLstm, linear, crfNll, softmaxCrossEntropy, Adam): the same ops `src/models` uses,
 * so these figures are what the real models can reach, autograd bookkeeping included.
 *
 *   tagger   embedding 20000 x 100 -> BiLSTM 128/dir -> linear 19 -> CRF NLL (mean over sentences)
 *   joint    the tagger's encoder shared with a relation head: for 20 pairs per sentence, each argument is the
 *            mean of a 2-token span's states; [arg1; arg2] (4H) -> 256 ReLU -> 9 classes, softmax CE; loss summed
 *   pipeline the tagger plus a second encoder (own embedding and BiLSTM) under the relation head
 *
 * Every sentence is full length, as in the peer. A `DirectionRunner` decides where the BiLSTM directions run.
 */
import type { Kernels } from '../engine/kernels/types.js';
import { uniform } from '../engine/init.js';
import { add, linear, relu, reshape, scale } from '../engine/ops/basic.js';
import { crfDecode, crfNll } from '../engine/ops/crf.js';
import { softmaxCrossEntropy } from '../engine/ops/loss.js';
import { biLstm, sequentialRunner, type DirectionRunner, type LstmWeights } from '../engine/ops/lstm.js';
import { concat, embedding, gatherRows, transpose01 } from '../engine/ops/shape.js';
import { Adam } from '../engine/optim.js';
import { ParameterStore } from '../engine/params.js';
import { Rng } from '../random.js';
import { Graph, type Tensor } from '../engine/tensor.js';

export type EngineModelKind = 'tagger' | 'joint' | 'pipeline';
export const ENGINE_MODEL_KINDS: readonly EngineModelKind[] = ['tagger', 'joint', 'pipeline'];

export interface EngineModelSize {
  vocab: number;
  embedding: number;
  hidden: number;
  tags: number;
  batch: number;
  steps: number;
  pairs: number;
  relHidden: number;
  relations: number;
}

export const PEER_MODEL_SIZE: EngineModelSize = {
  vocab: 20_000, embedding: 100, hidden: 128, tags: 19, batch: 32, steps: 40, pairs: 20, relHidden: 256, relations: 9,
};

export interface EngineModel {
  readonly kind: EngineModelKind;
  readonly params: ParameterStore;
  /** Forward, loss, backward and an Adam step; returns the loss before the update. */
  train(): number;
  /** Forward and loss only, gradients left in the parameters (for comparing runners). */
  lossAndGradients(): number;
  /** Tagger forward and Viterbi decoding, no tape. */
  infer(): number[][];
}

/** A synthetic batch drawn from `seed`, laid out as the engine wants it. */
interface Batch {
  /** Sentences in this batch (all of them, or one shard's). */
  size: number;
  /** Word ids, time-major ([T, B], row t * B + b). */
  words: Int32Array;
  /** Gold tags, batch-major ([B, T]) as the CRF reads them. */
  tags: Int32Array;
  lengths: Int32Array;
  /** Per pair (B * P of them): the flattened state rows of each argument's 2-token span. */
  arg1Rows: [Int32Array, Int32Array];
  arg2Rows: [Int32Array, Int32Array];
  labels: Int32Array;
}

function makeBatch(size: EngineModelSize, rng: Rng): Batch {
  const { batch: B, steps: T, pairs: P } = size;
  const int = (n: number): number => Math.floor(rng.next() * n);
  const words = Int32Array.from({ length: T * B }, () => int(size.vocab));
  const tags = Int32Array.from({ length: B * T }, () => int(size.tags));
  const spanRows = (): [Int32Array, Int32Array] => {
    const first = new Int32Array(B * P);
    const second = new Int32Array(B * P);
    for (let b = 0; b < B; b++) {
      for (let p = 0; p < P; p++) {
        const start = int(T - 1); // a 2-token span starting at `start` (time-major rows)
        first[b * P + p] = start * B + b;
        second[b * P + p] = (start + 1) * B + b;
      }
    }
    return [first, second];
  };
  const arg1Rows = spanRows();
  const arg2Rows = spanRows();
  const labels = Int32Array.from({ length: B * P }, () => int(size.relations));
  return { size: B, words, tags, lengths: new Int32Array(B).fill(T), arg1Rows, arg2Rows, labels };
}

/** Sentences [start, end) of a batch, re-laid out as a batch of their own (for data-parallel shards). */
export function sliceBatch(batch: Batch, steps: number, pairs: number, start: number, end: number): Batch {
  const B = batch.size;
  const S = end - start;
  const words = new Int32Array(steps * S);
  for (let t = 0; t < steps; t++) for (let b = start; b < end; b++) words[t * S + b - start] = batch.words[t * B + b];
  // A state row t * B + b of the whole batch is row t * S + (b - start) of the shard.
  const remap = (rows: Int32Array): Int32Array =>
    Int32Array.from(rows.subarray(start * pairs, end * pairs), (row) => Math.floor(row / B) * S + (row % B) - start);
  return {
    size: S,
    words,
    tags: batch.tags.slice(start * steps, end * steps),
    lengths: batch.lengths.slice(start, end),
    arg1Rows: [remap(batch.arg1Rows[0]), remap(batch.arg1Rows[1])],
    arg2Rows: [remap(batch.arg2Rows[0]), remap(batch.arg2Rows[1])],
    labels: batch.labels.slice(start * pairs, end * pairs),
  };
}

/** For data-parallel use: build the model over existing weights and/or on a slice of the batch. */
export interface EngineModelShard {
  /** The main thread's weights, attached (a worker's view); the model then has no optimiser of its own. */
  params?: ParameterStore;
  /** Sentences [start, end) of the batch; the losses stay divided by the whole batch's sizes. */
  rows?: [number, number];
}

export function createEngineModel(
  kernels: Kernels, kind: EngineModelKind, size: EngineModelSize = PEER_MODEL_SIZE, seed = 0,
  runner: DirectionRunner = sequentialRunner(kernels), shard: EngineModelShard = {},
): EngineModel {
  const rng = new Rng(seed);
  const store = shard.params ?? new ParameterStore(kernels);
  const params = shard.params ? store.expecting() : store;
  const { embedding: E, hidden: H, tags: K, steps: T } = size;
  const init = (v: Float32Array): void => uniform(v, 0.1, rng);
  const encoders = kind === 'pipeline' ? ['ner', 're'] : ['ner'];
  for (const enc of encoders) {
    params.create(`${enc}.words`, [size.vocab, E], init);
    for (const dir of ['fwd', 'bwd']) {
      params.create(`${enc}.${dir}.wIh`, [E, 4 * H], init);
      params.create(`${enc}.${dir}.wHh`, [H, 4 * H], init);
      params.create(`${enc}.${dir}.bias`, [4 * H], init);
    }
  }
  params.create('tagger.w', [2 * H, K], init);
  params.create('tagger.b', [K], init);
  params.create('tagger.transitions', [K, K]);
  params.create('tagger.start', [K]);
  params.create('tagger.end', [K]);
  if (kind !== 'tagger') {
    params.create('rel.w1', [4 * H, size.relHidden], init);
    params.create('rel.b1', [size.relHidden], init);
    params.create('rel.w2', [size.relHidden, size.relations], init);
    params.create('rel.b2', [size.relations], init);
  }
  // Made at the first `train()` (a data-parallel owner never trains itself, and needs no moments).
  let adam: Adam | null = null;
  // The batch has its own stream, so that a worker (which skips the initialisers) draws the very same batch.
  const whole = makeBatch(size, new Rng(seed + 7919));
  const batch = shard.rows ? sliceBatch(whole, T, size.pairs, shard.rows[0], shard.rows[1]) : whole;
  const B = batch.size;
  const P = (name: string) => store.get(name);
  const crf = () => ({ transitions: P('tagger.transitions'), start: P('tagger.start'), end: P('tagger.end') });

  const encode = (g: Graph, enc: string): Tensor => {
    const features = embedding(g, P(`${enc}.words`), batch.words, [T, B]);
    const w = (dir: string): LstmWeights => ({ wIh: P(`${enc}.${dir}.wIh`), wHh: P(`${enc}.${dir}.wHh`), bias: P(`${enc}.${dir}.bias`) });
    return biLstm(g, features, batch.lengths, w('fwd'), w('bwd'), runner);
  };
  const emissions = (g: Graph, states: Tensor): Tensor => transpose01(g, linear(g, states, P('tagger.w'), P('tagger.b')));

  const relationLoss = (g: Graph, states: Tensor): Tensor => {
    const flat = reshape(g, states, [T * B, 2 * H]);
    const spanMean = ([first, second]: [Int32Array, Int32Array]): Tensor =>
      scale(g, add(g, gatherRows(g, flat, first), gatherRows(g, flat, second)), 0.5);
    const pairs = concat(g, [spanMean(batch.arg1Rows), spanMean(batch.arg2Rows)]);
    const hidden = relu(g, linear(g, pairs, P('rel.w1'), P('rel.b1')));
    // Divided by the whole batch's pair count, so that the shards' losses add up to the batch's mean.
    return softmaxCrossEntropy(g, linear(g, hidden, P('rel.w2'), P('rel.b2')), batch.labels, undefined, {
      normaliser: size.batch * size.pairs,
    }).loss;
  };

  /** Builds the loss and runs backward; the caller owns the arena mark. */
  const backward = (): number => {
    const g = new Graph(kernels, { training: true });
    const states = encode(g, 'ner');
    const nll = crfNll(g, emissions(g, states), batch.lengths, batch.tags, crf(), { reduction: 'sum' });
    let loss = scale(g, nll, 1 / size.batch); // mean over the whole batch's sentences
    if (kind === 'joint') loss = add(g, loss, relationLoss(g, states));
    if (kind === 'pipeline') loss = add(g, loss, relationLoss(g, encode(g, 're')));
    g.backward(loss);
    return g.read(loss)[0];
  };

  const scoped = <R>(body: () => R): R => {
    const mark = kernels.mark();
    try {
      return body();
    } finally {
      kernels.reset(mark);
    }
  };

  return {
    kind,
    params: store,
    lossAndGradients: () => scoped(backward),
    train: () => {
      if (shard.params) throw new Error('a model over attached weights has no optimiser: the main thread steps');
      adam ??= new Adam(kernels, store.list(), { lr: 1e-3 }); // outside the step's scope: moments persist
      const optimizer = adam;
      return scoped(() => {
        const loss = backward();
        optimizer.step();
        store.zeroGrads();
        return loss;
      });
    },
    infer: () =>
      scoped(() => {
        const g = new Graph(kernels, { training: false });
        return crfDecode(g, emissions(g, encode(g, 'ner')), batch.lengths, crf());
      }),
  };
}
