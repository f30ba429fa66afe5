/**
 * Optional native backend `wasm-simd+openblas` (Node only): the WebAssembly kernels with `gemm` replaced by
 * OpenBLAS's cblas_sgemm, called through a small N-API addon (native/blas_gemm.c) directly on the shared
 * WebAssembly memory, so no tensor is copied and every other kernel is unchanged.
 *
 * The addon is built by `npm run build` (scripts/build-native.mjs) only where OpenBLAS is installed; elsewhere
 * `loadNativeBlas()` returns null with a reason and the WebAssembly backend, the default everywhere (browser
 * included), is unaffected. Results equal the WebAssembly GEMM within float rounding: OpenBLAS sums in a
 * different order (and with fused multiply-add), so bit-for-bit equality is not expected.
 *
 * OpenBLAS is set to one thread when the addon loads: the engine does its own threading.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MedrexError } from '../../errors.js';
import type { Kernels, Ptr } from './types.js';
import { createWasmKernels, type WasmKernelOptions, type WasmKernels } from './wasm.js';

/** Where scripts/build-native.mjs puts the addon: src/engine/kernels/ and dist/engine/kernels/ are 3 levels deep. */
export const DEFAULT_BLAS_ADDON_URL = new URL('../../../build/medrex_blas.node', import.meta.url);

/** The addon's exports. Pointers are byte offsets into `view`, a Uint8Array over the whole memory. */
export interface NativeBlas {
  gemm(
    view: Uint8Array, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Ptr, lda: number, b: Ptr, ldb: number, beta: number, c: Ptr, ldc: number,
  ): void;
  /** OpenBLAS's build description, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64`. */
  config(): string;
  /** OpenBLAS's thread count (1 once the addon has loaded). */
  threads(): number;
}

export type NativeBlasProbe =
  | { available: true; blas: NativeBlas; path: string }
  | { available: false; reason: string };

const probes = new Map<string, NativeBlasProbe>();

/** Loads the addon once per path and says why it is unavailable when it is. Never throws. */
export function probeNativeBlas(addon: URL | string = DEFAULT_BLAS_ADDON_URL): NativeBlasProbe {
  const path = addon instanceof URL ? fileURLToPath(addon) : addon;
  let probe = probes.get(path);
  if (probe === undefined) {
    probe = load(path);
    probes.set(path, probe);
  }
  return probe;
}

/** The addon, or null when it was not built or cannot load (`probeNativeBlas` gives the reason). */
export function loadNativeBlas(addon?: URL | string): NativeBlas | null {
  const probe = probeNativeBlas(addon);
  return probe.available ? probe.blas : null;
}

function load(path: string): NativeBlasProbe {
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    return { available: false, reason: 'the OpenBLAS backend needs Node (native addon)' };
  }
  if (!existsSync(path)) {
    return {
      available: false,
      reason: `${path} was not built: install OpenBLAS (Debian: apt-get install libopenblas-dev) and run npm run build`,
    };
  }
  try {
    const blas = createRequire(import.meta.url)(path) as NativeBlas;
    if (typeof blas.gemm !== 'function') return { available: false, reason: `${path} does not export gemm` };
    return { available: true, blas, path };
  } catch (error) {
    // Typically libopenblas.so.0 removed after the build: dlopen's message names the missing library.
    return { available: false, reason: `${path} failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export interface BlasKernelOptions extends Omit<WasmKernelOptions, 'gemmThreads'> {
  /** The addon file (default: build/medrex_blas.node at the package root). */
  addon?: URL | string;
}

/**
 * The WebAssembly kernels with OpenBLAS's GEMM. Throws a MedrexError (rule `blas-not-built`) when the addon is
 * unavailable; use `probeNativeBlas()` first to fall back quietly. One thread only: the `gemmThreads: 2` GEMM split
 * runs the wasm GEMM in a helper worker, which would defeat the point here.
 */
export async function createBlasKernels(options: BlasKernelOptions = {}): Promise<WasmKernels> {
  const probe = probeNativeBlas(options.addon);
  if (!probe.available) throw new MedrexError(`OpenBLAS backend unavailable: ${probe.reason}`, { rule: 'blas-not-built' });
  const { blas } = probe;
  const { addon: _addon, ...wasmOptions } = options;
  return withNativeGemm(await createWasmKernels({ ...wasmOptions, gemmThreads: 1 }), blas);
}

/**
 * The same kernels with `gemm` done by the addon, on the same memory. Also used by data-parallel workers
 * (engine/parallel/shard-worker.ts), whose own kernel instances must multiply the way the main thread does.
 */
export function withNativeGemm(kernels: WasmKernels, blas: NativeBlas): WasmKernels {
  return { ...kernels, name: `${kernels.name}+openblas`, nativeGemm: true, gemm: nativeGemm(blas, kernels.memory) };
}

/** The `Kernels.gemm` of the addon over `memory` (also for threads that have no full kernel set, e.g. LSTM directions). */
export function nativeGemm(blas: NativeBlas, memory: WebAssembly.Memory): Kernels['gemm'] {
  // One view over the whole memory, renewed when the memory grows: a grown shared memory hands out a new, longer
  // SharedArrayBuffer (a grown non-shared one detaches the old buffer, so the old view's length drops to 0).
  let view = new Uint8Array(memory.buffer);
  return (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
    if (m <= 0 || n <= 0) return;
    const buffer = memory.buffer;
    if (view.byteLength !== buffer.byteLength) view = new Uint8Array(buffer);
    blas.gemm(view, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  };
}
