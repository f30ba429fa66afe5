/**
 * The WebAssembly SIMD kernels against the reference kernels (plain JS loops, float64 accumulation) on random
 * inputs: odd sizes (not multiples of 4, of the 4 x 8 GEMM tile, or of the 128 x 256 x 512 blocking), padded
 * strides, beta 0 / 1, masks, ignored targets, CRF lengths 0 and 1, forbidden transitions.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MedrexError } from '../../errors.js';
import { Rng } from '../../random.js';
import { loadKernels } from './load.js';
import { createReferenceKernels } from './reference.js';
import type { Ptr } from './types.js';
import { createWasmKernels, DEFAULT_WASM_URL, instantiateKernels, type WasmKernels } from './wasm.js';

const ref = createReferenceKernels();
let wasm: WasmKernels;

beforeAll(async () => {
  // The module is a build artefact (npm run build); build it here if a bare `vitest run` comes first.
  if (!existsSync(DEFAULT_WASM_URL)) {
    execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/build-wasm.mjs', import.meta.url))]);
  }
  wasm = await createWasmKernels();
});

/** A buffer allocated in both backends with the same contents: `r` in the reference, `w` in wasm. */
interface Twin {
  r: Ptr;
  w: Ptr;
  n: number;
}

function twinF32(values: ArrayLike<number>): Twin {
  const n = values.length;
  const r = ref.alloc(n * 4);
  const w = wasm.alloc(n * 4);
  ref.f32(r, n).set(values);
  wasm.f32(w, n).set(values);
  return { r, w, n };
}

function twinI32(values: ArrayLike<number>): Twin {
  const n = values.length;
  const r = ref.alloc(n * 4);
  const w = wasm.alloc(n * 4);
  ref.i32(r, n).set(values);
  wasm.i32(w, n).set(values);
  return { r, w, n };
}

/** Pointer 0 ("none") in both backends. */
const NONE: Twin = { r: 0, w: 0, n: 0 };

function randoms(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

/** Asserts |wasm - reference| <= atol + rtol * |reference| elementwise, naming the first offending index. */
function expectSame(t: Twin, atol: number, rtol = 0): void {
  const expected = ref.f32(t.r, t.n);
  const actual = wasm.f32(t.w, t.n);
  for (let i = 0; i < t.n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Object.is(e, a)) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`element ${i} of ${t.n}: wasm ${a}, reference ${e}`);
    }
  }
}

/** Runs `body` with both arenas reset afterwards, so each test leaves the memories as it found them. */
function scoped(body: () => void): void {
  const markR = ref.mark();
  const markW = wasm.mark();
  try {
    body();
  } finally {
    ref.reset(markR);
    wasm.reset(markW);
  }
}

