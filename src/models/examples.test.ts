import { describe, expect, it } from 'vitest';
import type { Document } from '../corpus/types.js';
import { encodeDocument, learnLabels, NO_RELATION, sampleTrainingPairs, type PairExample } from './examples.js';
import { buildTextVocabs } from './vocab.js';

// Two sentences: "Aspirin 81 mg daily." and "Stop aspirin." (offsets worked out below).
const text = 'Aspirin 81 mg daily.\n\nStop aspirin.';
//            0      7 8 10 11  14 ... "daily" 14-19, "." 19; "Stop" 22-26, "aspirin" 27-34, "." 34
const doc: Document = {
  id: 'd1',
  text,
  entities: [
    { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'Aspirin' },
    { id: 'T2', type: 'Strength', fragments: [{ start: 8, end: 13 }], text: '81 mg' },
    { id: 'T3', type: 'Frequency', fragments: [{ start: 14, end: 19 }], text: 'daily' },
    { id: 'T4', type: 'Drug', fragments: [{ start: 27, end: 34 }], text: 'aspirin' },
  ],
  relations: [
    { id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' },
    { id: 'R2', type: 'Frequency-Drug', arg1: 'T3', arg2: 'T1' },
  ],
};

describe('model examples', () => {
  const labels = learnLabels([doc]);
  const vocabs = buildTextVocabs(['Aspirin', '81', 'mg', 'daily', '.', 'Stop', 'aspirin', '.'], {
    lowercase: true,
    normalizeDigits: true,
    minWordFreq: 1,
  });

  it('learns sorted label sets with NO_RELATION first and O first', () => {
    expect(labels.entityTypes.toJSON()).toEqual(['Drug', 'Frequency', 'Strength']);
    expect(labels.tagLayers[0].tags.toJSON()).toEqual(['O', 'B-Drug', 'I-Drug', 'B-Frequency', 'I-Frequency', 'B-Strength', 'I-Strength']);
    expect(labels.relationTypes.toJSON()).toEqual([NO_RELATION, 'Frequency-Drug', 'Strength-Drug']);
  });

  it('encodes tags, mentions and candidate pairs with gold labels', () => {
    const e = encodeDocument(doc, vocabs, labels, 2);
    expect(e.sentences.length).toBe(2);
    const tagNames = e.tags.map((t) => Array.from(t, (id) => labels.tagLayers[0].tags.label(id)));
    expect(tagNames).toEqual([
      ['B-Drug', 'B-Strength', 'I-Strength', 'B-Frequency', 'O'],
      ['O', 'B-Drug', 'O'],
    ]);
    expect(e.mentions.map((m) => [m.sentence, m.tokens.map((t) => t.token)])).toEqual([
      [0, [0]],
      [0, [1, 2]],
      [0, [3]],
      [1, [1]],
    ]);
    // Learned pairs: (Strength, Drug) and (Frequency, Drug). Window 2 keeps the second-sentence Drug (mention 3).
    const readable = e.pairs.map((p) => `${p.arg1}->${p.arg2}:${labels.relationTypes.label(p.label)}`);
    expect(readable.sort()).toEqual(
      ['1->0:Strength-Drug', '1->3:<none>', '2->0:Frequency-Drug', '2->3:<none>'].sort(),
    );
    // Window 1 (same sentence only) drops the cross-sentence negatives.
    expect(encodeDocument(doc, vocabs, labels, 1).pairs.length).toBe(2);
  });

  it('samples negatives per document by seed, keeping all positives', () => {
    const pairs: PairExample[] = [
      { arg1: 0, arg2: 1, label: 1 },
      ...Array.from({ length: 10 }, (_, i) => ({ arg1: i + 2, arg2: 1, label: 0 })),
    ];
    const sample = sampleTrainingPairs(pairs, 3, { seed: 1, epoch: 1, doc: 0 });
    expect(sample.filter((p) => p.label === 1).length).toBe(1);
    expect(sample.filter((p) => p.label === 0).length).toBe(3);
    expect(sampleTrainingPairs(pairs, 3, { seed: 1, epoch: 1, doc: 0 })).toEqual(sample);
    expect(sampleTrainingPairs(pairs, null, { seed: 1, epoch: 1, doc: 0 }).length).toBe(11);
    // Another epoch draws another sample (with overwhelming probability for 3 of 10).
    const other = sampleTrainingPairs(pairs, 3, { seed: 1, epoch: 2, doc: 0 });
    expect(other.map((p) => p.arg1)).not.toEqual(sample.map((p) => p.arg1));
  });
});
