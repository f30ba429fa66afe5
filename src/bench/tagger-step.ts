/**
 * The benchmark's BiLSTM-CRF tagger (the PyTorch peer's `tagger`: embedding 20000 x 100, BiLSTM 128 per
 * direction, linear to 19 tags, CRF negative log-likelihood, Adam), one training / inference step written
 * directly against the kernels. It measures what the kernels allow before any autograd bookkeeping: the engine's
 * own tagger should approach it. All buffers are allocated once; a step allocates nothing.
 */
import { align16 } from '../engine/kernels/arena.js';
import type { Kernels, Ptr } from '../engine/kernels/types.js';
import { sequentialRunner, type DirectionRunner, type LstmDirection } from '../engine/ops/lstm.js';
import { Rng } from '../random.js';

export interface TaggerSize {
  vocab: number;
  embedding: number;
  hidden: number;
  tags: number;
  batch: number;
  steps: number;
}

export const PEER_TAGGER: TaggerSize = { vocab: 20_000, embedding: 100, hidden: 128, tags: 19, batch: 32, steps: 40 };

export interface TaggerStep {
  readonly size: TaggerSize;
  /** The two directions as the engine's LSTM runs them (`engine/ops/lstm.ts`; sizes and pointers only). */
  readonly directions: readonly LstmDirection[];
  /** One training step (forward, CRF loss, backward, Adam); returns the summed loss. */
  train(): number;
  /** Forward, loss and gradients without the update (for gradient checks). */
  lossAndGradients(): number;
  /** Where parameter `name` and its gradient live (names: emb, wIh0, wHh0, b0, wIh1, ..., trans, start, end). */
  param(name: string): { value: Ptr; grad: Ptr; length: number };
  /** Forward and Viterbi decoding. */
  infer(): void;
  /** Multiply-adds x 2 of one training step's matrix products (for achieved GFLOP/s). */
  readonly trainFlops: number;
}

/**
 * @param initScale parameters start uniform in [-initScale, initScale] (tests use large weights so that the
 *   recurrent paths carry a visible share of every gradient).
 * @param runner runs the two directions: the engine's `sequentialRunner` by default, or the runner of the
 *   engine's `createDirectionThreads` (one direction per thread).
 */
