/**
 * The PyTorch peer's three models (/work/shared/peers/torch_bench.py), built with the engine's own ops (Graph,
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
import { Rng } from '../engine/random.js';
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
  return { words, tags, lengths: new Int32Array(B).fill(T), arg1Rows, arg2Rows, labels };
}

export function createEngineModel(
  kernels: Kernels, kind: EngineModelKind, size: EngineModelSize = PEER_MODEL_SIZE, seed = 0,
  runner: DirectionRunner = sequentialRunner(kernels),
): EngineModel {
  const rng = new Rng(seed);
  const params = new ParameterStore(kernels);
  const { embedding: E, hidden: H, tags: K, steps: T, batch: B } = size;
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
  const adam = new Adam(kernels, params.list(), { lr: 1e-3 });
  const batch = makeBatch(size, rng);
  const P = (name: string) => params.get(name);
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
    return softmaxCrossEntropy(g, linear(g, hidden, P('rel.w2'), P('rel.b2')), batch.labels).loss;
  };

  /** Builds the loss and runs backward; the caller owns the arena mark. */
  const backward = (): number => {
    const g = new Graph(kernels, { training: true });
    const states = encode(g, 'ner');
    let loss = crfNll(g, emissions(g, states), batch.lengths, batch.tags, crf());
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
    params,
    lossAndGradients: () => scoped(backward),
    train: () =>
      scoped(() => {
        const loss = backward();
        adam.step();
        params.zeroGrads();
        return loss;
      }),
    infer: () =>
      scoped(() => {
        const g = new Graph(kernels, { training: false });
        return crfDecode(g, emissions(g, encode(g, 'ner')), batch.lengths, crf());
      }),
  };
}
