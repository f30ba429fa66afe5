/**
 * The relation decision's weight on p(no relation): it moves the decision both ways, `train` tunes it on dev and
 * the card keeps the weight chosen.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import { MedrexError } from '../errors.js';
import { parseConfig } from './config.js';
import { createModel, readModel, saveModel, CARD_FILE } from './model.js';
import { predictRelations, predictRelationsAtWeights } from './predict.js';
import { NONE_WEIGHT_CANDIDATES } from './relation-decision.js';
import { train } from './train.js';

const corpus = generateCorpus({ docs: 8, seed: 5, length: 'short' });
const small = { hidden: 8, wordDim: 8, charFilters: 8, relHidden: 8, ensemble: 1, epochs: 2, patience: 0 } as const;

describe('relation decision', () => {
  it('moves the decision: a tiny weight relates every candidate pair, a huge one none', () => {
    const model = createModel(createReferenceKernels(), corpus, parseConfig({ ...small, kind: 'joint', sharing: 'encoder' }));
    const count = (weight: number) => predictRelations(model, corpus, weight).reduce((n, relations) => n + relations.length, 0);
    expect(count(1e-12)).toBeGreaterThan(count(1));
    expect(count(1e12)).toBe(0);
    // The model's own weight (plain argmax before tuning) is the default.
    expect(model.config.noneWeight).toBe(1);
    expect(count(model.config.noneWeight)).toBe(predictRelations(model, corpus).reduce((n, r) => n + r.length, 0));
    // Several weights from one pass of the relation head decide as each weight alone.
    const weights = [1e-12, 0.5, 1, 4, 1e12];
    expect(predictRelationsAtWeights(model, corpus, weights)).toEqual(weights.map((w) => predictRelations(model, corpus, w)));
  });

  it('tunes the weight on dev after training: the first best of the trials, kept in the card', async () => {
    const [dev, fit] = [corpus.slice(0, 2), corpus.slice(2)];
    const { model } = await train(fit, parseConfig({ ...small, kind: 'joint', sharing: 'encoder' }), { devDocuments: dev, progress: false });
    const trials = model.training?.noneWeightTuning ?? [];
    expect(trials.map((t) => t.noneWeight)).toEqual(NONE_WEIGHT_CANDIDATES);
    const bestF1 = Math.max(...trials.map((t) => t.devRelationF1));
    expect(model.config.noneWeight).toBe(trials.find((t) => t.devRelationF1 === bestF1)!.noneWeight);
    const dir = mkdtempSync(join(tmpdir(), 'medrex-decision-'));
    try {
      saveModel(model, dir);
      expect(readModel(model.network.kernels, dir).config.noneWeight).toBe(model.config.noneWeight);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps a fixed weight, and plain argmax without dev documents', async () => {
    const fixed = await train(corpus, parseConfig({ ...small, kind: 'pipeline', noneWeight: 3 }), { devDocuments: corpus.slice(0, 2), progress: false });
    expect(fixed.model.config.noneWeight).toBe(3);
    expect(fixed.model.training?.noneWeightTuning).toBeUndefined();
    const noDev = await train(corpus, parseConfig({ ...small, kind: 'pipeline', epochs: 1 }), { progress: false });
    expect(noDev.model.config.noneWeight).toBe(1);
  }, 60_000);

  it('reads cards without the key as plain argmax and refuses a card that still says "tune"', () => {
    const kernels = createReferenceKernels();
    const dir = mkdtempSync(join(tmpdir(), 'medrex-decision-card-'));
    try {
      saveModel(createModel(kernels, corpus, parseConfig({ ...small, tagLayers: 'single' })), dir);
      const cardPath = join(dir, CARD_FILE);
      const card = JSON.parse(readFileSync(cardPath, 'utf8')) as { config: Record<string, unknown> };
      delete card.config.noneWeight;
      writeFileSync(cardPath, JSON.stringify(card));
      expect(readModel(kernels, dir).config.noneWeight).toBe(1);
      card.config.noneWeight = 'tune';
      writeFileSync(cardPath, JSON.stringify(card));
      let error: unknown;
      try {
        readModel(kernels, dir);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(MedrexError);
      expect((error as MedrexError).message).toMatch(/noneWeight.*tune/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
