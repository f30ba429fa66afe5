/**
 * Picks a kernel backend: WebAssembly SIMD by default, the plain-JavaScript reference on request.
 */
import { MedrexError } from '../../errors.js';
import { createReferenceKernels } from './reference.js';
import type { Kernels } from './types.js';
import { createWasmKernels, DEFAULT_WASM_URL, type WasmKernelOptions } from './wasm.js';

export type Backend = 'wasm' | 'reference';
export type { Kernels, Ptr } from './types.js';
export { createReferenceKernels } from './reference.js';
export { createWasmKernels, type WasmKernelOptions, type WasmKernels } from './wasm.js';

export const BACKENDS: readonly Backend[] = ['wasm', 'reference'];

/** Loads the kernels of `backend`; a missing build/kernels.wasm is a user error that says how to fix it. */
export async function loadKernels(backend: Backend = 'wasm', options: WasmKernelOptions = {}): Promise<Kernels> {
  if (backend === 'reference') return createReferenceKernels(options.memory);
  if (backend !== 'wasm') {
    throw new MedrexError(`unknown kernel backend "${String(backend)}" (expected one of: ${BACKENDS.join(', ')})`, {
      rule: 'kernel-backend',
    });
  }
  try {
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
