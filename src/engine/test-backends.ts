/**
 * The kernel backends the engine's tests run on: always the reference kernels, plus the WebAssembly kernels
 * when `kernels/load.ts` exists and loads them (it is written in parallel; until then tests skip it, saying so),
 * plus `wasm-simd+openblas` where the optional OpenBLAS addon was built (kernels/native-blas.test.ts says why
 * when it was not; repeating that in every suite would only add noise).
 * Every backend runs the same suite, as in TensorFlow.js.
 */
import { createReferenceKernels } from './kernels/reference.js';
import type { Kernels } from './kernels/types.js';

export interface TestBackend {
  name: string;
  /** A fresh kernel set with its own memory. */
  create: () => Promise<Kernels>;
}

type Loader = (backend?: 'wasm' | 'reference' | 'blas') => Promise<Kernels>;

export async function loadTestBackends(): Promise<TestBackend[]> {
  const backends: TestBackend[] = [{ name: 'reference', create: async () => createReferenceKernels() }];
  try {
    // A computed specifier: the module may not exist yet, and the bundler must not resolve it ahead of time.
    const specifier = './kernels/load.js';
    const module = (await import(/* @vite-ignore */ specifier)) as { loadKernels?: Loader };
    const loader = module.loadKernels;
    if (typeof loader !== 'function') throw new Error('kernels/load.ts does not export loadKernels');
    const probe = await loader('wasm'); // fails here when the wasm build is missing
    if (probe.name !== 'reference') backends.push({ name: probe.name, create: () => loader('wasm') });
  } catch (error) {
    console.warn(`engine tests: wasm kernels not available, testing the reference kernels only (${String(error)})`);
    return backends;
  }
  try {
    const { probeNativeBlas } = await import('./kernels/native-blas.js');
    if (probeNativeBlas().available) {
      const { loadKernels } = await import('./kernels/load.js');
      const name = (await loadKernels('blas')).name;
      backends.push({ name, create: () => loadKernels('blas') });
    }
  } catch (error) {
    console.warn(`engine tests: the OpenBLAS kernels failed to load, not testing them (${String(error)})`);
  }
  return backends;
}
