import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from './kernels/reference.js';
import type { Kernels } from './kernels/types.js';
import { linear, reshape } from './ops/basic.js';
import { charCnn } from './ops/conv.js';
import { crfNll } from './ops/crf.js';
import { biLstm } from './ops/lstm.js';
import { spanMax, spanMean } from './ops/pool.js';
import { concat, embedding, transpose01 } from './ops/shape.js';
import { Rng } from '../random.js';
import { Graph } from './tensor.js';

/** A small network touching every op family; returns the loss, a pooled output and the leaves' gradients. */
function run(k: Kernels): number[] {
  const rng = new Rng(5);
  const values = (n: number) => Array.from({ length: n }, () => rng.uniform(-1, 1));
  const [T, B, E, H, K, C, F] = [10, 4, 8, 20, 3, 7, 4];
  const lengths = [10, 6, 3, 8];
  const g = new Graph(k);
  const leaf = (shape: number[]) => g.constant(values(shape.reduce((a, b) => a * b, 1)), shape, true);
  const table = leaf([10, E]);
  const chars = leaf([T * B, C, 2]);
  const filters = leaf([3 * 2, F]);
  const direction = () => ({ wIh: leaf([E + F, 4 * H]), wHh: leaf([H, 4 * H]), bias: leaf([4 * H]) });
  const [fwd, bwd] = [direction(), direction()];
  const out = leaf([2 * H, K]);
  const crf = { transitions: leaf([K, K]), start: leaf([K]), end: leaf([K]) };

  const words = embedding(g, table, Array.from({ length: T * B }, (_, i) => (i * 7) % 10), [T, B]);
  const shapes = reshape(g, charCnn(g, chars, { filters, bias: g.zeros([F]) }, { width: 3 }), [T, B, F]);
  const h = biLstm(g, concat(g, [words, shapes]), lengths, fwd, bwd);
  const scores = linear(g, h, out);
  const pooled = spanMean(g, spanMax(g, reshape(g, scores, [T * B, K]), [0, 6, 3, 9, 12, 18]), [0, 2, 1, 3]);
  const gold = Array.from({ length: B * T }, (_, i) => i % K);
  const loss = crfNll(g, transpose01(g, scores), lengths, gold, crf);
  g.backward(loss);
  const leaves = [table, chars, filters, fwd.wIh, fwd.wHh, bwd.bias, out, crf.transitions];
  return [g.read(loss)[0], ...g.read(pooled), ...leaves.flatMap((t) => Array.from(k.f32(t.grad, t.size)))];
}

describe('memory growth during a step', () => {
  it('gives the same loss and gradients in a memory that must grow many times as in a large one', () => {
    const small = createReferenceKernels(new WebAssembly.Memory({ initial: 1 }));
    const large = createReferenceKernels(new WebAssembly.Memory({ initial: 64 }));
    const grown = run(small);
    expect(small.memory.buffer.byteLength).toBeGreaterThan(65_536);
    expect(grown.some((v) => v !== 0)).toBe(true);
    expect(grown).toEqual(run(large));
  });
});