describe('wasm kernels: loading', () => {
  it('loads the SIMD module over a shared memory, with an arena that never hands out pointer 0', () => {
    expect(wasm.name).toMatch(/^wasm-/);
    expect(wasm.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(wasm.alloc(4)).toBeGreaterThan(0);
  });

  it('lets a second instance over the same memory see and produce the same data', () => {
    scoped(() => {
      const other = instantiateKernels(wasm.module, wasm.memory);
      const x = wasm.alloc(16);
      wasm.f32(x, 4).set([1, 2, 3, 4]);
      other.scale(4, 2, x);
      expect(Array.from(wasm.f32(x, 4))).toEqual([2, 4, 6, 8]);
    });
  });

  it('says to run npm run build when the module is missing', async () => {
    const missing = new URL('./no-such-kernels.wasm', import.meta.url);
    const attempt = loadKernels('wasm', { source: missing });
    await expect(attempt).rejects.toThrow(MedrexError);
    await expect(loadKernels('wasm', { source: missing })).rejects.toThrow(/run npm run build/);
  });

  it('returns the reference backend on request', async () => {
    expect((await loadKernels('reference')).name).toBe('reference');
  });
});

describe('wasm kernels: gemm', () => {
  // [m, n, k]: tiny, ragged against the 4 x 8 tile, deeper than KC = 256, taller than MC = 128, wider than NC = 512.
  const shapes: [number, number, number][] = [
    [1, 1, 1], [3, 5, 2], [7, 13, 5], [4, 8, 16], [33, 19, 300], [130, 9, 7], [6, 521, 3], [32, 64, 128],
  ];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`matches the reference for transA=${transA} transB=${transB}, padded strides, beta 0 / 1 / 0.5`, () => {
        const rng = new Rng(7 + Number(transA) * 2 + Number(transB));
        for (const [m, n, k] of shapes) {
          scoped(() => {
            // Stored shapes: A is M x K (or K x M transposed), B is K x N (or N x K); 3 extra columns of padding.
            const aRows = transA ? k : m, aCols = transA ? m : k;
            const bRows = transB ? n : k, bCols = transB ? k : n;
            const lda = aCols + 3, ldb = bCols + 2, ldc = n + 1;
            const a = twinF32(randoms(rng, aRows * lda));
            const b = twinF32(randoms(rng, bRows * ldb));
            for (const beta of [0, 1, 0.5]) {
              // beta == 0 must not read C: start it as NaN.
              const c = twinF32(beta === 0 ? new Float32Array(m * ldc).fill(NaN) : randoms(rng, m * ldc));
              for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
                kern.gemm(transA, transB, m, n, k, 0.75, a[p], lda, b[p], ldb, beta, c[p], ldc);
              }
              expectSame(c, 1e-5 * Math.sqrt(k), 1e-5);
            }
          });
        }
      });
    }
  }

  it('writes beta * C when k is 0, and zeros for beta 0 even over NaN', () => {
    scoped(() => {
      const c = twinF32([1, 2, NaN, 4]);
      for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) kern.gemm(false, false, 1, 2, 0, 1, 0, 1, 0, 2, 2, c[p], 2);
      expect(Array.from(wasm.f32(c.w, 4))).toEqual([2, 4, NaN, 4]);
      const z = twinF32([NaN, NaN]);
      wasm.gemm(false, false, 1, 2, 0, 1, 0, 1, 0, 2, 0, z.w, 2);
      expect(Array.from(wasm.f32(z.w, 2))).toEqual([0, 0]);
    });
  });

  it('computes a small product worked out by hand', () => {
    scoped(() => {
      // [1 2; 3 4] x [5 6; 7 8] = [19 22; 43 50]; with transA: [1 3; 2 4] x B = [26 30; 38 44].
      const a = wasm.alloc(16), b = wasm.alloc(16), c = wasm.alloc(16);
      wasm.f32(a, 4).set([1, 2, 3, 4]);
      wasm.f32(b, 4).set([5, 6, 7, 8]);
      wasm.gemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
      expect(Array.from(wasm.f32(c, 4))).toEqual([19, 22, 43, 50]);
      wasm.gemm(true, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
      expect(Array.from(wasm.f32(c, 4))).toEqual([26, 30, 38, 44]);
    });
  });
});

describe('wasm kernels: two-thread gemm', () => {
  it('splits large products by rows or by columns, matching the reference', async () => {
    const threaded = await createWasmKernels({ gemmThreads: 2 });
    const put = (values: Float32Array): Ptr => {
      const ptr = threaded.alloc(values.length * 4);
      threaded.f32(ptr, values.length).set(values);
      return ptr;
    };
    try {
      expect(threaded.name).toMatch(/2threads$/);
      const rng = new Rng(90);
      // [m, n, k]: many rows (row split, odd half), few rows (column split, ragged panel), below the threshold.
      const shapes: [number, number, number][] = [[150, 130, 64], [6, 515, 400], [33, 40, 9]];
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        for (const [m, n, k] of shapes) {
          const mark = threaded.mark();
          scoped(() => {
            const lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 3;
            const a = randoms(rng, (transA ? k : m) * lda);
            const b = randoms(rng, (transB ? n : k) * ldb);
            const c = twinF32(randoms(rng, m * ldc));
            const cThreaded = put(ref.f32(c.r, c.n));
            ref.gemm(transA, transB, m, n, k, 1.25, twinF32(a).r, lda, twinF32(b).r, ldb, 0.5, c.r, ldc);
            threaded.gemm(transA, transB, m, n, k, 1.25, put(a), lda, put(b), ldb, 0.5, cThreaded, ldc);
            // Compare through the twin's wasm side: copy the threaded result there.
            wasm.f32(c.w, c.n).set(threaded.f32(cThreaded, c.n));
            expectSame(c, 1e-5 * Math.sqrt(k), 1e-5);
          });
          threaded.reset(mark);
        }
      }
    } finally {
      await threaded.close();
    }
  });
});

