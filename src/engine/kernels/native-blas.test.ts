/**
 * The optional OpenBLAS backend against the WebAssembly kernels: GEMM for all four transpose combinations, odd
 * sizes, padded strides, alpha/beta variants, beta 0 over NaN, k 0, a grown memory, bad pointers (short training
 * runs on both backends: src/bench/blas-models.test.ts).
 * Where the addon was not built (no OpenBLAS when `npm run build` ran) those tests are skipped, saying why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MedrexError } from '../../errors.js';
import { Rng } from '../../random.js';
import { loadKernels } from './load.js';
import { createBlasKernels, probeNativeBlas } from './native-blas.js';
import type { Kernels, Ptr } from './types.js';
import { createWasmKernels, DEFAULT_WASM_URL, type WasmKernels } from './wasm.js';

const probe = probeNativeBlas();
if (!probe.available) console.warn(`native-blas tests skipped: ${probe.reason}`);

describe('native-blas: when the addon is missing', () => {
  it('reports a reason instead of throwing, and loadKernels says how to build it', async () => {
    const missing = probeNativeBlas('/nonexistent/medrex_blas.node');
    expect(missing.available).toBe(false);
    if (!missing.available) expect(missing.reason).toMatch(/not built.*libopenblas-dev/);
    const error = await createBlasKernels({ addon: '/nonexistent/medrex_blas.node' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MedrexError);
    expect((error as MedrexError).message).toMatch(/OpenBLAS backend unavailable/);
  });

  it('refuses the two-thread option, which splits the wasm GEMM', async () => {
    await expect(loadKernels('blas', { gemmThreads: 2 })).rejects.toThrow(/one thread/);
  });
});

describe.skipIf(!probe.available)('native-blas: wasm-simd+openblas kernels', () => {
  let wasm: WasmKernels;
  let blas: WasmKernels;

  beforeAll(async () => {
    // As in wasm.test.ts: a bare `vitest run` before any build still finds the module.
    if (!existsSync(DEFAULT_WASM_URL)) {
      execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/build-wasm.mjs', import.meta.url))]);
    }
    wasm = await createWasmKernels();
    blas = await createBlasKernels();
  });

  /** Writes `values` at a fresh allocation in `k`. */
  function put(k: Kernels, values: Float32Array): Ptr {
    const p = k.alloc(values.length * 4);
    k.f32(p, values.length).set(values);
    return p;
  }

  function randoms(rng: Rng, n: number): Float32Array {
    return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  }

  it('is named after the wasm kernels plus OpenBLAS, which runs one thread', async () => {
    expect(blas.name).toBe(`${wasm.name}+openblas`);
    expect((await loadKernels('blas')).name).toBe(blas.name);
    if (probe.available) {
      expect(probe.blas.threads()).toBe(1);
      expect(probe.blas.config()).toMatch(/OpenBLAS/);
    }
  });

  it('gemm equals the wasm gemm for all transposes, odd sizes, padded strides, alpha and beta', () => {
    const rng = new Rng(7);
    const GAP = 12345; // in the padding between rows of C: must come back untouched
    let cases = 0;
    const failures: string[] = [];
    for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [17, 33, 65], [64, 130, 129], [37, 9, 300]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const pad of [0, 3]) {
            for (const [alpha, beta] of [[1, 0], [0.75, 1], [-1.5, 0.25]]) {
              const lda = (transA ? m : k) + pad, aRows = transA ? k : m;
              const ldb = (transB ? k : n) + pad, bRows = transB ? n : k;
              const ldc = n + pad;
              const a = randoms(rng, aRows * lda), b = randoms(rng, bRows * ldb);
              const c = randoms(rng, m * ldc);
              for (let i = 0; i < m; i++) {
                for (let j = 0; j < ldc; j++) if (j >= n) c[i * ldc + j] = GAP;
                else if (beta === 0) c[i * ldc + j] = NaN; // beta 0: C must not be read
              }
              const wMark = wasm.mark(), bMark = blas.mark();
              const cw = put(wasm, c), cb = put(blas, c);
              wasm.gemm(transA, transB, m, n, k, alpha, put(wasm, a), lda, put(wasm, b), ldb, beta, cw, ldc);
              blas.gemm(transA, transB, m, n, k, alpha, put(blas, a), lda, put(blas, b), ldb, beta, cb, ldc);
              const got = blas.f32(cb, m * ldc), want = wasm.f32(cw, m * ldc);
              const at = `${transA ? 't' : 'n'}${transB ? 't' : 'n'} ${m}x${n}x${k} pad ${pad} alpha ${alpha} beta ${beta}`;
              for (let i = 0; i < m; i++) {
                for (let j = 0; j < ldc; j++) {
                  const x = got[i * ldc + j], y = want[i * ldc + j];
                  if (j >= n) {
                    if (x !== GAP) failures.push(`${at} [${i},${j}]: padding overwritten with ${x}`);
                    continue;
                  }
                  // Rounding bound of a float32 sum of k products in any order, from the magnitudes involved.
                  let magnitude = 0;
                  for (let p = 0; p < k; p++) {
                    magnitude += Math.abs((transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]));
                  }
                  const bound = 2 * (k + 2) * 2 ** -24 * (Math.abs(alpha) * magnitude + Math.abs(beta * c[i * ldc + j] || 0));
                  // (One expect per element would dominate the run time: collect, then assert once.)
                  if (!Number.isFinite(x) || !(Math.abs(x - y) <= bound)) failures.push(`${at} [${i},${j}]: ${x} vs wasm ${y}`);
                }
              }
              wasm.reset(wMark);
              blas.reset(bMark);
              cases++;
            }
          }
        }
      }
    }
    expect(cases).toBe(5 * 4 * 2 * 3);
    expect(failures.slice(0, 5), `${failures.length} mismatches`).toEqual([]);
  });

  it('k = 0 and alpha = 0 give beta * C (zeros over NaN for beta 0); m = 0 or n = 0 touch nothing', () => {
    const mark = blas.mark();
    try {
      const c = put(blas, Float32Array.from([NaN, NaN, 5, NaN]));
      blas.gemm(false, false, 1, 2, 0, 1, 0, 0, 0, 0, 0, c, 3); // strides of 0 are fine when nothing is read
      expect(Array.from(blas.f32(c, 4))).toEqual([0, 0, 5, NaN]);
      blas.f32(c, 4).set([2, 4, 6, 8]);
      blas.gemm(true, true, 2, 2, 0, 1, 0, 0, 0, 0, 0.5, c, 2);
      expect(Array.from(blas.f32(c, 4))).toEqual([1, 2, 3, 4]);
      const a = put(blas, Float32Array.from([NaN, NaN, NaN, NaN])); // alpha 0: A and B are not read either
      blas.gemm(false, false, 2, 2, 2, 0, a, 2, a, 2, 2, c, 2);
      expect(Array.from(blas.f32(c, 4))).toEqual([2, 4, 6, 8]);
      blas.gemm(false, false, 0, 2, 2, 1, 0, 2, 0, 2, 0, c, 2);
      blas.gemm(false, false, 2, 0, 2, 1, 0, 2, 0, 2, 0, c, 2);
      expect(Array.from(blas.f32(c, 4))).toEqual([2, 4, 6, 8]);
    } finally {
      blas.reset(mark);
    }
  });

  it('follows the memory when it grows', async () => {
    const k = await createBlasKernels({ initialPages: 16 }); // 1 MiB, so the allocation below grows it
    const a = put(k, Float32Array.from([1, 2, 3, 4]));
    const c = k.alloc(16);
    k.gemm(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2); // caches a view of the 1 MiB buffer
    const before = k.memory.buffer.byteLength;
    k.alloc(4 << 20);
    const b = put(k, Float32Array.from([1, 0, 0, 1])); // beyond the first buffer's end
    const c2 = k.alloc(16);
    expect(b).toBeGreaterThan(before);
    k.gemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c2, 2);
    expect(Array.from(k.f32(c2, 4))).toEqual([1, 2, 3, 4]);
    expect(Array.from(k.f32(c, 4))).toEqual([7, 10, 15, 22]);
  });

  it('throws instead of touching memory outside the buffer, misaligned data or a too small stride', () => {
    const end = blas.memory.buffer.byteLength;
    const mark = blas.mark();
    try {
      const a = put(blas, new Float32Array(4));
      expect(() => blas.gemm(false, false, 2, 2, 2, 1, a, 2, end - 8, 2, 0, a, 2)).toThrow(RangeError);
      expect(() => blas.gemm(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, end - 4, 2)).toThrow(RangeError);
      expect(() => blas.gemm(false, false, 2, 2, 2, 1, a + 2, 2, a, 2, 0, a, 2)).toThrow(RangeError);
      expect(() => blas.gemm(false, false, 2, 2, 2, 1, a, 1, a, 2, 0, a, 2)).toThrow(/lda/);
      expect(() => blas.gemm(false, true, 2, 2, 2, 1, a, 2, a, 2, 0, a, 1)).toThrow(/ldc/);
      expect(() => blas.gemm(false, false, 2, 2, 2, 1, -16, 2, a, 2, 0, a, 2)).toThrow(RangeError);
    } finally {
      blas.reset(mark);
    }
  });
});
