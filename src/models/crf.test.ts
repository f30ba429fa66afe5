import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import { bioConstraints } from '../engine/ops/crf.js';
import { Graph } from '../engine/tensor.js';
import { crfDecodeWithConfidence } from './crf.js';

describe('CRF decoding with confidences', () => {
  it('gives per-token softmax probabilities when transitions are all zero', () => {
    // Tags O and B-X have no constraint between them; with zero transition/start/end scores the CRF factorises,
    // so the marginal of each position is the softmax of its emissions: [0, ln 3] -> P(B-X) = 3/4.
    const k = createReferenceKernels();
    const g = new Graph(k, { training: false });
    const emissions = g.constant([0, Math.log(3), Math.log(4), 0, 5, 5], [1, 3, 2]);
    const zeros = (shape: number[]) => g.zeros(shape);
    const w = { transitions: zeros([2, 2]), start: zeros([2]), end: zeros([2]) };
    const { tags, confidence } = crfDecodeWithConfidence(g, emissions, Int32Array.of(2), w, bioConstraints(['O', 'B-X']));
    expect(Array.from(tags)).toEqual([1, 0, 0]);
    expect(confidence[0]).toBeCloseTo(0.75, 5);
    expect(confidence[1]).toBeCloseTo(0.8, 5);
    // Past the length: no tag, no confidence.
    expect(confidence[2]).toBe(0);
  });

  it('never starts with an I- tag and never puts I-X after O', () => {
    const k = createReferenceKernels();
    const g = new Graph(k, { training: false });
    // Emissions favour I-X everywhere (tags O, B-X, I-X); the constraints force B-X first.
    const emissions = g.constant([0, 1, 3, 0, 1, 3], [1, 2, 3]);
    const w = { transitions: g.zeros([3, 3]), start: g.zeros([3]), end: g.zeros([3]) };
    const { tags, confidence } = crfDecodeWithConfidence(g, emissions, Int32Array.of(2), w, bioConstraints(['O', 'B-X', 'I-X']));
    expect(Array.from(tags)).toEqual([1, 2]);
    expect(confidence[0]).toBeGreaterThan(0);
    expect(confidence[0]).toBeLessThanOrEqual(1);
  });
});