describe('wasm kernels: elementwise, rows and reductions', () => {
  const sizes = [1, 3, 4, 17, 1030];

  it('fill, copy, axpy, mul (in place), scale', () => {
    const rng = new Rng(11);
    for (const n of sizes) {
      scoped(() => {
        const x = twinF32(randoms(rng, n));
        const y = twinF32(randoms(rng, n));
        const z = twinF32(new Float32Array(n));
        for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
          kern.fill(z[p], n, 2.5);
          kern.axpy(n, -0.3, x[p], y[p]);
          kern.mul(n, y[p], x[p], y[p]);
          kern.scale(n, 1.5, y[p]);
        }
        expectSame(z, 0);
        expectSame(y, 1e-6, 1e-6);
        for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) kern.copy(y[p], x[p], n);
        expectSame(x, 1e-6, 1e-6);
      });
    }
  });

  it('sigmoid, tanh, relu, and their backward passes, including saturated and tiny inputs', () => {
    const rng = new Rng(12);
    const special = [0, -0, 1e-7, -1e-7, 0.3, -0.62, 0.63, 5, -5, 20, -20, 89, -89, 200, -200, Infinity, -Infinity];
    for (const n of [...sizes, special.length]) {
      scoped(() => {
        const input = n === special.length ? Float32Array.from(special) : randoms(rng, n, 4);
        const x = twinF32(input);
        for (const op of ['sigmoid', 'tanh', 'relu'] as const) {
          const y = twinF32(new Float32Array(n));
          const dy = twinF32(randoms(rng, n));
          const dx = twinF32(randoms(rng, n));
          for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
            kern[op](n, x[p], y[p]);
            kern[`${op}Backward`](n, y[p], dy[p], dx[p]);
          }
          expectSame(y, 2e-7, 4e-7);
          expectSame(dx, 1e-6, 1e-6);
        }
      });
    }
  });

  it('exp is within 3e-7 relative error over the whole finite range, 0 below it and inf above', () => {
    scoped(() => {
      const n = 20_001;
      const x = wasm.alloc(n * 4), y = wasm.alloc(n * 4);
      const xs = wasm.f32(x, n);
      for (let i = 0; i < n; i++) xs[i] = -87 + (175 * i) / (n - 1);
      wasm.exports.exp(n, x, y);
      const ys = wasm.f32(y, n);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(ys[i] / Math.exp(xs[i]) - 1));
      expect(worst).toBeLessThan(3e-7);
      wasm.f32(x, 3).set([-100, 100, NaN]);
      wasm.exports.exp(3, x, y);
      expect(Array.from(wasm.f32(y, 3))).toEqual([0, Infinity, NaN]);
    });
  });

  it('sumSquares over a long vector, addBiasRows and sumRows with ragged columns', () => {
    const rng = new Rng(13);
    scoped(() => {
      const n = 100_003;
      const values = randoms(rng, n);
      const x = twinF32(values);
      const expected = ref.sumSquares(n, x.r);
      expect(Math.abs(wasm.sumSquares(n, x.w) - expected)).toBeLessThan(1e-6 * expected);
    });
    for (const [rows, cols] of [[1, 1], [5, 7], [33, 130]]) {
      scoped(() => {
        const out = twinF32(randoms(rng, rows * cols));
        const bias = twinF32(randoms(rng, cols));
        const dbias = twinF32(randoms(rng, cols));
        for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
          kern.addBiasRows(out[p], bias[p], rows, cols);
          kern.sumRows(out[p], dbias[p], rows, cols);
        }
        expectSame(out, 0);
        expectSame(dbias, 1e-5, 1e-5);
      });
    }
  });

  it('gatherRows and scatterAddRows, with repeated ids accumulating', () => {
    const rng = new Rng(14);
    for (const dim of [1, 6, 100]) {
      scoped(() => {
        const table = twinF32(randoms(rng, 10 * dim));
        const ids = twinI32([3, 0, 9, 3, 3, 7]);
        const out = twinF32(new Float32Array(6 * dim));
        const d = twinF32(randoms(rng, 6 * dim));
        for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
          kern.gatherRows(table[p], dim, ids[p], 6, out[p]);
          kern.scatterAddRows(table[p], dim, ids[p], 6, d[p]);
        }
        expectSame(out, 0);
        expectSame(table, 1e-6, 1e-6);
      });
    }
  });
});

