/**
 * Picks a kernel backend: WebAssembly SIMD by default, the plain-JavaScript reference on request, and (Node only,
 * where `npm run build` found OpenBLAS) `blas`: the WebAssembly kernels with OpenBLAS's GEMM (native-blas.ts).
 */
import { MedrexError } from '../../errors.js';
import { createReferenceKernels } from './reference.js';
import type { Kernels } from './types.js';
import { createWasmKernels, DEFAULT_WASM_URL, type WasmKernelOptions } from './wasm.js';

export type Backend = 'wasm' | 'reference' | 'blas';
export type { Kernels, Ptr } from './types.js';
export { createReferenceKernels } from './reference.js';
export { createWasmKernels, type WasmKernelOptions, type WasmKernels } from './wasm.js';

export type { BlasKernelOptions, NativeBlas, NativeBlasProbe } from './native-blas.js';

export const BACKENDS: readonly Backend[] = ['wasm', 'reference', 'blas'];

/**
 * Loads the kernels of `backend`; a missing build/kernels.wasm is a user error that says how to fix it, and so is
 * `blas` where the OpenBLAS addon was not built (rule `blas-not-built`; `probeNativeBlas()` tells beforehand).
 */
export async function loadKernels(backend: Backend = 'wasm', options: WasmKernelOptions = {}): Promise<Kernels> {
  if (backend === 'reference') return createReferenceKernels(options.memory);
  if (backend !== 'wasm' && backend !== 'blas') {
    throw new MedrexError(`unknown kernel backend "${String(backend)}" (expected one of: ${BACKENDS.join(', ')})`, {
      rule: 'kernel-backend',
    });
  }
  const { threads, ...common } = options;
  if (backend === 'blas' && threads === 2) {
    throw new MedrexError('the blas kernel backend runs GEMM on one thread (threads: 2 splits the wasm GEMM)', {
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

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
