/**
 * The engine-built benchmark models compute the losses they claim, learn, and give the same numbers when the
 * BiLSTM directions run on two threads (that part needs `npm run build`: the worker runs from dist/).
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { DirectionThreads } from '../engine/parallel/direction-threads.js';
import { createEngineModel, type EngineModelKind, type EngineModelSize } from './engine-models.js';

const TINY: EngineModelSize = { vocab: 11, embedding: 4, hidden: 3, tags: 5, batch: 2, steps: 6, pairs: 3, relHidden: 7, relations: 4 };

/** Zero the tagger's output layer and the relation head's last layer: every score becomes 0. */
function flatten(k: Kernels, model: ReturnType<typeof createEngineModel>): void {
  for (const name of ['tagger.w', 'tagger.b', 'rel.w2', 'rel.b2']) {
    if (!model.params.has(name)) continue;
    const p = model.params.get(name);
    k.fill(p.ptr, p.size, 0);
  }
}

describe('engine-built benchmark models', () => {
  it('with all scores zero, the losses are the uniform ones worked out by hand', () => {
    const k = createReferenceKernels();
    // Zero emissions and transitions: all 5^6 tag paths are equally likely, NLL per sentence = 6 ln 5
    // (mean over sentences, so 6 ln 5 too). Zero logits over 4 classes: cross-entropy ln 4 per pair.
    const expected: Record<EngineModelKind, number> = {
      tagger: 6 * Math.log(5),
      joint: 6 * Math.log(5) + Math.log(4),
      pipeline: 6 * Math.log(5) + Math.log(4),
    };
    for (const kind of ['tagger', 'joint', 'pipeline'] as const) {
      const model = createEngineModel(k, kind, TINY, 1);
      flatten(k, model);
      expect(model.lossAndGradients()).toBeCloseTo(expected[kind], 4);
    }
  });

  it('the pipeline has a second encoder, the joint model shares one', () => {
    const k = createReferenceKernels();
    const names = (kind: EngineModelKind) => createEngineModel(k, kind, TINY).params.list().map((p) => p.name);
    expect(names('joint').filter((n) => n.endsWith('.words'))).toEqual(['ner.words']);
    expect(names('pipeline').filter((n) => n.endsWith('.words'))).toEqual(['ner.words', 're.words']);
    expect(names('tagger')).not.toContain('rel.w1');
  });

  it('training steps lower the loss on the fixed batch, and decoding returns one full-length path per sentence', () => {
    const k = createReferenceKernels();
    const model = createEngineModel(k, 'joint', TINY, 2);
    const first = model.train();
    let last = first;
    for (let i = 0; i < 30; i++) last = model.train();
    expect(last).toBeLessThan(first);
    const paths = model.infer();
    expect(paths.map((p) => p.length)).toEqual([6, 6]);
    for (const p of paths) for (const tag of p) expect(tag >= 0 && tag < 5).toBe(true);
  });
});

const distThreads = new URL('../../dist/engine/parallel/direction-threads.js', import.meta.url);
const distKernels = new URL('../../dist/engine/kernels/wasm.js', import.meta.url);
const built = existsSync(distThreads) && existsSync(new URL('../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('engine-models two-thread test skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

describe.skipIf(!built)('engine-built models on two threads', () => {
  let threads: DirectionThreads | undefined;
  afterAll(async () => threads?.close());

  it('give bit-identical losses and gradients to one thread, for every model', async () => {
    const { createWasmKernels } = (await import(distKernels.href)) as typeof import('../engine/kernels/wasm.js');
    const { createDirectionThreads } = (await import(distThreads.href)) as typeof import('../engine/parallel/direction-threads.js');
    const k = await createWasmKernels();
    threads = await createDirectionThreads(k);
    for (const kind of ['tagger', 'joint', 'pipeline'] as const) {
      const run = (runner?: DirectionThreads['runner']): number[][] => {
        const model = createEngineModel(k, kind, TINY, 5, runner);
        const losses = [model.train(), model.train(), model.lossAndGradients()];
        return [losses, ...model.params.list().map((p) => Array.from(k.f32(p.grad, p.size)))];
      };
      expect(run(threads.runner)).toEqual(run());
    }
  });
});