describe('wasm kernels: fused LSTM cell', () => {
  for (const hidden of [1, 5, 8, 13]) {
    it(`forward and backward match with a mask, hidden ${hidden}, dh/dc aliasing dhPrev/dcPrev`, () => {
      const rng = new Rng(20 + hidden);
      scoped(() => {
        const batch = 4;
        const bh = batch * hidden;
        const gates = twinF32(randoms(rng, batch * 4 * hidden, 2));
        const cPrev = twinF32(randoms(rng, bh));
        const hPrev = twinF32(randoms(rng, bh));
        const c = twinF32(new Float32Array(bh));
        const h = twinF32(new Float32Array(bh));
        const tanhC = twinF32(new Float32Array(bh));
        const mask = twinF32([1, 0, 1, 0]);
        for (const m of [NONE, mask]) {
          // Fresh pre-activations for each mask (the forward pass activates gates in place).
          const g = twinF32(ref.f32(gates.r, gates.n));
          for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
            kern.lstmCellForward(batch, hidden, g[p], cPrev[p], hPrev[p], c[p], h[p], tanhC[p], m[p]);
          }
          expectSame(g, 3e-7, 1e-6);
          expectSame(c, 1e-6, 1e-6);
          expectSame(h, 1e-6, 1e-6);
          expectSame(tanhC, 1e-6, 1e-6);

          // Backward, with dhPrev / dcPrev written over dh / dc (the documented aliasing).
          const dh = twinF32(randoms(rng, bh));
          const dc = twinF32(randoms(rng, bh));
          const dGates = twinF32(new Float32Array(batch * 4 * hidden).fill(NaN));
          for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
            // Same activated gates and tanhC in both, so the backward test isolates the backward kernel.
            kern.f32(g[p], g.n).set(ref.f32(g.r, g.n));
            kern.f32(tanhC[p], tanhC.n).set(ref.f32(tanhC.r, tanhC.n));
            kern.lstmCellBackward(batch, hidden, g[p], cPrev[p], tanhC[p], dh[p], dc[p], dGates[p], dc[p], dh[p], m[p]);
          }
          expectSame(dGates, 1e-6, 1e-6);
          expectSame(dh, 1e-6, 1e-6);
          expectSame(dc, 1e-6, 1e-6);
        }
      });
    });
  }

  it('copies the previous state through a padded row (worked example)', () => {
    scoped(() => {
      const gates = wasm.alloc(16), cp = wasm.alloc(4), hp = wasm.alloc(4), c = wasm.alloc(4), h = wasm.alloc(4);
      const tc = wasm.alloc(4), mask = wasm.alloc(4);
      wasm.f32(gates, 4).set([0, 0, 0, 0]);
      wasm.f32(cp, 1).set([0.5]);
      wasm.f32(hp, 1).set([-0.25]);
      wasm.f32(mask, 1).set([0]);
      wasm.lstmCellForward(1, 1, gates, cp, hp, c, h, tc, mask);
      expect(wasm.f32(c, 1)[0]).toBe(0.5);
      expect(wasm.f32(h, 1)[0]).toBe(-0.25);
      expect(Array.from(wasm.f32(gates, 4))).toEqual([0.5, 0.5, 0, 0.5]); // sigmoid(0), tanh(0)
      // Unmasked: c = 0.5 * 0.5 + 0.5 * 0 = 0.25, h = 0.5 * tanh(0.25).
      wasm.f32(gates, 4).set([0, 0, 0, 0]);
      wasm.f32(mask, 1).set([1]);
      wasm.lstmCellForward(1, 1, gates, cp, hp, c, h, tc, mask);
      expect(wasm.f32(c, 1)[0]).toBe(0.25);
      expect(wasm.f32(h, 1)[0]).toBeCloseTo(0.5 * Math.tanh(0.25), 7);
    });
  });
});

