import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import type { Kernels } from '../engine/kernels/types.js';
import { parseConfig } from '../models/config.js';
import { createModel, saveModel } from '../models/model.js';
import { defaultKernels } from '../engine/kernels/load.js';
import { modelFromFiles } from './from-files.js';
import { loadModel } from './load.js';
import { rejectionOf } from '../test-helpers/errors.js';

// An untrained (randomly initialised) model is enough to test loading: its files have the real layout, and its
// predictions, whatever they are, must be consistent with the text and identical across loaders.
const corpus = generateCorpus({ docs: 4, seed: 5, length: 'short' });
let root: string;
let modelDir: string;
let kernels: Kernels;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'medrex-api-'));
  modelDir = join(root, 'model');
  kernels = await defaultKernels();
  const config = parseConfig({ hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8 });
  saveModel(createModel(kernels, corpus, config), modelDir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the model directory with its card edited by `edit` (or a file removed). */
function variant(name: string, edit: { card?: (card: Record<string, unknown>) => string; drop?: string }): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of ['model.json', 'model.safetensors']) {
    if (file !== edit.drop) writeFileSync(join(dir, file), readFileSync(join(modelDir, file)));
  }
  if (edit.card) {
    const card = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'model.json'), edit.card(card));
  }
  return dir;
}

describe('loadModel errors', () => {
  it('rejects a directory that does not exist', async () => {
    const err = await rejectionOf(() => loadModel(join(root, 'nope')));
    expect(err.rule).toBe('model-missing-file');
    expect(err.file).toBe(join(root, 'nope'));
  });

  it('names the missing weights file', async () => {
    const dir = variant('no-weights', { drop: 'model.safetensors' });
    const err = await rejectionOf(() => loadModel(dir));
    expect(err.rule).toBe('model-missing-file');
    expect(err.message).toContain('model.safetensors');
  });

  it('names the missing card', async () => {
    const err = await rejectionOf(() => loadModel(variant('no-card', { drop: 'model.json' })));
    expect(err.rule).toBe('model-missing-file');
    expect(err.message).toContain('model.json');
  });

  it('reports an unsupported format version with both versions and the writer', async () => {
    const dir = variant('v99', { card: (c) => JSON.stringify({ ...c, formatVersion: 99, medrexVersion: '9.0.0' }) });
    const err = await rejectionOf(() => loadModel(dir));
    expect(err.rule).toBe('model-version');
    expect(err.message).toContain('version 99');
    expect(err.message).toContain('medrex 9.0.0');
    expect(err.message).toContain('reads version 1');
    expect(err.file).toBe(join(dir, 'model.json'));
  });

  it('rejects a card of another format', async () => {
    const err = await rejectionOf(() => loadModel(variant('other', { card: () => '{"format": "spacy"}' })));
    expect(err.rule).toBe('model-format');
  });

  it('rejects a card that is not JSON', async () => {
    const err = await rejectionOf(() => loadModel(variant('bad-json', { card: () => '{"format": ' })));
    expect(err.rule).toBe('model-card');
  });

  it('rejects weights that do not match the card', async () => {
    // One more hidden unit in the card than the weights were saved with.
    const dir = variant('mismatch', {
      card: (c) => JSON.stringify({ ...c, config: { ...(c.config as object), hidden: 9 } }),
    });
    const err = await rejectionOf(() => loadModel(dir, { kernels }));
    // The rule is the engine's (its name is not ours to pin); the file must be the weights.
    expect(err.file).toBe(join(dir, 'model.safetensors'));
  });

  it('refuses weights that are NaN or infinite, in both loaders', async () => {
    // A model whose training diverged: every weight NaN (it would load and silently find nothing), and one whose
    // weights are finite but for a single Infinity.
    const nanDir = join(root, 'nan');
    const nanModel = createModel(kernels, corpus, parseConfig({ hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8 }));
    for (const p of nanModel.network.params.list()) nanModel.network.params.values(p).fill(NaN);
    saveModel(nanModel, nanDir);
    const err = await rejectionOf(() => loadModel(nanDir, { kernels }));
    expect(err.rule).toBe('model-weights-not-finite');
    expect(err.file).toBe(join(nanDir, 'model.safetensors'));
    expect(err.message).toMatch(/not finite: \d+ value\(s\) in \d+ tensor\(s\) are NaN or infinite \(first: .+\[0\] = NaN\)/);

    const infDir = join(root, 'inf');
    const infModel = createModel(kernels, corpus, parseConfig({ hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8 }));
    const last = infModel.network.params.list().at(-1)!;
    infModel.network.params.values(last)[1] = -Infinity;
    saveModel(infModel, infDir);
    const inf = await rejectionOf(() => loadModel(infDir, { kernels }));
    expect(inf.message).toContain(`1 value(s) in 1 tensor(s) are NaN or infinite (first: ${last.name}[1] = -Infinity)`);
    const files = { cardText: readFileSync(join(infDir, 'model.json'), 'utf8'), weights: readFileSync(join(infDir, 'model.safetensors')) };
    expect(() => modelFromFiles(kernels, files)).toThrow(/NaN or infinite/);
  });
});