export function createTaggerStep(
  k: Kernels, size: TaggerSize = PEER_TAGGER, seed = 0, initScale = 0.1, runner: DirectionRunner = sequentialRunner(k),
): TaggerStep {
  const { vocab: V, embedding: E, hidden: H, tags: K, batch: B, steps: T } = size;
  const G = 4 * H;
  const rng = new Rng(seed);

  // Parameters live in one block (and their gradients / Adam moments in parallel blocks of the same layout),
  // so that zeroing gradients and the Adam update are one call each.
  const layout: [string, number][] = [
    ['emb', V * E], ['wIh0', E * G], ['wHh0', H * G], ['b0', G], ['wIh1', E * G], ['wHh1', H * G], ['b1', G],
    ['wOut', 2 * H * K], ['bOut', K], ['trans', K * K], ['start', K], ['end', K],
  ];
  const offsets = new Map<string, number>();
  let total = 0;
  for (const [name, n] of layout) {
    offsets.set(name, total);
    total += Math.ceil(n / 4) * 4; // keep every tensor 16-byte aligned
  }
  const params = k.alloc(total * 4);
  const grads = k.alloc(total * 4);
  const adamM = k.alloc(total * 4);
  const adamV = k.alloc(total * 4);
  const p = (name: string): Ptr => params + offsets.get(name)! * 4;
  const g = (name: string): Ptr => grads + offsets.get(name)! * 4;
  {
    const all = k.f32(params, total);
    for (let i = 0; i < total; i++) all[i] = rng.uniform(-initScale, initScale);
    k.fill(adamM, total, 0);
    k.fill(adamV, total, 0);
  }

  const f32 = (n: number): Ptr => k.alloc(n * 4);
  const ids = k.alloc(T * B * 4); // time-major word ids
  const tagsBm = k.alloc(B * T * 4); // batch-major gold tags
  const lengths = k.alloc(B * 4);
  {
    const idv = k.i32(ids, T * B);
    for (let i = 0; i < T * B; i++) idv[i] = rng.int(V);
    const tv = k.i32(tagsBm, B * T);
    for (let i = 0; i < B * T; i++) tv[i] = rng.int(K);
    k.i32(lengths, B).fill(T);
  }
  const x = f32(T * B * E);
  const dX = f32(T * B * E);
  const dXReverse = f32(T * B * E); // the reverse direction's own input gradient (the directions may run at once)
  const mask = f32(T * B); // every step is real: the batch is not padded
  k.f32(mask, T * B).fill(1);
  const zeros = f32(B * H);
  k.fill(zeros, B * H, 0);
  const emissions = f32(B * T * K); // batch-major, as the CRF wants
  const dEmissions = f32(B * T * K);
  const outTags = k.alloc(B * T * 4);
  const directions: LstmDirection[] = [0, 1].map((d) => ({
    reverse: d === 1, steps: T, batch: B, input: E, hidden: H,
    x, wIh: p(`wIh${d}`), wHh: p(`wHh${d}`), bias: p(`b${d}`), mask, zeros,
    gates: f32(T * B * G), cells: f32(T * B * H), tanhC: f32(T * B * H), out: f32(T * B * H),
    dOut: f32(T * B * H), dX: d === 0 ? dX : dXReverse, dWIh: g(`wIh${d}`), dWHh: g(`wHh${d}`), dBias: g(`b${d}`),
    dGates: f32(T * B * G), scratch: k.alloc(5 * align16(B * H * 4)),
  }));
  const block = B * H * 4;
  const wOut = (d: number): Ptr => p('wOut') + d * H * K * 4; // rows d*H .. d*H+H-1 of the 2H x K matrix
  const dWOut = (d: number): Ptr => g('wOut') + d * H * K * 4;

  /** Embedding lookup, both directions, and emissions (batch-major: step t of row b at (b * T + t) * K). */
  function forward(): void {
    k.gatherRows(p('emb'), E, ids, T * B, x);
    runner.forward(directions);
    for (let t = 0; t < T; t++) {
      // Writing with ldc = T * K drops step t's B x K block straight into the batch-major layout.
      for (let d = 0; d < 2; d++) {
        const h = directions[d].out + t * block;
        k.gemm(false, false, B, K, H, 1, h, H, wOut(d), K, d === 0 ? 0 : 1, emissions + t * K * 4, T * K);
      }
    }
    k.addBiasRows(emissions, p('bOut'), B * T, K);
  }

  let step = 0;
  return {
    size,
    directions,
    trainFlops: 2 * T * B * (2 * (E * G + H * G) * 3 + 2 * H * K * 3),
    train(): number {
      const loss = this.lossAndGradients();
      step += 1;
      k.adamStep(total, params, grads, adamM, adamV, 1e-3, 0.9, 0.999, 1e-8, 0, step);
      return loss;
    },
    param(name: string) {
      const length = layout.find(([n]) => n === name)?.[1];
      if (length === undefined) throw new RangeError(`no parameter named ${name}`);
      return { value: p(name), grad: g(name), length };
    },
    lossAndGradients(): number {
      k.fill(grads, total, 0);
      forward();
      const loss = k.crfNll(B, T, K, emissions, lengths, tagsBm, p('trans'), p('start'), p('end'), 0,
        dEmissions, g('trans'), g('start'), g('end'));
      k.sumRows(dEmissions, g('bOut'), B * T, K);
      for (let t = 0; t < T; t++) {
        const dEm = dEmissions + t * K * 4;
        for (let d = 0; d < 2; d++) {
          const dir = directions[d];
          const h = dir.out + t * block;
          k.gemm(false, true, B, H, K, 1, dEm, T * K, wOut(d), K, 0, dir.dOut + t * block, H);
          k.gemm(true, false, H, K, B, 1, h, H, dEm, T * K, 1, dWOut(d), K);
        }
      }
      k.fill(dX, T * B * E, 0);
      k.fill(dXReverse, T * B * E, 0);
      runner.backward(directions);
      k.axpy(T * B * E, 1, dXReverse, dX);
      k.scatterAddRows(g('emb'), E, ids, T * B, dX);
      return loss;
    },
    infer(): void {
      forward();
      k.crfViterbi(B, T, K, emissions, lengths, p('trans'), p('start'), p('end'), 0, outTags);
    },
  };
}
