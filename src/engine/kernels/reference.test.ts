import { beforeAll, describe, expect, it } from 'vitest';
import { Arena } from './arena.js';
import { loadTestBackends } from '../test-backends.js';
import type { Kernels, Ptr } from './types.js';

function putF32(k: Kernels, values: number[]): Ptr {
  const ptr = k.alloc(values.length * 4);
  k.f32(ptr, values.length).set(values);
  return ptr;
}
function putI32(k: Kernels, values: number[]): Ptr {
  const ptr = k.alloc(values.length * 4);
  k.i32(ptr, values.length).set(values);
  return ptr;
}
const read = (k: Kernels, ptr: Ptr, n: number): number[] => Array.from(k.f32(ptr, n));

describe('Arena', () => {
  it('hands out 16-byte aligned, non-overlapping blocks and never pointer 0', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1 }));
    const a = arena.alloc(5);
    const b = arena.alloc(1);
    expect(a).toBeGreaterThan(0);
    expect(a % 16).toBe(0);
    expect(b - a).toBe(16);
  });

  it('grows the memory when an allocation does not fit', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory);
    arena.alloc(100_000);
    expect(memory.buffer.byteLength).toBe(2 * 65_536);
  });

  it('frees everything after a mark on reset, and remembers the peak', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1 }));
    arena.alloc(32);
    const mark = arena.mark();
    arena.alloc(64);
    arena.alloc(64);
    arena.reset(mark);
    expect(arena.usedBytes()).toBe(32);
    expect(arena.peakBytes()).toBe(160);
    expect(arena.alloc(16)).toBe(mark);
  });

  it('rejects a reset above the top', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1 }));
    expect(() => arena.reset(arena.mark() + 16)).toThrow(/outside/);
  });

  it('keeps to its region when given a limit, so several arenas can share one memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const low = new Arena(memory, 16, 1024);
    const high = new Arena(memory, 1024);
    expect(low.alloc(1000)).toBe(16);
    expect(() => low.alloc(16)).toThrow(/region ends at 1024/);
    expect(high.alloc(16)).toBe(1024);
  });

  it('reports running out of a bounded memory clearly', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1, maximum: 1 }));
    expect(() => arena.alloc(70_000)).toThrow(/out of engine memory/);
  });
});

// The same hand-worked cases pin the meaning of every backend's kernels (the wasm ones too, when built).
const backends = await loadTestBackends();

