/**
 * Relation types whose argument order means nothing (same-type, either order in the annotations) are trained and
 * predicted once per unordered pair, saved as such in model.json, and never answered in both orders.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document, Entity, Relation } from '../corpus/types.js';
import { derivedRandom } from '../random.js';
import { parseConfig } from './config.js';
import { encodeDocument, learnLabels } from './examples.js';
import { readModel, saveModel } from './model.js';
import { predictDocuments } from './predict.js';
import { train } from './train.js';
import { buildTextVocabs } from './vocab.js';
import { tokenize } from '../text/tokenize.js';

const DRUGS = ['aspirin', 'warfarin', 'heparin', 'ibuprofen', 'digoxin', 'amiodarone', 'lithium', 'phenytoin'];

/** "X increases the effect of Y." sentences: Interaction between two Compounds, argument order random. */
function corpus(docs: number): Document[] {
  const random = derivedRandom(7, 'symmetric-test');
  return Array.from({ length: docs }, (_, d) => {
    let text = '';
    const entities: Entity[] = [];
    const relations: Relation[] = [];
    for (let s = 0; s < 4; s++) {
      const a = DRUGS[(d + s) % DRUGS.length];
      const b = DRUGS[(d + 3 * s + 1) % DRUGS.length];
      const c = DRUGS[(d + 5 * s + 2) % DRUGS.length];
      const ids = [a, b, c].map((name, k) => {
        text += k === 0 ? '' : k === 1 ? ' increases the effect of ' : ' but not of ';
        const id = `T${entities.length + 1}`;
        entities.push({ id, type: 'Compound', fragments: [{ start: text.length, end: text.length + name.length }], text: name });
        text += name;
        return id;
      });
      text += '.\n\n';
      const [arg1, arg2] = random() < 0.5 ? [ids[0], ids[1]] : [ids[1], ids[0]];
      relations.push({ id: `R${relations.length + 1}`, type: 'Interaction', arg1, arg2 });
    }
    return { id: `doc${d}`, text, entities, relations };
  });
}

describe('symmetric relation types', () => {
  it('asks each unordered pair once, with the gold label in text order', () => {
    const docs = corpus(6);
    const labels = learnLabels(docs);
    expect(labels.symmetricTypes).toEqual(['Interaction']);
    const vocabs = buildTextVocabs(docs.flatMap((d) => tokenize(d.text).map((t) => t.text)), {
      lowercase: true, normalizeDigits: true, minWordFreq: 1,
    });
    const encoded = encodeDocument(docs[0], vocabs, labels, 1);
    // 4 sentences x 3 mentions: 3 unordered pairs each, where ordered candidates would be 6.
    expect(encoded.pairs).toHaveLength(12);
    expect(encoded.pairs.filter((p) => p.label !== 0)).toHaveLength(4);
    for (const p of encoded.pairs) expect(encoded.mentions[p.arg1].tokens[0].token).toBeLessThan(encoded.mentions[p.arg2].tokens[0].token);
  });

  it('trains, saves the shape in model.json, and never predicts both orders of a pair', async () => {
    const docs = corpus(24);
    const config = parseConfig({ kind: 'joint', sharing: 'encoder', epochs: 3, patience: 0, windowSentences: 1 });
    const { model } = await train(docs, config, { progress: false });
    const dir = mkdtempSync(join(tmpdir(), 'medrex-symmetric-'));
    try {
      saveModel(model, dir);
      const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { labels: { symmetricTypes: string[] } };
      expect(card.labels.symmetricTypes).toEqual(['Interaction']);
      const loaded = readModel(model.network.kernels, dir);
      expect(loaded.labels.symmetricTypes).toEqual(['Interaction']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const doc of predictDocuments(model, docs, { entities: 'gold' })) {
      const pairs = doc.relations.map((r) => [r.arg1, r.arg2].sort().join('+'));
      expect(new Set(pairs).size).toBe(pairs.length);
    }
  }, 60_000);
});
