import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document } from '../corpus/types.js';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import { parseConfig } from './config.js';
import { createModel, readModel, saveModel, CARD_FILE, WEIGHTS_FILE } from './model.js';
import { readWordVectors } from './vectors.js';
import { weightsOf } from './weights.js';

const doc: Document = {
  id: 'n1',
  text: 'Aspirin 81 mg daily.',
  entities: [
    { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'Aspirin' },
    { id: 'T2', type: 'Strength', fragments: [{ start: 8, end: 13 }], text: '81 mg' },
  ],
  relations: [{ id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' }],
};

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'medrex-model-unit-'));
}

describe('models on disk', () => {
  it('initialises words from pretrained vectors and takes their width', () => {
    const dir = tmp();
    const vectors = join(dir, 'vec.txt');
    writeFileSync(vectors, '2 3\naspirin 1 2 3\nwarfarin 4 5 6\n');
    expect(readWordVectors(vectors).dim).toBe(3);
    const kernels = createReferenceKernels();
    const model = createModel(kernels, [doc], parseConfig({ pretrainedVectors: vectors, hidden: 4 }));
    expect(model.config.wordDim).toBe(3);
    // A word only the vectors know still gets a row, so it is not UNK at prediction time.
    const id = model.vocabs.words.id('warfarin');
    expect(id).toBeGreaterThan(1);
    const table = model.network.params.get('ner.embed.words');
    expect(Array.from(model.network.params.values(table).slice(id * 3, id * 3 + 3))).toEqual([4, 5, 6]);
  });

  it('reports malformed vector lines with their line number', () => {
    const path = join(tmp(), 'bad.txt');
    writeFileSync(path, 'a 1 2\nb 3\n');
    expect(() => readWordVectors(path)).toThrow(/expected a word and 2 numbers/);
  });

  it('saves and loads the card and the exact weights', () => {
    const dir = tmp();
    const kernels = createReferenceKernels();
    const model = createModel(kernels, [doc], parseConfig({ kind: 'joint', sharing: 'encoder', hidden: 4, wordDim: 4 }));
    saveModel(model, dir);
    const card = JSON.parse(readFileSync(join(dir, CARD_FILE), 'utf8'));
    expect(card.format).toBe('medrex-model');
    expect(card.labels).toMatchObject({ entityTypes: ['Drug', 'Strength'], relationTypes: ['Strength-Drug'] });
    expect(card.labels.argTypePairs).toEqual([{ arg1Type: 'Strength', arg2Type: 'Drug', relationType: 'Strength-Drug', count: 1 }]);
    const loaded = readModel(createReferenceKernels(), dir);
    expect(weightsOf(loaded.network.params)).toEqual(weightsOf(model.network.params));
    // Sharing is visible in the parameter names: one embedder and one encoder for both heads.
    const names = loaded.network.params.list().map((p) => p.name);
    expect(names.filter((n) => n.startsWith('shared.encoder.')).length).toBe(6);
    expect(names.some((n) => n.startsWith('re.encoder.') || n.startsWith('ner.embed.'))).toBe(false);
  });

  it('refuses a damaged model directory with the file named', () => {
    const dir = tmp();
    const kernels = createReferenceKernels();
    expect(() => readModel(kernels, dir)).toThrow(/not a medrex model directory/);
    saveModel(createModel(kernels, [doc], parseConfig({ hidden: 4, wordDim: 4 })), dir);
    writeFileSync(join(dir, WEIGHTS_FILE), 'garbage');
    expect(() => readModel(kernels, dir)).toThrow();
    writeFileSync(join(dir, CARD_FILE), '{"format": "medrex-model"}');
    expect(() => readModel(kernels, dir)).toThrow(/model card field/);
    // A vocabulary that lost its first entries: one line naming the card (the same check as the browser loader's).
    const fresh = tmp();
    saveModel(createModel(kernels, [doc], parseConfig({ hidden: 4, wordDim: 4 })), fresh);
    const card = JSON.parse(readFileSync(join(fresh, CARD_FILE), 'utf8'));
    card.vocab.words = card.vocab.words.slice(2);
    writeFileSync(join(fresh, CARD_FILE), JSON.stringify(card));
    expect(() => readModel(kernels, fresh)).toThrow(expect.objectContaining({ rule: 'model-card', file: join(fresh, CARD_FILE) }));
  });

  it('names stacked layers by owner and shares only what the layout says', () => {
    const kernels = createReferenceKernels();
    const names = (config: object) =>
      createModel(kernels, [doc], parseConfig({ hidden: 4, ...config })).network.params.list().map((p) => p.name);
    const crone = names({ kind: 'joint', sharing: 'encoder', sharedLayers: 1, nerLayers: 1, reLayers: 1 });
    expect(crone).toContain('shared.encoder.fwd.wIh');
    expect(crone).toContain('ner.encoder.fwd.wIh');
    expect(crone).toContain('re.encoder.bwd.wHh');
    const deep = names({ kind: 'pipeline', layers: 2 });
    expect(deep.filter((n) => n.startsWith('ner.encoder.l1.'))).toHaveLength(6);
    expect(deep.some((n) => n.startsWith('shared.'))).toBe(false);
  });

  it('keeps the tag scheme: BIOES tags in the tagger, kept on load; a card without the keys holds one BIO sequence', () => {
    const kernels = createReferenceKernels();
    const dir = tmp();
    const model = createModel(kernels, [doc], parseConfig({ hidden: 4, wordDim: 4, ensemble: 1, tagScheme: 'bioes', tagLayers: 'single' }));
    const tags = ['O', 'B-Drug', 'I-Drug', 'E-Drug', 'S-Drug', 'B-Strength', 'I-Strength', 'E-Strength', 'S-Strength'];
    expect(model.labels.tagLayers[0].tags.labels).toEqual(tags);
    expect(model.network.params.get('ner.tagger.transitions').shape).toEqual([9, 9]);
    saveModel(model, dir);
    expect(readModel(kernels, dir).labels.tagLayers[0].tags.labels).toEqual(tags);
    // A card written before tag schemes and layers: one BIO sequence, so its 5 x 5 transitions load.
    const bioDir = tmp();
    saveModel(createModel(kernels, [doc], parseConfig({ hidden: 4, wordDim: 4, ensemble: 1, tagLayers: 'single' })), bioDir);
    const card = JSON.parse(readFileSync(join(bioDir, CARD_FILE), 'utf8')) as { config: Record<string, unknown> };
    delete card.config.tagScheme;
    delete card.config.tagLayers;
    writeFileSync(join(bioDir, CARD_FILE), JSON.stringify(card));
    const old = readModel(kernels, bioDir);
    expect(old.config).toMatchObject({ tagScheme: 'bio', tagLayers: 'single' });
    expect(old.labels.tagLayers[0].tags.labels).toEqual(['O', 'B-Drug', 'I-Drug', 'B-Strength', 'I-Strength']);
  });
});
