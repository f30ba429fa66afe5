/**
 * Tag layers: one tag sequence per entity type holds a drug inside its ADE, which one sequence cannot; the packed
 * tags unpack to each layer's; a per-type model learns nested mentions end to end and keeps its layers on disk.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document } from '../corpus/types.js';
import { createReferenceKernels } from '../engine/kernels/reference.js';
import { parseConfig, parseSavedConfig } from './config.js';
import { encodeDocument, learnLabels } from './examples.js';
import { createModel, readModel, saveModel } from './model.js';
import { predictDocuments } from './predict.js';
import { chooseTagLayout, hasCrossTypeOverlap, packTags, tagLayersFor, unpackLayer } from './tag-layers.js';
import { train } from './train.js';
import { buildTextVocabs } from './vocab.js';

/** "X hypersensitivity syndrome after X." with the drug X nested at the start of its ADE, and X again alone. */
function nested(id: string, drug: string): Document {
  const text = `${drug} hypersensitivity syndrome after ${drug} .`;
  const adeEnd = drug.length + ' hypersensitivity syndrome'.length;
  const second = text.indexOf(drug, adeEnd);
  return {
    id,
    text,
    entities: [
      { id: 'T1', type: 'ADE', fragments: [{ start: 0, end: adeEnd }], text: text.slice(0, adeEnd) },
      { id: 'T2', type: 'Drug', fragments: [{ start: 0, end: drug.length }], text: drug },
      { id: 'T3', type: 'Drug', fragments: [{ start: second, end: second + drug.length }], text: drug },
    ],
    relations: [{ id: 'R1', type: 'ADE-Drug', arg1: 'T1', arg2: 'T3' }],
  };
}

