import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import {
  buildTextVocabs,
  charIds,
  dropWordsToUnk,
  LabelVocab,
  normalizeWord,
  PAD_ID,
  TokenVocab,
  UNK_ID,
  wordIds,
} from './vocab.js';

describe('vocabularies', () => {
  it('normalises case and digits as configured', () => {
    expect(normalizeWord('Lisinopril20', { lowercase: true, normalizeDigits: true })).toBe('lisinopril00');
    expect(normalizeWord('MG', { lowercase: false, normalizeDigits: true })).toBe('MG');
    expect(normalizeWord('2.5', { lowercase: true, normalizeDigits: false })).toBe('2.5');
  });

  it('orders by frequency then alphabetically, after PAD and UNK, dropping rare words', () => {
    const counts = new Map([['b', 2], ['a', 2], ['c', 5], ['rare', 1]]);
    const v = TokenVocab.fromCounts(counts, 2);
    expect(v.toJSON()).toEqual(['<pad>', '<unk>', 'c', 'a', 'b']);
    expect(v.id('c')).toBe(2);
    expect(v.id('rare')).toBe(UNK_ID);
    expect(TokenVocab.fromJSON(v.toJSON()).id('b')).toBe(4);
  });

  it('maps token texts to word and char ids', () => {
    const vocabs = buildTextVocabs(['Aspirin', 'aspirin', '81', 'mg'], {
      lowercase: true,
      normalizeDigits: true,
      minWordFreq: 1,
    });
    // aspirin x2, then 00 and mg once each (alphabetical): ids 2, 3, 4.
    expect(Array.from(wordIds(vocabs, ['ASPIRIN', '12', 'mg', 'tylenol']))).toEqual([2, 3, 4, UNK_ID]);
    // Characters keep case: 'A' and 'a' differ; '9' was never seen.
    const ids = Array.from(charIds(vocabs, 'Aa9', 20));
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe(UNK_ID);
    expect(charIds(vocabs, 'aspirin', 3).length).toBe(3);
  });

  it('drops words to UNK at the given rate and never touches padding', () => {
    const ids = new Int32Array(10000).fill(7);
    ids[0] = PAD_ID;
    const out = dropWordsToUnk(ids, 0.1, mulberry32(1));
    const dropped = out.filter((x) => x === UNK_ID).length;
    expect(out[0]).toBe(PAD_ID);
    expect(dropped).toBeGreaterThan(850);
    expect(dropped).toBeLessThan(1150);
    expect(Array.from(dropWordsToUnk(ids, 0, mulberry32(1)))).toEqual(Array.from(ids));
  });

  it('label vocabularies reject unknown and duplicate labels', () => {
    const labels = new LabelVocab(['O', 'B-Drug', 'I-Drug']);
    expect(labels.id('I-Drug')).toBe(2);
    expect(labels.label(1)).toBe('B-Drug');
    expect(() => labels.id('B-ADE')).toThrow(/unknown label/);
    expect(() => new LabelVocab(['O', 'O'])).toThrow(/duplicate/);
  });
});