describe('a loaded model', () => {
  const texts = [
    'Metformin 500 mg PO BID for diabetes.',
    '',
    'Lisinopril 10 mg daily.\nAspirin 81 mg.',
  ];

  it('has a card with the training labels and vocabulary sizes, not the vocabularies', async () => {
    const model = await loadModel(modelDir, { kernels });
    const types = [...new Set(corpus.flatMap((d) => d.entities.map((e) => e.type)))].sort();
    expect(model.card.labels.entityTypes).toEqual(types);
    expect(model.card.formatVersion).toBe(1);
    expect(model.card.vocabulary.words).toBeGreaterThan(2);
    expect(JSON.stringify(model.card)).not.toContain('<unk>');
  });

  it('extracts entities whose spans and text agree with the input', async () => {
    const model = await loadModel(modelDir, { kernels });
    const results = await model.extractBatch(texts);
    expect(results).toHaveLength(3);
    expect(results[1]).toEqual({ entities: [], relations: [] });
    results.forEach((result, i) => {
      for (const e of result.entities) {
        expect(e.text).toBe(e.spans.map((s) => texts[i].slice(s.start, s.end)).join(' '));
        expect(e.score).toBeGreaterThanOrEqual(0);
        expect(e.score).toBeLessThanOrEqual(1);
      }
      const ids = new Set(result.entities.map((e) => e.id));
      for (const r of result.relations) expect(ids.has(r.arg1) && ids.has(r.arg2)).toBe(true);
    });
    // extract() is extractBatch() of one.
    expect(await model.extract(texts[2])).toEqual(results[2]);
  });

  it('predicts the same from its files\' bytes (the browser loader) as from its directory', async () => {
    const fromDir = await loadModel(modelDir, { kernels });
    const fromBytes = modelFromFiles(kernels, {
      cardText: readFileSync(join(modelDir, 'model.json'), 'utf8'),
      weights: new Uint8Array(readFileSync(join(modelDir, 'model.safetensors'))),
    });
    expect(fromBytes.card).toEqual(fromDir.card);
    expect(await fromBytes.extractBatch(texts)).toEqual(await fromDir.extractBatch(texts));
  });

  it('both loaders read a card written before ensembles (no ensemble key) as one network', async () => {
    const oneDir = join(root, 'pre-ensemble');
    saveModel(createModel(kernels, corpus, parseConfig({ hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8, ensemble: 1 })), oneDir);
    const card = JSON.parse(readFileSync(join(oneDir, 'model.json'), 'utf8')) as { config: Record<string, unknown> };
    delete card.config.ensemble;
    writeFileSync(join(oneDir, 'model.json'), JSON.stringify(card));
    const fromDir = await loadModel(oneDir, { kernels });
    const fromBytes = modelFromFiles(kernels, {
      cardText: readFileSync(join(oneDir, 'model.json'), 'utf8'),
      weights: new Uint8Array(readFileSync(join(oneDir, 'model.safetensors'))),
    });
    expect(await fromBytes.extractBatch(texts)).toEqual(await fromDir.extractBatch(texts));
  });

  it('the browser loader reports a bad version the same way', () => {
    const card = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as Record<string, unknown>;
    expect(() =>
      modelFromFiles(kernels, { cardText: JSON.stringify({ ...card, formatVersion: 2 }), weights: new Uint8Array(8) }),
    ).toThrow(/format version 2/);
  });
});