describe('tag layers', () => {
  it('packs each layer\'s tag ids into one number per token and unpacks them', () => {
    const sizes = [3, 5, 3];
    const layers = [Int32Array.of(0, 1, 2), Int32Array.of(4, 0, 3), Int32Array.of(2, 2, 0)];
    const packed = packTags(sizes, layers);
    layers.forEach((ids, l) => expect(Array.from(unpackLayer(sizes, packed, l))).toEqual(Array.from(ids)));
    // One layer: the plain ids.
    expect(packTags([7], [Int32Array.of(6, 0)])).toEqual(Int32Array.of(6, 0));
    expect(tagLayersFor(['ADE', 'Drug'], 'per-type', 'bio').map((l) => l.tags.labels)).toEqual([
      ['O', 'B-ADE', 'I-ADE'],
      ['O', 'B-Drug', 'I-Drug'],
    ]);
    expect(() => tagLayersFor(Array.from({ length: 25 }, (_, i) => `T${i}`), 'per-type', 'bio')).toThrow(/cannot hold 25 entity types/);
  });

  it('encodes a drug nested in its ADE on its own layer; one layer keeps only the ADE', () => {
    const doc = nested('d1', 'phenytoin');
    const vocabs = buildTextVocabs(doc.text.split(' '), { lowercase: true, normalizeDigits: true, minWordFreq: 1 });
    const perType = learnLabels([doc], { scheme: 'bio', layout: 'per-type' });
    const sizes = perType.tagLayers.map((l) => l.tags.size);
    const packed = encodeDocument(doc, vocabs, perType, 1).tags[0];
    const names = perType.tagLayers.map((layer, l) => Array.from(unpackLayer(sizes, packed, l), (id) => layer.tags.label(id)));
    expect(names).toEqual([
      ['B-ADE', 'I-ADE', 'I-ADE', 'O', 'O', 'O'],
      ['B-Drug', 'O', 'O', 'O', 'B-Drug', 'O'],
    ]);
    const single = learnLabels([doc]);
    const one = Array.from(encodeDocument(doc, vocabs, single, 1).tags[0], (id) => single.tagLayers[0].tags.label(id));
    expect(one).toEqual(['B-ADE', 'I-ADE', 'I-ADE', 'O', 'B-Drug', 'O']);
  });

  it('learns nested mentions end to end, and keeps its layers when saved', async () => {
    const drugs = ['phenytoin', 'carbamazepine', 'lamotrigine', 'allopurinol', 'abacavir', 'dapsone', 'sulfasalazine', 'minocycline'];
    const docs = drugs.map((drug, i) => nested(`d${i}`, drug));
    const config = parseConfig({
      kind: 'joint', sharing: 'encoder', tagLayers: 'per-type', ensemble: 1, windowSentences: 1,
      hidden: 16, wordDim: 8, charFilters: 8, relHidden: 8, learningRate: 0.05, epochs: 30, patience: 0, dropout: 0, wordDropout: 0,
    });
    const kernels = createReferenceKernels();
    const dir = mkdtempSync(join(tmpdir(), 'medrex-tag-layers-'));
    const { model } = await train(docs, config, { kernels, outDir: dir, progress: false });
    expect(model.network.params.list().map((p) => p.name)).toContain('ner.tagger.l1.transitions');
    const key = (d: Document) => d.entities.map((e) => `${e.type}:${e.fragments[0].start}-${e.fragments[0].end}`).sort();
    const predicted = predictDocuments(model, docs);
    // Every gold entity, the nested drugs included, is found on the training documents.
    docs.forEach((d, i) => expect(key(predicted[i])).toEqual(key(d)));
    const loaded = readModel(kernels, dir);
    expect(loaded.labels.tagLayers).toHaveLength(2);
    expect(predictDocuments(loaded, docs).map(key)).toEqual(predicted.map(key));
  }, 60_000);

  it('"auto" chooses per-type only when entities of two types overlap in the training data, and the card records it', () => {
    const flat: Document = {
      id: 'f', text: 'aspirin 81 mg daily', relations: [],
      entities: [
        { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'aspirin' },
        { id: 'T2', type: 'Strength', fragments: [{ start: 8, end: 13 }], text: '81 mg' },
        // Same type touching or overlapping is no reason for layers: one type's layer could not hold it either.
        { id: 'T3', type: 'Strength', fragments: [{ start: 11, end: 19 }], text: 'mg daily' },
      ],
    };
    expect(hasCrossTypeOverlap(flat)).toBe(false);
    expect(chooseTagLayout([flat], 'bio')).toBe('single');
    // A discontinuous fragment of another type inside the span counts too.
    const split: Document = {
      ...flat,
      entities: [
        { id: 'T1', type: 'ADE', fragments: [{ start: 0, end: 3 }, { start: 14, end: 19 }], text: 'asp daily' },
        { id: 'T2', type: 'Drug', fragments: [{ start: 16, end: 18 }], text: 'il' },
      ],
    };
    expect(hasCrossTypeOverlap(split)).toBe(true);
    expect(chooseTagLayout([flat, nested('n', 'phenytoin')], 'bio')).toBe('per-type');
    // Too many types to pack their layers' tags: one sequence, whatever the overlaps.
    const many: Document = {
      id: 'm', text: 'x'.repeat(30), relations: [],
      entities: Array.from({ length: 25 }, (_, i) => ({ id: `T${i}`, type: `T${i}`, fragments: [{ start: i, end: i + 2 }], text: 'xx' })),
    };
    expect(chooseTagLayout([many], 'bio')).toBe('single');

    const kernels = createReferenceKernels();
    const tiny = { hidden: 4, wordDim: 4, charFilters: 4, relHidden: 4, ensemble: 1 };
    const chosen = createModel(kernels, [nested('n', 'phenytoin')], parseConfig(tiny));
    expect(chosen.config.tagLayers).toBe('per-type');
    expect(chosen.labels.tagLayers).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), 'medrex-tag-auto-'));
    saveModel(chosen, dir);
    expect(readModel(kernels, dir).labels.tagLayers).toHaveLength(2);
    expect(createModel(kernels, [flat], parseConfig(tiny)).labels.tagLayers).toHaveLength(1);
    expect(() => parseSavedConfig({ tagLayers: 'auto' }, { file: 'model.json' })).toThrow(/records the layout it chose/);
  });
});
