/**
 * The kernel-level tagger step must be a faithful workload: its gradients are checked against central finite
 * differences of its own loss on a tiny configuration, for every parameter tensor, on both backends.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import type { Kernels } from '../engine/kernels/types.js';
import { createWasmKernels, DEFAULT_WASM_URL } from '../engine/kernels/wasm.js';
import { createTaggerStep, type TaggerSize } from './tagger-step.js';

const TINY: TaggerSize = { vocab: 7, embedding: 3, hidden: 5, tags: 4, batch: 2, steps: 3 };
const NAMES = ['emb', 'wIh0', 'wHh0', 'b0', 'wIh1', 'wHh1', 'b1', 'wOut', 'bOut', 'trans', 'start', 'end'];

function checkGradients(k: Kernels): void {
  // Large weights (up to 1) so that recurrent paths carry a visible share of every gradient.
  const step = createTaggerStep(k, TINY, 3, 1);
  step.lossAndGradients();
  // Snapshot every gradient before any perturbed evaluation overwrites them.
  const analyticOf = new Map(NAMES.map((name) => {
    const { grad, length } = step.param(name);
    return [name, Array.from(k.f32(grad, length))];
  }));
  for (const name of NAMES) {
    const { value, length } = step.param(name);
    const analytic = analyticOf.get(name)!;
    // Every entry (the embedding's gradient is zero for unused words, which is checked too).
    for (let i = 0; i < length; i++) {
      const eps = 1e-2;
      const original = k.f32(value, length)[i];
      k.f32(value, length)[i] = original + eps;
      const up = step.lossAndGradients();
      k.f32(value, length)[i] = original - eps;
      const down = step.lossAndGradients();
      k.f32(value, length)[i] = original;
      const numeric = (up - down) / (2 * eps);
      expect(Math.abs(numeric - analytic[i]), `${name}[${i}]: numeric ${numeric}, analytic ${analytic[i]}`)
        .toBeLessThan(1e-3 + 1e-2 * Math.abs(numeric));
    }
  }
}

describe('kernel-level BiLSTM-CRF tagger step', () => {
  it('has gradients that match finite differences (reference kernels)', () => {
    checkGradients(createReferenceKernels());
  });

  it.skipIf(!existsSync(DEFAULT_WASM_URL))('has gradients that match finite differences (wasm kernels)', async () => {
    checkGradients(await createWasmKernels());
  });

  const distThreads = new URL('../../dist/engine/parallel/direction-threads.js', import.meta.url);
  const distKernels = new URL('../../dist/engine/kernels/wasm.js', import.meta.url);
  it.skipIf(!existsSync(DEFAULT_WASM_URL) || !existsSync(distThreads))(
    "gives the same loss and gradients with the engine's direction threads (one direction each)", async () => {
      const { createWasmKernels: distWasm } = (await import(distKernels.href)) as typeof import('../engine/kernels/wasm.js');
      const { createDirectionThreads } = (await import(distThreads.href)) as typeof import('../engine/parallel/direction-threads.js');
      const k = await distWasm();
      const threads = await createDirectionThreads(k);
      try {
        const alone = createTaggerStep(k, TINY, 5, 1);
        const paired = createTaggerStep(k, TINY, 5, 1, threads.runner);
        expect(paired.lossAndGradients()).toBe(alone.lossAndGradients());
        for (const name of NAMES) {
          const a = alone.param(name);
          const b = paired.param(name);
          expect(Array.from(k.f32(b.grad, b.length)), name).toEqual(Array.from(k.f32(a.grad, a.length)));
        }
      } finally {
        await threads.close();
      }
    });

  it('lowers its loss over a few Adam steps on a fixed batch', async () => {
    const step = createTaggerStep(createReferenceKernels(), TINY, 4);
    const first = step.train();
    let last = first;
    for (let i = 0; i < 30; i++) last = step.train();
    expect(last).toBeLessThan(first);
  });
});
