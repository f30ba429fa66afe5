/**
 * The synthetic n2c2-style corpus: invented discharge summaries with Drug, Strength, Dosage, Duration, Frequency,
 * Form, Route, Reason and ADE mentions and their `<Attribute>-Drug` relations. It is what the demo, the tests, and
 * CI use in place of the n2c2 data (which cannot be shipped). See README.md in this folder for what it covers.
 */
import type { Document } from '../types.js';
import { generateDocument, type SynthLength } from './document.js';

export interface SynthOptions {
  /** Number of documents. */
  docs: number;
  /** Any integer; the same seed always gives the same corpus, byte for byte. */
  seed: number;
  /** `long` (default): discharge-summary length, thousands of tokens; `short`: ~570 tokens, for fast tests. */
  length?: SynthLength;
}

/** First document id; ids count up from here like n2c2's numeric file names. */
const FIRST_ID = 100001;

/**
 * Generate `docs` documents. Document i depends only on (seed, i), so a smaller corpus is a prefix of a larger
 * one with the same seed.
 */
export function generateCorpus({ docs, seed, length = 'long' }: SynthOptions): Document[] {
  if (!Number.isInteger(docs) || docs < 0) throw new RangeError(`docs must be a non-negative integer, got ${docs}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return Array.from({ length: docs }, (_, i) => generateDocument(String(FIRST_ID + i), seed, i, length));
}

export interface CorpusCounts {
  documents: number;
  entities: number;
  relations: number;
  entitiesByType: Record<string, number>;
  relationsByType: Record<string, number>;
}

/** Counts for a summary line or a sanity check. */
export function countAnnotations(documents: readonly Document[]): CorpusCounts {
  const counts: CorpusCounts = { documents: documents.length, entities: 0, relations: 0, entitiesByType: {}, relationsByType: {} };
  for (const doc of documents) {
    counts.entities += doc.entities.length;
    counts.relations += doc.relations.length;
    for (const e of doc.entities) counts.entitiesByType[e.type] = (counts.entitiesByType[e.type] ?? 0) + 1;
    for (const r of doc.relations) counts.relationsByType[r.type] = (counts.relationsByType[r.type] ?? 0) + 1;
  }
  return counts;
}

/**
 * Split like n2c2 (train/test by position): the first `trainShare` of the documents train, the rest test.
 * Documents are independent draws, so a split by position is as good as a random one.
 * Deterministic, so the same seed and size always give the same split.
 */
export function splitTrainTest<T>(documents: readonly T[], trainShare = 0.8): { train: T[]; test: T[] } {
  // With two or more documents both parts get at least one.
  const n = documents.length;
  const cut = n < 2 ? n : Math.min(n - 1, Math.max(1, Math.round(n * trainShare)));
  return { train: documents.slice(0, cut), test: documents.slice(cut) };
}
