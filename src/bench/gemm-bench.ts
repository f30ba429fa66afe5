/** GEMM throughput at the shapes the models use, through the `Kernels` interface (wrapper costs included). */
import type { Kernels } from '../engine/kernels/types.js';
import { Rng } from '../random.js';
import { medianSeconds, repetitionsFor } from './timing.js';

export interface GemmShape {
  /** Result key, e.g. `gemm_32x128x512`: M x K x N of op(A) (M x K) times op(B) (K x N). */
  key: string;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  why: string;
}

function shape(m: number, k: number, n: number, transA: boolean, transB: boolean, why: string): GemmShape {
  const suffix = transA || transB ? `_${transA ? 't' : 'n'}${transB ? 't' : 'n'}` : '';
  return { key: `gemm_${m}x${k}x${n}${suffix}`, m, k, n, transA, transB, why };
}

/** Tagger shapes: batch 32, 40 steps (1280 rows), embedding 100, hidden 128 (4H = 512). */
export const MODEL_GEMM_SHAPES: readonly GemmShape[] = [
  shape(32, 128, 512, false, false, 'recurrent step: h (B x H) by W_hh (H x 4H)'),
  shape(1280, 100, 512, false, false, 'input projection: x (TB x E) by W_ih (E x 4H)'),
  shape(1280, 512, 128, false, true, 'input gradient: dG (TB x 4H) by W_hh^T'),
  shape(128, 1280, 512, true, false, 'weight gradient dW_hh: H^T (H x TB) by dG (TB x 4H)'),
  shape(512, 1280, 128, true, false, 'transposed weight-gradient product (4H x TB by TB x H)'),
  shape(32, 512, 128, false, true, 'recurrent backward: dG (B x 4H) by W_hh^T'),
  shape(32, 256, 512, false, false, 'the design note\'s and the PyTorch peer\'s reference shape'),
];

/** Measures GFLOP/s of one shape: median over `runs` timed batches of calls. */
export function benchGemm(kernels: Kernels, s: GemmShape, seconds = 0.25, runs = 5): number {
  const mark = kernels.mark();
  try {
    const rng = new Rng(1);
    const aRows = s.transA ? s.k : s.m, aCols = s.transA ? s.m : s.k;
    const bRows = s.transB ? s.n : s.k, bCols = s.transB ? s.k : s.n;
    const a = kernels.alloc(aRows * aCols * 4);
    const b = kernels.alloc(bRows * bCols * 4);
    const c = kernels.alloc(s.m * s.n * 4);
    kernels.f32(a, aRows * aCols).forEach((_, i, arr) => (arr[i] = rng.uniform(-1, 1)));
    kernels.f32(b, bRows * bCols).forEach((_, i, arr) => (arr[i] = rng.uniform(-1, 1)));
    const flops = 2 * s.m * s.n * s.k;
    const reps = repetitionsFor(flops, seconds / runs);
    const batch = (): void => {
      for (let r = 0; r < reps; r++) kernels.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, aCols, b, bCols, 0, c, s.n);
    };
    const t = medianSeconds(batch, 1, runs);
    return (flops * reps) / t / 1e9;
  } finally {
    kernels.reset(mark);
  }
}
