/**
 * The pieces together: parameters + initialisers + BiLSTM + linear + CRF + Adam, with the per-step mark/reset
 * discipline. A toy tagging task that a working engine must learn, and a check that steps allocate nothing
 * that outlives them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmBias, orthogonalBlocks, uniform, xavierUniform } from './init.js';
import type { Kernels } from './kernels/types.js';
import { linear } from './ops/basic.js';
import { bioConstraints, crfDecode, crfNll } from './ops/crf.js';
import { biLstm } from './ops/lstm.js';
import { embedding, transpose01 } from './ops/shape.js';
import { Adam, clipGradNorm } from './optim.js';
import { ParameterStore } from './params.js';
import { Rng } from '../random.js';
import { Graph } from './tensor.js';
import { loadTestBackends } from './test-backends.js';

const backends = await loadTestBackends();

// Toy task: token ids 0..5; ids 4 and 5 are "drug" tokens; a drug token followed by another drug token
// continues the mention. Tags: O, B-D, I-D. Needs left context (B vs I), which the BiLSTM must learn.
const TAGS = ['O', 'B-D', 'I-D'];
const VOCAB = 6;
function makeBatch(rng: Rng, batch: number, maxLen: number): { ids: number[][]; tags: number[][] } {
  const ids: number[][] = [];
  const tags: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const len = 2 + rng.int(maxLen - 1);
    const seq = Array.from({ length: len }, () => rng.int(VOCAB));
    ids.push(seq);
    tags.push(seq.map((id, t) => (id < 4 ? 0 : t > 0 && seq[t - 1] >= 4 ? 2 : 1)));
  }
  return { ids, tags };
}

describe.each(backends)('a BiLSTM-CRF tagger trained on $name kernels', (backend) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await backend.create();
  });

  it('learns a toy BIO task, and each step leaves the arena where it found it', () => {
    const E = 8;
    const H = 8;
    const K = TAGS.length;
    const rng = new Rng(42);
    const store = new ParameterStore(k);
    const emb = store.create('emb', [VOCAB, E], (v) => uniform(v, 0.5, rng));
    const direction = (name: string) => ({
      wIh: store.create(`${name}.wIh`, [E, 4 * H], (v) => xavierUniform(v, E, 4 * H, rng)),
      wHh: store.create(`${name}.wHh`, [H, 4 * H], (v) => orthogonalBlocks(v, H, 4 * H, rng)),
      bias: store.create(`${name}.bias`, [4 * H], (v) => lstmBias(v, H)),
    });
    const fwd = direction('fwd');
    const bwd = direction('bwd');
    const outW = store.create('out.w', [2 * H, K], (v) => xavierUniform(v, 2 * H, K, rng));
    const outB = store.create('out.b', [K]);
    const crf = {
      transitions: store.create('crf.transitions', [K, K]),
      start: store.create('crf.start', [K]),
      end: store.create('crf.end', [K]),
    };
    const constraints = bioConstraints(TAGS);
    const optimizer = new Adam(k, store.list(), { lr: 0.05 });

    /** Emissions [B, T, K] for a batch of id sequences (padded with 0). */
    const emissionsOf = (g: Graph, ids: number[][]) => {
      const T = Math.max(...ids.map((s) => s.length));
      const B = ids.length;
      const timeMajor: number[] = [];
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) timeMajor.push(ids[b][t] ?? 0);
      const lengths = ids.map((s) => s.length);
      const x = embedding(g, emb, timeMajor, [T, B]);
      const h = biLstm(g, x, lengths, fwd, bwd);
      return { emissions: transpose01(g, linear(g, h, outW, outB)), lengths, T };
    };

    const dataRng = new Rng(7);
    const losses: number[] = [];
    const mark = k.mark();
    for (let step = 0; step < 60; step++) {
      const { ids, tags } = makeBatch(dataRng, 8, 7);
      const g = new Graph(k);
      const { emissions, lengths, T } = emissionsOf(g, ids);
      const gold = tags.flatMap((s) => [...s, ...new Array(T - s.length).fill(0)]);
      const loss = crfNll(g, emissions, lengths, gold, crf, { constraints });
      losses.push(g.read(loss)[0]);
      store.zeroGrads();
      g.backward(loss);
      clipGradNorm(k, store.list(), 5);
      optimizer.step();
      k.reset(mark);
      expect(k.mark()).toBe(mark);
    }
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first / 4);

    const test = makeBatch(new Rng(99), 16, 7);
    const g = new Graph(k, { training: false });
    const { emissions, lengths } = emissionsOf(g, test.ids);
    const predicted = crfDecode(g, emissions, lengths, crf, constraints);
    k.reset(mark);
    const total = test.tags.flat().length;
    const correct = test.tags.flat().filter((tag, i) => tag === predicted.flat()[i]).length;
    expect(correct / total).toBeGreaterThan(0.95);
  });
});
