/**
 * Ensembles: members trained from their own seeds, saved in one file and loaded back; an ensemble of identical
 * members predicts exactly what one of them predicts (the averaging is a mean, nothing else); a run interrupted in
 * any member's checkpoint write resumes to the uninterrupted ensemble.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { interruptingFileOps } from '../atomic-write.js';
import { generateCorpus } from '../corpus/synth/index.js';
import { defaultKernels } from '../engine/kernels/load.js';
import type { Kernels } from '../engine/kernels/types.js';
import { parseConfig } from './config.js';
import { memberSeed } from './ensemble.js';
import { CARD_FILE, readModel, WEIGHTS_FILE, type Model } from './model.js';
import { predictDocuments } from './predict.js';
import { train } from './train.js';
import { weightsOf } from './weights.js';

const docs = generateCorpus({ docs: 12, seed: 11 });
const trainDocs = docs.slice(0, 10);
const dev = docs.slice(10);
const config = parseConfig({
  kind: 'joint',
  sharing: 'encoder',
  hidden: 16,
  wordDim: 8,
  charFilters: 8,
  relHidden: 8,
  learningRate: 0.02,
  epochs: 2,
  patience: 0,
  ensemble: 2,
});

let kernels: Kernels;
let dir: string;
let model: Model;
beforeAll(async () => {
  kernels = await defaultKernels();
  dir = mkdtempSync(join(tmpdir(), 'medrex-ensemble-'));
  model = (await train(trainDocs, config, { kernels, devDocuments: dev, outDir: dir, progress: false })).model;
});

/** Entities and relations as comparable text, scores included. */
function outputs(documents: ReturnType<typeof predictDocuments>): string[] {
  return documents.map((d) => JSON.stringify([d.entities, d.relations]));
}

describe('ensembles', () => {
  it('the first member keeps the seed, the others get their own, distinct across model seeds', () => {
    expect(memberSeed(13, 0)).toBe(13);
    const seeds = [1, 2, 3].flatMap((seed) => [1, 2].map((i) => memberSeed(seed, i)));
    expect(new Set([...seeds, 1, 2, 3]).size).toBe(9);
  });

  it('trains every member from its own seed, records their epochs, and saves them in one weights file', () => {
    expect(model.members).toHaveLength(2);
    expect(model.members[0]).toBe(model.network);
    expect(model.members.map((m) => m.config.seed)).toEqual([config.seed, memberSeed(config.seed, 1)]);
    const [a, b] = model.members.map((m) => weightsOf(m.params).get('ner.tagger.w')!.data);
    expect(a).not.toEqual(b);
    expect(model.training!.history.map((r) => `${r.member}:${r.phase}${r.epoch}`)).toEqual(['1:joint1', '1:joint2', '2:joint1', '2:joint2']);
    expect(Object.keys(model.training!.bestEpochs)).toEqual(['member1.joint', 'member2.joint']);
    const loaded = readModel(kernels, dir);
    expect(loaded.members).toHaveLength(2);
    loaded.members.forEach((m, i) => expect(weightsOf(m.params)).toEqual(weightsOf(model.members[i].params)));
    expect(outputs(predictDocuments(loaded, dev))).toEqual(outputs(predictDocuments(model, dev)));
  });

  it('an ensemble of identical members predicts what one member predicts', () => {
    const single: Model = { ...model, members: [model.network] };
    const twins: Model = { ...model, members: [model.network, model.network] };
    const expected = outputs(predictDocuments(single, docs));
    expect(expected.some((d) => d !== '[[],[]]')).toBe(true);
    expect(outputs(predictDocuments(twins, docs))).toEqual(expected);
    expect(outputs(predictDocuments(twins, docs, { entities: 'gold' }))).toEqual(outputs(predictDocuments(single, docs, { entities: 'gold' })));
  });

  it('averages: the ensemble differs from its first member alone', () => {
    const first: Model = { ...model, members: [model.network] };
    const relationScores = (m: Model) => predictDocuments(m, docs, { entities: 'gold' }).flatMap((d) => d.relations.map((r) => r.score));
    expect(relationScores(model)).not.toEqual(relationScores(first));
  });

  it('loads a model saved before ensembles (no ensemble key in its card) as the one network it is', async () => {
    const oneDir = mkdtempSync(join(tmpdir(), 'medrex-ensemble-old-'));
    const one = (await train(trainDocs, { ...config, ensemble: 1, epochs: 1 }, { kernels, outDir: oneDir, progress: false })).model;
    const cardPath = join(oneDir, CARD_FILE);
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as { config: Record<string, unknown> };
    delete card.config.ensemble;
    writeFileSync(cardPath, JSON.stringify(card));
    const expected = outputs(predictDocuments(one, docs));
    const loaded = readModel(kernels, oneDir);
    expect(loaded.members).toHaveLength(1);
    expect(outputs(predictDocuments(loaded, docs))).toEqual(expected);
    // The two-member model's card without the key: its second member is named in the error.
    const twoCard = JSON.parse(readFileSync(join(dir, CARD_FILE), 'utf8')) as { config: Record<string, unknown> };
    delete twoCard.config.ensemble;
    const bad = mkdtempSync(join(tmpdir(), 'medrex-ensemble-bad-'));
    writeFileSync(join(bad, CARD_FILE), JSON.stringify(twoCard));
    writeFileSync(join(bad, WEIGHTS_FILE), readFileSync(join(dir, WEIGHTS_FILE)));
    expect(() => readModel(kernels, bad)).toThrow(/unexpected tensor member2\./);
  });

  it('resumes to the uninterrupted ensemble after an interruption in any member', async () => {
    const expected = readFileSync(join(dir, WEIGHTS_FILE));
    const counting = interruptingFileOps(Infinity);
    await train(trainDocs, config, { kernels, devDocuments: dev, outDir: mkdtempSync(join(tmpdir(), 'medrex-ensemble-count-')), progress: false, checkpointFileOps: counting });
    // Two epochs per member plus the hand-over to member 2: 5 writes.
    const writes = 5;
    expect(counting.calls % writes).toBe(0);
    const perWrite = counting.calls / writes;
    // A cut at the second write's rename (member 1, epoch 2), at the hand-over and in member 2's first epoch.
    for (const step of [perWrite + 5, 2 * perWrite + 5, 3 * perWrite + 5]) {
      const cutDir = mkdtempSync(join(tmpdir(), 'medrex-ensemble-cut-'));
      await expect(
        train(trainDocs, config, { kernels, devDocuments: dev, outDir: cutDir, progress: false, checkpointFileOps: interruptingFileOps(step) }),
      ).rejects.toThrow(/simulated interruption/);
      const resumed = await train(trainDocs, config, { kernels, devDocuments: dev, outDir: cutDir, progress: false });
      expect(resumed.resumed).toBe(true);
      expect(readFileSync(join(cutDir, WEIGHTS_FILE)).equals(expected), `interrupted at operation ${step}`).toBe(true);
      expect(resumed.history).toHaveLength(4);
    }
  }, 120_000);
});
