/**
 * The one place that decides which kernels run: the backend names, loading a backend, and the default choice for
 * training and for loading a model. WebAssembly SIMD by default, the plain-JavaScript reference on request (and as
 * the fallback where the WebAssembly kernels are not built), and (Node only, where `npm run build` found OpenBLAS)
 * `blas`: the WebAssembly kernels with OpenBLAS's GEMM (native-blas.ts).
 *
 * Three kinds of threads exist, each with its own name:
 *  - `gemmThreads` (WasmKernelOptions): one large matrix product split between two threads (gemm-threads.ts);
 *  - directions: a BiLSTM's two directions on two threads (`DirectionRunner`, parallel/direction-threads.ts);
 *  - shards: data-parallel training, each batch cut into shards on worker threads (parallel/shard-pool.ts),
 *    `defaultKernels({ shards })` below and `medrex train --threads N`.
 */
import { MedrexError } from '../../errors.js';
import { createReferenceKernels } from './reference.js';
import type { Kernels } from './types.js';
import { createWasmKernels, DEFAULT_WASM_URL, type WasmKernelOptions } from './wasm.js';

/** Every kernel backend. */
export const KERNEL_BACKENDS = ['wasm', 'blas', 'reference'] as const;
export type KernelBackend = (typeof KERNEL_BACKENDS)[number];

/** The backends a user chooses for training (`--backend`, a study's `backend`); `reference` is for tests. */
export const TRAINING_BACKENDS = ['wasm', 'blas'] as const satisfies readonly KernelBackend[];
export type TrainingBackend = (typeof TRAINING_BACKENDS)[number];

export function isTrainingBackend(value: string): value is TrainingBackend {
  return (TRAINING_BACKENDS as readonly string[]).includes(value);
}

/**
 * Loads the kernels of `backend`; a missing build/kernels.wasm is a user error that says how to fix it, and so is
 * `blas` where the OpenBLAS addon was not built (rule `blas-not-built`; `probeNativeBlas()` tells beforehand).
 */
export async function loadKernels(backend: KernelBackend = 'wasm', options: WasmKernelOptions = {}): Promise<Kernels> {
  if (backend === 'reference') return createReferenceKernels(options.memory);
  if (backend !== 'wasm' && backend !== 'blas') {
    throw new MedrexError(`unknown kernel backend "${String(backend)}" (expected one of: ${KERNEL_BACKENDS.join(', ')})`, {
      rule: 'kernel-backend',
    });
  }
  const { gemmThreads, ...common } = options;
  if (backend === 'blas' && gemmThreads === 2) {
    throw new MedrexError('the blas kernel backend runs GEMM on one thread (gemmThreads: 2 splits the wasm GEMM)', {
      rule: 'kernel-backend',
    });
  }
  try {
    if (backend === 'blas') {
      // Imported on demand: it loads a native addon through node:module, which browser bundles must not need.
      const { createBlasKernels } = await import('./native-blas.js');
      return await createBlasKernels(common);
    }
    return await createWasmKernels(options);
  } catch (cause) {
    if (isMissingFile(cause)) {
      const where = options.source === undefined ? DEFAULT_WASM_URL.pathname : String(options.source);
      throw new MedrexError(`WebAssembly kernels not found at ${where}: run npm run build`, {
        file: where,
        rule: 'kernels-not-built',
      });
    }
    throw cause;
  }
}

/**
 * The kernels for training on `shards` data-parallel threads (default 1) or for loading a model: `backend`'s when
 * they are built; for `wasm` on one thread the reference kernels where the WebAssembly ones are not (slower, same
 * results to rounding). Several shards need a shared memory with room for each worker's region.
 */
export async function defaultKernels(shards = 1, backend: TrainingBackend = 'wasm'): Promise<Kernels> {
  // Worker threads need room in the memory for their regions: 4 GiB, the most a 32-bit memory can address.
  const maximumPages = shards > 1 ? 65_536 : undefined;
  if (backend === 'blas' || shards > 1) return loadKernels(backend, { maximumPages });
  try {
    return await loadKernels('wasm');
  } catch {
    return loadKernels('reference');
  }
}

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
