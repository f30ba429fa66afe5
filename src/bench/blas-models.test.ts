/**
 * The optional OpenBLAS backend trains the benchmark's models to the losses of the WebAssembly kernels: the
 * kernel-level tagger and the engine-built joint model. Skipped, saying why, where the addon was not built.
 */
import { describe, expect, it } from 'vitest';
import { createBlasKernels, probeNativeBlas } from '../engine/kernels/native-blas.js';
import { createWasmKernels, type WasmKernels } from '../engine/kernels/wasm.js';
import { createEngineModel, type EngineModelSize } from './engine-models.js';
import { createTaggerStep, type TaggerSize } from './tagger-step.js';

const probe = probeNativeBlas();
if (!probe.available) console.warn(`OpenBLAS model tests skipped: ${probe.reason}`);

describe.skipIf(!probe.available)('benchmark models on wasm-simd+openblas', () => {
  it('trains the kernel-level BiLSTM-CRF tagger to the same losses as wasm', async () => {
    const size: TaggerSize = { vocab: 60, embedding: 20, hidden: 24, tags: 7, batch: 5, steps: 9 };
    const losses = async (k: WasmKernels): Promise<number[]> => {
      const step = createTaggerStep(k, size, 3, 0.3);
      return Array.from({ length: 6 }, () => step.train());
    };
    const [w, b] = [await losses(await createWasmKernels()), await losses(await createBlasKernels())];
    expect(b[5]).toBeLessThan(b[0]); // it learns
    for (let i = 0; i < w.length; i++) expect(Math.abs(b[i] - w[i]), `step ${i}: ${b[i]} vs ${w[i]}`).toBeLessThan(1e-4 * Math.abs(w[i]));
  });

  it('trains the engine-built joint model (graph, ops, Adam) to the same losses as wasm', async () => {
    const size: EngineModelSize = { vocab: 40, embedding: 12, hidden: 10, tags: 6, batch: 3, steps: 8, pairs: 4, relHidden: 9, relations: 3 };
    const losses = async (k: WasmKernels): Promise<number[]> => {
      const model = createEngineModel(k, 'joint', size, 5);
      return Array.from({ length: 5 }, () => model.train());
    };
    const [w, b] = [await losses(await createWasmKernels()), await losses(await createBlasKernels())];
    for (let i = 0; i < w.length; i++) expect(Math.abs(b[i] - w[i]), `step ${i}: ${b[i]} vs ${w[i]}`).toBeLessThan(1e-4 * Math.abs(w[i]));
  });
});
