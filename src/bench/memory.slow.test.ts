/**
 * Memory is bounded by design (issue: a DDI corpus with dozens of mentions per sentence ran the engine out of
 * memory). A long note and mention-dense sentences train and predict within a fixed arena budget.
 */
import { describe, expect, it } from 'vitest';
import { denseSentence, longNote } from './memory.js';
import { parseConfig } from '../models/config.js';
import { predictDocuments } from '../models/predict.js';
import { train } from '../models/train.js';

const config = parseConfig({ kind: 'joint', sharing: 'encoder', epochs: 1, patience: 0, negativeRatio: null });

describe('bounded memory', () => {
  it('trains and predicts on a 20,000-token note within 256 MiB of engine memory', async () => {
    const note = longNote(20_000);
    const { model } = await train([note], config, { progress: false });
    const [predicted] = predictDocuments(model, [note], { entities: 'gold' });
    expect(predicted.entities.length).toBe(note.entities.length);
    expect(model.network.kernels.peakBytes()).toBeLessThan(256 * 2 ** 20);
  }, 120_000);

  it('trains and predicts on sentences with 60 mentions of one type (3,540 candidate pairs each)', async () => {
    const docs = [0, 1, 2].map((i) => denseSentence(60, i));
    const { model } = await train(docs, config, { progress: false });
    const predicted = predictDocuments(model, docs, { entities: 'gold' });
    expect(predicted).toHaveLength(3);
    expect(model.network.kernels.peakBytes()).toBeLessThan(512 * 2 ** 20);
  }, 120_000);
});
