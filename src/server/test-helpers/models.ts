/** Test support for the server: a model double that finds nothing, and a small real model directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { MedrexModel } from '../../api/types.js';
import { generateCorpus } from '../../corpus/synth/index.js';
import { defaultKernels } from '../../engine/kernels/load.js';
import { parseConfig } from '../../models/config.js';
import { createModel, saveModel } from '../../models/model.js';

// TEST DOUBLE: a model that finds nothing, so a test measures the HTTP path and the bookkeeping only.
export const emptyModel: MedrexModel = {
  card: {
    format: 'medrex-model', formatVersion: 1, medrexVersion: 'test', config: {},
    labels: { entityTypes: [], relationTypes: [] }, vocabulary: { words: 0, chars: 0 }, parameters: 0, training: null,
  },
  extract: async () => ({ entities: [], relations: [] }),
  extractBatch: async (texts) => texts.map(() => ({ entities: [], relations: [] })),
};

/**
 * A real, untrained (so quick to make) model written to `root/model`; returns its directory. One tag sequence:
 * untrained, each of per-type's nine CRFs would tag random spans, about 23 entities and 126 relations per
 * sentence (1.26 million relations, a response of over 100 MB, for the 330,000-character text of the worker
 * tests), which measures the size of a random model's output rather than the server.
 */
export async function writeTinyModel(root: string, seed = 2): Promise<string> {
  const modelDir = join(root, 'model');
  const corpus = generateCorpus({ docs: 3, seed, length: 'short' });
  const config = parseConfig({ hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8, tagLayers: 'single' });
  saveModel(createModel(await defaultKernels(), corpus, config), modelDir);
  return modelDir;
}

/**
 * A temporary folder holding a tiny model for the tests of one file: made before them, removed after. Returns
 * getters, valid once the tests run, for the folder and the model directory inside it.
 */
export function useTinyModel(prefix: string, seed = 2): { root: () => string; modelDir: () => string } {
  let root = '';
  let modelDir = '';
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), prefix));
    modelDir = await writeTinyModel(root, seed);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return { root: () => root, modelDir: () => modelDir };
}