describe('wasm kernels: softmax cross-entropy', () => {
  for (const classes of [1, 3, 9, 19]) {
    it(`matches with ignored rows and class weights, ${classes} classes`, () => {
      const rng = new Rng(30 + classes);
      scoped(() => {
        const rows = 11;
        const logits = twinF32(randoms(rng, rows * classes, 3));
        const targets = twinI32(Array.from({ length: rows }, (_, r) => (r % 4 === 1 ? -1 : rng.int(classes))));
        const weights = twinF32(Array.from({ length: classes }, () => 0.5 + rng.next()));
        for (const w of [NONE, weights]) {
          const probs = twinF32(new Float32Array(rows * classes));
          const dLogits = twinF32(new Float32Array(rows * classes).fill(NaN));
          const lossR = ref.softmaxCrossEntropy(rows, classes, logits.r, targets.r, w.r, probs.r, dLogits.r);
          const lossW = wasm.softmaxCrossEntropy(rows, classes, logits.w, targets.w, w.w, probs.w, dLogits.w);
          expect(Math.abs(lossW - lossR)).toBeLessThan(1e-5 * (1 + Math.abs(lossR)));
          expectSame(probs, 1e-6, 1e-5);
          expectSame(dLogits, 1e-6, 1e-5);
        }
      });
    });
  }

  it('gives zero gradients when every row is ignored, and the hand-computed loss of a uniform row', () => {
    scoped(() => {
      const logits = wasm.alloc(8), targets = wasm.alloc(8), probs = wasm.alloc(8), d = wasm.alloc(8);
      wasm.f32(logits, 2).set([1, 1]);
      wasm.i32(targets, 1).set([-1]);
      expect(wasm.softmaxCrossEntropy(1, 2, logits, targets, 0, probs, d)).toBe(0);
      expect(Array.from(wasm.f32(d, 2))).toEqual([0, 0]);
      expect(Array.from(wasm.f32(probs, 2))).toEqual([0.5, 0.5]);
      wasm.i32(targets, 1).set([1]);
      expect(wasm.softmaxCrossEntropy(1, 2, logits, targets, 0, probs, d)).toBeCloseTo(Math.LN2, 6);
      expect(Array.from(wasm.f32(d, 2))).toEqual([0.5, -0.5]);
    });
  });
});