describe.each(backends)('$name kernels', (backend) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await backend.create();
  });

  describe('gemm', () => {
    // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]]; A B = [[58,64],[139,154]] (worked by hand).
    const A = [1, 2, 3, 4, 5, 6];
    const At = [1, 4, 2, 5, 3, 6]; // A^T stored 3 x 2
    const B = [7, 8, 9, 10, 11, 12];
    const Bt = [7, 9, 11, 8, 10, 12]; // B^T stored 2 x 3
    const cases: [string, boolean, boolean, number[], number, number[], number][] = [
      ['A B', false, false, A, 3, B, 2],
      ['A^T B', true, false, At, 2, B, 2],
      ['A B^T', false, true, A, 3, Bt, 3],
      ['A^T B^T', true, true, At, 2, Bt, 3],
    ];
    for (const [label, transA, transB, a, lda, b, ldb] of cases) {
      it(`computes ${label}`, () => {
        const c = putF32(k, [NaN, NaN, NaN, NaN]); // beta = 0 must not read C
        k.gemm(transA, transB, 2, 2, 3, 1, putF32(k, a), lda, putF32(k, b), ldb, 0, c, 2);
        expect(read(k, c, 4)).toEqual([58, 64, 139, 154]);
      });
    }

    it('honours alpha, beta and row strides wider than the matrix', () => {
      // A padded to stride 4 (the fourth column is junk that must be skipped).
      const a = putF32(k, [1, 2, 3, 99, 4, 5, 6, 99]);
      const c = putF32(k, [1, 1, -5, 1, 1, -5]); // C stored with stride 3
      k.gemm(false, false, 2, 2, 3, 2, a, 4, putF32(k, B), 2, 1, c, 3);
      expect(read(k, c, 6)).toEqual([117, 129, -5, 279, 309, -5]);
    });
  });

  it('adds a bias to every row and sums rows into a bias gradient', () => {
    const x = putF32(k, [1, 2, 3, 4]);
    k.addBiasRows(x, putF32(k, [10, 20]), 2, 2);
    expect(read(k, x, 4)).toEqual([11, 22, 13, 24]);
    const db = putF32(k, [1, 1]);
    k.sumRows(x, db, 2, 2);
    expect(read(k, db, 2)).toEqual([25, 47]);
  });

  it('activation backward passes accumulate into dx', () => {
    const y = putF32(k, [0.5, -0.5, 0]);
    const dy = putF32(k, [2, 2, 2]);
    const dx = putF32(k, [1, 1, 1]);
    k.tanhBackward(3, y, dy, dx); // 1 + 2 * (1 - y^2)
    expect(read(k, dx, 3)).toEqual([2.5, 2.5, 3]);
    k.reluBackward(3, y, dy, dx); // only y > 0 lets the gradient through
    expect(read(k, dx, 3)).toEqual([4.5, 2.5, 3]);
    k.sigmoidBackward(3, y, dy, dx); // + 2 * y (1 - y)
    expect(read(k, dx, 3)).toEqual([5, 1, 3]);
  });

  it('gathers rows and scatter-adds their gradients, repeated ids accumulating', () => {
    const table = putF32(k, [0, 1, 10, 11, 20, 21]);
    const ids = putI32(k, [2, 0, 2]);
    const out = putF32(k, [0, 0, 0, 0, 0, 0]);
    k.gatherRows(table, 2, ids, 3, out);
    expect(read(k, out, 6)).toEqual([20, 21, 0, 1, 20, 21]);
    const dtable = putF32(k, [0, 0, 0, 0, 0, 0]);
    k.scatterAddRows(dtable, 2, ids, 3, putF32(k, [1, 2, 3, 4, 5, 6]));
    expect(read(k, dtable, 6)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  describe('lstmCellForward', () => {
    it('activates the gates in place and updates c and h; padded rows carry the state', () => {
      // Row 0 pre-activations [ln 3, -ln 3, ln 2, 0] give i = 0.75, f = 0.25, g = tanh(ln 2) = 0.6, o = 0.5.
      // With cPrev = 2: c = 0.25 * 2 + 0.75 * 0.6 = 0.95, h = 0.5 * tanh(0.95).
      const gates = putF32(k, [Math.log(3), -Math.log(3), Math.log(2), 0, 0, 0, 0, 0]);
      const cPrev = putF32(k, [2, 7]);
      const hPrev = putF32(k, [-1, 3]);
      const c = k.alloc(8);
      const h = k.alloc(8);
      const tanhC = k.alloc(8);
      k.lstmCellForward(2, 1, gates, cPrev, hPrev, c, h, tanhC, putF32(k, [1, 0]));
      const g = read(k, gates, 4);
      expect(g[0]).toBeCloseTo(0.75, 6);
      expect(g[1]).toBeCloseTo(0.25, 6);
      expect(g[2]).toBeCloseTo(0.6, 6);
      expect(g[3]).toBeCloseTo(0.5, 6);
      expect(read(k, c, 2)[0]).toBeCloseTo(0.95, 6);
      expect(read(k, tanhC, 1)[0]).toBeCloseTo(Math.tanh(0.95), 6);
      expect(read(k, h, 2)[0]).toBeCloseTo(0.5 * Math.tanh(0.95), 6);
      expect(read(k, c, 2)[1]).toBe(7);
      expect(read(k, h, 2)[1]).toBe(3);
    });

    it('backward matches finite differences of forward, and passes padded rows straight through', () => {
      const H = 2;
      const pre = [0.3, -0.2, 0.5, 0.1, -0.4, 0.7, 0.2, -0.6, /* row 1 (padded) */ 1, 1, 1, 1, 1, 1, 1, 1];
      const cPrevV = [0.5, -0.3, 0.9, 0.4];
      const hPrevV = [0.1, 0.2, 0.3, 0.4];
      const wh = [0.7, -1.1, 0.4, 0.9]; // loss = sum(wh * h) + sum(wc * c)
      const wc = [-0.5, 0.8, 1.3, -0.2];
      const mask = [1, 0];
      const loss = (preV: number[], cp: number[]): number => {
        const m = k.mark();
        const c = k.alloc(16);
        const h = k.alloc(16);
        k.lstmCellForward(2, H, putF32(k, preV), putF32(k, cp), putF32(k, hPrevV), c, h, k.alloc(16), putF32(k, mask));
        const cv = read(k, c, 4);
        const hv = read(k, h, 4);
        k.reset(m);
        return cv.reduce((s, x, i) => s + wc[i] * x + wh[i] * hv[i], 0);
      };
      const gates = putF32(k, pre);
      const cPrev = putF32(k, cPrevV);
      const tanhC = k.alloc(16);
      k.lstmCellForward(2, H, gates, cPrev, putF32(k, hPrevV), k.alloc(16), k.alloc(16), tanhC, putF32(k, mask));
      const dGates = k.alloc(64);
      const dcPrev = k.alloc(16);
      const dhPrev = k.alloc(16);
      k.lstmCellBackward(2, H, gates, cPrev, tanhC, putF32(k, wh), putF32(k, wc), dGates, dcPrev, dhPrev,
        putF32(k, mask));
      const eps = 1e-3;
      const dG = read(k, dGates, 16);
      for (let i = 0; i < 8; i++) {
        const plus = pre.slice();
        const minus = pre.slice();
        plus[i] += eps;
        minus[i] -= eps;
        expect(dG[i]).toBeCloseTo((loss(plus, cPrevV) - loss(minus, cPrevV)) / (2 * eps), 3);
      }
      expect(dG.slice(8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      const dcP = read(k, dcPrev, 4);
      for (let i = 0; i < 2; i++) {
        const plus = cPrevV.slice();
        const minus = cPrevV.slice();
        plus[i] += eps;
        minus[i] -= eps;
        expect(dcP[i]).toBeCloseTo((loss(pre, plus) - loss(pre, minus)) / (2 * eps), 3);
      }
      expect(dcP.slice(2)).toEqual([wc[2], wc[3]].map(Math.fround));
      expect(read(k, dhPrev, 4)).toEqual([0, 0, wh[2], wh[3]].map(Math.fround));
    });
  });

  it('softmax cross-entropy: weighted losses, ignored rows, normalised gradient', () => {
    // Row 0: logits [0, ln 3] -> p = [0.25, 0.75], target 1, weight 2: loss 2 * -ln 0.75.
    // Row 1: ignored. Row 2: logits [0, 0] -> p = [0.5, 0.5], target 0, weight 1: loss ln 2.
    const probs = k.alloc(24);
    const d = k.alloc(24);
    const loss = k.softmaxCrossEntropy(3, 2, putF32(k, [0, Math.log(3), 5, -5, 0, 0]), putI32(k, [1, -1, 0]),
      putF32(k, [1, 2]), probs, d);
    expect(loss).toBeCloseTo(-2 * Math.log(0.75) + Math.log(2), 6);
    const p = read(k, probs, 6);
    expect(p[0]).toBeCloseTo(0.25, 6);
    expect(p[1]).toBeCloseTo(0.75, 6);
    // normaliser = 2 + 1 = 3; d row 0 = 2/3 * (p - onehot(1)) = [1/6, -1/6]; row 2 = 1/3 * [-0.5, 0.5].
    const g = read(k, d, 6);
    [1 / 6, -1 / 6, 0, 0, -1 / 6, 1 / 6].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
  });

  it('adamStep: one AdamW step from zero moments moves by lr (worked by hand)', () => {
    // g = 0.5: m = 0.05, v = 0.00025, m^ = 0.5, v^ = 0.25, update = 0.5 / 0.5 = 1.
    // p = 1 - lr * wd * 1 - lr * 1 = 1 - 0.001 - 0.1 = 0.899.
    const p = putF32(k, [1]);
    const m = putF32(k, [0]);
    const v = putF32(k, [0]);
    k.adamStep(1, p, putF32(k, [0.5]), m, v, 0.1, 0.9, 0.999, 1e-12, 0.01, 1);
    expect(read(k, p, 1)[0]).toBeCloseTo(0.899, 6);
    expect(read(k, m, 1)[0]).toBeCloseTo(0.05, 7);
    expect(read(k, v, 1)[0]).toBeCloseTo(0.00025, 8);
  });

  describe('CRF against brute-force enumeration', () => {
    const K = 3;
    const T = 3;
    // Deterministic pseudo-random values, so the case is fixed but not hand-tuned.
    const values = (n: number, seed: number): number[] =>
      Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 1.5);
    const emissions = values(2 * T * K, 1);
    const transitions = values(K * K, 2);
    const start = values(K, 3);
    const end = values(K, 4);
    const allowed = [1, 1, 1, 1, 1, 0, 0, 1, 1]; // forbid 1 -> 2 and 2 -> 0
    const lengths = [3, 2];
    const gold = [0, 1, 1, /* seq 1 */ 2, 2, 0];

    const pathScore = (b: number, path: number[]): number => {
      let s = start[path[0]] + end[path[path.length - 1]];
      path.forEach((y, t) => (s += emissions[b * T * K + t * K + y]));
      for (let t = 1; t < path.length; t++) {
        if (allowed[path[t - 1] * K + path[t]] === 0) return -Infinity;
        s += transitions[path[t - 1] * K + path[t]];
      }
      return s;
    };
    const allPaths = (len: number): number[][] =>
      len === 0 ? [[]] : allPaths(len - 1).flatMap((p) => [0, 1, 2].map((y) => [...p, y]));

    it('NLL, its gradients and Viterbi equal enumeration over all paths', () => {
      const em = putF32(k, emissions);
      const tr = putF32(k, transitions);
      const st = putF32(k, start);
      const en = putF32(k, end);
      const al = putF32(k, allowed);
      const len = putI32(k, lengths);
      const dEm = putF32(k, new Array(2 * T * K).fill(7)); // overwritten, including past each length
      const dTr = putF32(k, new Array(K * K).fill(0));
      const dSt = putF32(k, [0, 0, 0]);
      const dEn = putF32(k, [0, 0, 0]);
      const nll = k.crfNll(2, T, K, em, len, putI32(k, gold), tr, st, en, al, dEm, dTr, dSt, dEn);

      let expectedNll = 0;
      const expDEm = new Array(2 * T * K).fill(0);
      const expDTr = new Array(K * K).fill(0);
      const expDSt = [0, 0, 0];
      const expDEn = [0, 0, 0];
      const expectedBest: number[] = [];
      for (let b = 0; b < 2; b++) {
        const L = lengths[b];
        const paths = allPaths(L);
        const scores = paths.map((p) => pathScore(b, p));
        const max = Math.max(...scores);
        const logZ = max + Math.log(scores.reduce((s, x) => s + Math.exp(x - max), 0));
        const goldPath = gold.slice(b * T, b * T + L);
        expectedNll += logZ - pathScore(b, goldPath);
        // d logZ / d score-part = expected count under the model; minus the gold path's counts.
        const count = (path: number[], w: number): void => {
          path.forEach((y, t) => (expDEm[b * T * K + t * K + y] += w));
          expDSt[path[0]] += w;
          expDEn[path[L - 1]] += w;
          for (let t = 1; t < L; t++) expDTr[path[t - 1] * K + path[t]] += w;
        };
        paths.forEach((p, n) => count(p, Math.exp(scores[n] - logZ)));
        count(goldPath, -1);
        const best = paths[scores.indexOf(max)];
        expectedBest.push(...best, ...new Array(T - L).fill(0));
      }
      expect(nll).toBeCloseTo(expectedNll, 4);
      const close = (got: number[], want: number[]): void => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
      close(read(k, dEm, 2 * T * K), expDEm);
      close(read(k, dTr, K * K), expDTr);
      close(read(k, dSt, K), expDSt);
      close(read(k, dEn, K), expDEn);

      const out = putI32(k, [9, 9, 9, 9, 9, 9]);
      k.crfViterbi(2, T, K, em, len, tr, st, en, al, out);
      expect(Array.from(k.i32(out, 6))).toEqual(expectedBest);
    });
  });
});
