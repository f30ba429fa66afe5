/**
 * The tokenizer and splitter on real text: the ADE corpus sentences (PubMed case reports), read ad hoc from the
 * `|`-separated DRUG-AE.rel. Skipped when the shared data is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADE_DIR } from '../test-helpers/shared-data.js';
import { splitSentences } from './sentences.js';
import { tokenize } from './tokenize.js';

const file = resolve(ADE_DIR, 'DRUG-AE.rel');

/** Distinct (sentence, mention) pairs; a mention is found in its sentence by its text (first occurrence). */
function mentions(): { sentence: string; start: number; end: number }[] {
  const seen = new Set<string>();
  const found: { sentence: string; start: number; end: number }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const fields = line.split('|');
    if (fields.length < 8) continue;
    const sentence = fields[1];
    for (const mention of [fields[2], fields[5]]) {
      const key = `${sentence}\u0000${mention}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const start = sentence.indexOf(mention);
      if (start >= 0) found.push({ sentence, start, end: start + mention.length });
    }
  }
  return found;
}

describe.skipIf(!existsSync(file))('on the ADE corpus (DRUG-AE.rel)', () => {
  const all = existsSync(file) ? mentions() : [];

  it('puts at least 99% of annotated mention boundaries on token boundaries', () => {
    let aligned = 0;
    const tokensOf = new Map<string, { starts: Set<number>; ends: Set<number> }>();
    for (const m of all) {
      let bounds = tokensOf.get(m.sentence);
      if (!bounds) {
        const tokens = tokenize(m.sentence);
        bounds = { starts: new Set(tokens.map((t) => t.start)), ends: new Set(tokens.map((t) => t.end)) };
        tokensOf.set(m.sentence, bounds);
      }
      if (bounds.starts.has(m.start) && bounds.ends.has(m.end)) aligned++;
    }
    const share = aligned / all.length;
    console.log(`ADE: ${aligned} of ${all.length} mentions on token boundaries (${(100 * share).toFixed(2)}%)`);
    expect(all.length).toBeGreaterThan(10_000);
    expect(share).toBeGreaterThanOrEqual(0.99);
  });

  it('keeps every mention inside one sentence and rarely splits a corpus sentence except after a heading', () => {
    const sentences = [...new Set(all.map((m) => m.sentence))];
    let splitsInText = 0;
    for (const s of sentences) {
      const parts = splitSentences(s);
      for (let k = 1; k < parts.length; k++) if (s[parts[k - 1].end - 1] !== ':') splitsInText++;
    }
    let crossing = 0;
    const partsOf = new Map(sentences.map((s) => [s, splitSentences(s)]));
    for (const m of all) {
      const inOne = partsOf.get(m.sentence)!.some((p) => p.start <= m.start && m.end <= p.end);
      if (!inOne) crossing++;
    }
    console.log(`ADE: ${sentences.length} sentences, ${splitsInText} split outside headings; ${crossing} mentions cross a split`);
    expect(splitsInText / sentences.length).toBeLessThan(0.01);
    expect(crossing).toBeLessThanOrEqual(all.length * 0.001);
  });
});