describe('wasm kernels: CRF', () => {
  /** A batch with lengths maxLen, 1, 0 and a middle one; optionally forbidding transitions into tag 1 from 0. */
  function crfCase(rng: Rng, numTags: number, maxLen: number, forbid: boolean, scoreScale = 1) {
    const batch = 4;
    const lengths = [maxLen, 1, 0, Math.max(1, maxLen >> 1)];
    const allowedValues = new Float32Array(numTags * numTags).fill(1);
    if (forbid) for (let j = 1; j < numTags; j += 2) allowedValues[0 * numTags + j] = 0;
    // Gold tags avoid forbidden transitions (a forbidden gold path has infinite loss, tested separately).
    const tagValues: number[] = [];
    for (let b = 0; b < batch; b++) {
      let prev = -1;
      for (let t = 0; t < maxLen; t++) {
        let tag = rng.int(numTags);
        while (forbid && prev === 0 && allowedValues[tag] === 0) tag = rng.int(numTags);
        tagValues.push(tag);
        prev = tag;
      }
    }
    return {
      batch, lengths: twinI32(lengths), tags: twinI32(tagValues),
      emissions: twinF32(randoms(rng, batch * maxLen * numTags, 2 * scoreScale)),
      transitions: twinF32(randoms(rng, numTags * numTags, scoreScale)),
      start: twinF32(randoms(rng, numTags)), end: twinF32(randoms(rng, numTags)),
      allowed: forbid ? twinF32(allowedValues) : NONE,
    };
  }

  // The last two cases have scores in the tens to hundreds: transition gaps beyond 60 nats force the kernel's
  // exact fallback for some columns (the scaled product would underflow there).
  const cases = [[1, 3, false, 1], [5, 7, false, 1], [5, 7, true, 1], [19, 40, true, 1], [5, 9, true, 40], [19, 12, false, 60]];
  for (const [numTags, maxLen, forbid, scale] of cases as [number, number, boolean, number][]) {
    it(`nll and gradients match for ${numTags} tags, length ${maxLen}, forbidden ${forbid}, score scale ${scale}`, () => {
      const rng = new Rng(40 + numTags + maxLen);
      scoped(() => {
        const x = crfCase(rng, numTags, maxLen, forbid, scale);
        const dEm = twinF32(new Float32Array(x.batch * maxLen * numTags).fill(NaN));
        const dTrans = twinF32(randoms(rng, numTags * numTags));
        const dStart = twinF32(randoms(rng, numTags));
        const dEnd = twinF32(randoms(rng, numTags));
        const nll: number[] = [];
        for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
          nll.push(kern.crfNll(x.batch, maxLen, numTags, x.emissions[p], x.lengths[p], x.tags[p],
            x.transitions[p], x.start[p], x.end[p], x.allowed[p], dEm[p], dTrans[p], dStart[p], dEnd[p]));
        }
        expect(Number.isFinite(nll[0])).toBe(true);
        // float32 lattices: absolute errors grow with the magnitude of the scores.
        expect(Math.abs(nll[1] - nll[0])).toBeLessThan(2e-5 * Math.abs(nll[0]) + 1e-5 * scale);
        expectSame(dEm, 2e-5 * scale, 1e-4);
        expectSame(dTrans, 1e-4 * scale, 1e-4);
        expectSame(dStart, 2e-5 * scale, 1e-4);
        expectSame(dEnd, 2e-5 * scale, 1e-4);

        const outTags = twinI32(new Int32Array(x.batch * maxLen).fill(-7));
        for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
          kern.crfViterbi(x.batch, maxLen, numTags, x.emissions[p], x.lengths[p], x.transitions[p], x.start[p],
            x.end[p], x.allowed[p], outTags[p]);
        }
        expect(Array.from(wasm.i32(outTags.w, outTags.n))).toEqual(Array.from(ref.i32(outTags.r, outTags.n)));
      });
    });
  }

  it('has infinite loss for a gold path through a forbidden transition, and Viterbi avoids it', () => {
    scoped(() => {
      // Two tags, emissions favour 0 then 1, but 0 -> 1 is forbidden: the best allowed path is 1, 1 or 0, 0.
      const em = wasm.alloc(16), lengths = wasm.alloc(4), tags = wasm.alloc(8), trans = wasm.alloc(16);
      const start = wasm.alloc(8), end = wasm.alloc(8), allowed = wasm.alloc(16), out = wasm.alloc(8);
      const grads = [wasm.alloc(16), wasm.alloc(16), wasm.alloc(8), wasm.alloc(8)];
      for (const g of grads) wasm.fill(g, 4, 0);
      wasm.f32(em, 4).set([3, 0, 0, 2]);
      wasm.i32(lengths, 1).set([2]);
      wasm.i32(tags, 2).set([0, 1]);
      wasm.fill(trans, 4, 0);
      wasm.fill(start, 2, 0);
      wasm.fill(end, 2, 0);
      wasm.f32(allowed, 4).set([1, 0, 1, 1]);
      const nll = wasm.crfNll(1, 2, 2, em, lengths, tags, trans, start, end, allowed, grads[0], grads[1], grads[2], grads[3]);
      expect(nll).toBe(Infinity);
      wasm.crfViterbi(1, 2, 2, em, lengths, trans, start, end, allowed, out);
      // Paths: 0,0 = 3; 1,1 = 2; 1,0 = 0; 0,1 forbidden. Best: 0, 0.
      expect(Array.from(wasm.i32(out, 2))).toEqual([0, 0]);
    });
  });
});

describe('wasm kernels: adam', () => {
  it('matches the reference over three steps, with and without weight decay', () => {
    const rng = new Rng(50);
    for (const n of [1, 7, 1001]) {
      for (const weightDecay of [0, 0.01]) {
        scoped(() => {
          const param = twinF32(randoms(rng, n));
          const m = twinF32(new Float32Array(n));
          const v = twinF32(new Float32Array(n));
          for (let step = 1; step <= 3; step++) {
            const grad = twinF32(randoms(rng, n));
            for (const [kern, p] of [[ref, 'r'], [wasm, 'w']] as const) {
              kern.adamStep(n, param[p], grad[p], m[p], v[p], 1e-2, 0.9, 0.999, 1e-8, weightDecay, step);
            }
          }
          expectSame(param, 1e-6, 1e-6);
          expectSame(m, 1e-7, 1e-6);
          expectSame(v, 1e-7, 1e-6);
        });
      }
    }
  });
});
