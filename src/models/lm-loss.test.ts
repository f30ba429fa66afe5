import { describe, expect, it } from 'vitest';
import type { Document } from '../corpus/types.js';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import { Adam } from '../engine/optim.js';
import { Graph } from '../engine/tensor.js';
import type { TimeMajorBatch } from './batching.js';
import { parseConfig } from './config.js';
import { createModel } from './model.js';
import { RowNoise } from './noise.js';

const doc: Document = {
  id: 'n1',
  text: 'Aspirin 81 mg daily. Warfarin 5 mg nightly.',
  entities: [{ id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'Aspirin' }],
  relations: [],
};

/** Two sentences, time-major: "a b c d" (length 4) and "c d" (length 2, padded). */
function batchOf(ids: { a: number; b: number; c: number; d: number }): TimeMajorBatch {
  const { a, b, c, d } = ids;
  // row t * B + b
  const words = Int32Array.from([a, c, b, d, c, 0, d, 0]);
  return { steps: 4, batch: 2, maxChars: 1, words, chars: new Int32Array(8), charLengths: new Int32Array(8), lengths: Int32Array.from([4, 2]) };
}

function setup(lmVocab: number) {
  const kernels = createReferenceKernels();
  const config = parseConfig({
    kind: 'joint', sharing: 'encoder', hidden: 6, wordDim: 5, charFeatures: false, dropout: 0, wordDropout: 0, lmLossWeight: 1, lmVocab,
  });
  const model = createModel(kernels, [doc], config);
  const v = model.vocabs.words;
  const ids = { a: v.id('aspirin'), b: v.id('0'), c: v.id('mg'), d: v.id('daily') };
  return { kernels, network: model.network, batch: batchOf(ids), ids };
}

function lmLoss(s: ReturnType<typeof setup>, scored = Int32Array.from([4, 2]), backward = false): number {
  const g = new Graph(s.kernels, { training: true });
  const noise = new RowNoise(1, ['lm', 0, 0], 0, 0);
  const states = s.network.encode(g, 'ner', s.batch, s.batch.words, noise);
  const loss = s.network.languageModelLoss(g, states, s.batch.words, s.batch.lengths, scored);
  if (backward) g.backward(loss);
  return g.read(loss)[0];
}

describe('auxiliary language-model loss (lmLossWeight)', () => {
  it('is ln(classes) when the output layer is zero: every scored token counts once, padding and context rows not at all', () => {
    const s = setup(50);
    const P = s.network.params;
    for (const name of ['ner.lm.fwd.w', 'ner.lm.fwd.b', 'ner.lm.bwd.w', 'ner.lm.bwd.b']) P.values(P.get(name)).fill(0);
    const classes = s.network.lmClasses();
    expect(classes).toBe(Math.min(50, s.network.sizes.words));
    expect(lmLoss(s)).toBeCloseTo(Math.log(classes), 5);
    // A context row (scored length 0) adds nothing, so the mean is unchanged.
    expect(lmLoss(s, Int32Array.from([4, 0]))).toBeCloseTo(Math.log(classes), 5);
  });

  it('learns to predict the neighbouring words, and only the NER side owns its parameters', () => {
    const s = setup(50);
    const names = s.network.parameterNames('ner');
    expect(names).toContain('ner.lm.fwd.w');
    expect(s.network.parameterNames('re')).not.toContain('ner.lm.fwd.w');
    const adam = new Adam(s.kernels, s.network.parametersOf('all'), { lr: 0.05, weightDecay: 0 });
    const first = lmLoss(s);
    let last = first;
    for (let step = 0; step < 60; step++) {
      s.network.params.zeroGrads();
      const mark = s.kernels.mark();
      last = lmLoss(s, undefined, true);
      adam.step();
      s.kernels.reset(mark);
    }
    expect(last).toBeLessThan(first * 0.3);
  });

  it('is refused, naming the key, when the NER encoder is deeper than one layer (its forward half would see the next word)', () => {
    expect(() => parseConfig({ kind: 'joint', sharing: 'encoder', layers: 2, lmLossWeight: 0.1 })).toThrow(/language-model loss needs a one-layer NER encoder, this one has 2 layers/);
    expect(parseConfig({ kind: 'joint', sharing: 'encoder', layers: 2 }).lmLossWeight).toBe(0);
  });
});
