import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWordVectors } from '../vectors.js';
import { formatWordVectors, trainSkipGram } from './skipgram.js';

/**
 * A toy language where drugs and doses each have contexts of their own: "please take DRUG daily" / "a dose of DOSE".
 * Skip-gram must put the drugs near each other and far from the doses.
 */
function toyCorpus(): string[][] {
  const drugs = ['aspirin', 'heparin', 'warfarin', 'insulin'];
  const doses = ['5mg', '10mg', '20mg', '40mg'];
  const sentences: string[][] = [];
  for (let i = 0; i < 400; i++) {
    const drug = drugs[i % 4];
    const dose = doses[(i >> 2) % 4];
    sentences.push(i % 2 === 0 ? ['please', 'take', drug, 'daily'] : ['a', 'dose', 'of', dose]);
  }
  return sentences;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

describe('trainSkipGram', () => {
  const options = { dim: 16, epochs: 10, window: 2, minCount: 1, subsample: 0, seed: 3 };

  it('puts words with the same contexts together', () => {
    const result = trainSkipGram(toyCorpus(), options);
    const vector = (w: string) => result.vectors.subarray(result.words.indexOf(w) * 16, (result.words.indexOf(w) + 1) * 16);
    const drugDrug = cosine(vector('aspirin'), vector('warfarin'));
    const drugDose = cosine(vector('aspirin'), vector('10mg'));
    expect(drugDrug).toBeGreaterThan(drugDose + 0.3);
    expect(result.tokens).toBe(1600);
    expect(result.pairs).toBeGreaterThan(0);
  });

  it('gives the same vectors for the same seed and different ones for another', () => {
    const a = trainSkipGram(toyCorpus(), options);
    const b = trainSkipGram(toyCorpus(), options);
    const c = trainSkipGram(toyCorpus(), { ...options, seed: 4 });
    expect(Array.from(b.vectors)).toEqual(Array.from(a.vectors));
    expect(Array.from(c.vectors)).not.toEqual(Array.from(a.vectors));
  });

  it('leaves out words under minCount and orders the rest by frequency', () => {
    const result = trainSkipGram([['a', 'b', 'a', 'c', 'a', 'b']], { ...options, minCount: 2 });
    expect(result.words).toEqual(['a', 'b']);
  });

  it('writes the word2vec text format that readWordVectors reads back', () => {
    const result = trainSkipGram(toyCorpus(), options);
    const dir = mkdtempSync(join(tmpdir(), 'medrex-sg-'));
    try {
      const file = join(dir, 'vectors.txt');
      writeFileSync(file, formatWordVectors(result));
      const read = readWordVectors(file);
      expect(read.dim).toBe(16);
      expect([...read.vectors.keys()]).toEqual(result.words);
      const heparin = read.vectors.get('warfarin');
      expect(heparin?.[0]).toBeCloseTo(result.vectors[result.words.indexOf('warfarin') * 16], 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
