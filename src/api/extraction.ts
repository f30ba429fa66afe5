/**
 * Converts predicted Documents (the models' output) to the API's Extraction, and wraps a trained `Model` as a
 * `MedrexModel`. Pure: used by the Node loader and by the in-browser viewer alike.
 */
import type { Document } from '../corpus/types.js';
import type { Model } from '../models/model.js';
import { predictDocuments } from '../models/predict.js';
import type { Extraction, MedrexModel, ModelCard } from './types.js';

/** The extraction view of one predicted document (offsets are unchanged: they already index into its text). */
export function toExtraction(doc: Document): Extraction {
  return {
    entities: doc.entities.map((e) => ({
      id: e.id,
      type: e.type,
      spans: e.fragments.map((f) => ({ start: f.start, end: f.end })),
      text: e.text,
      score: e.score ?? 1,
    })),
    relations: doc.relations.map((r) => ({ id: r.id, type: r.type, arg1: r.arg1, arg2: r.arg2, score: r.score ?? 1 })),
  };
}

/** Runs the model over texts; blank texts are answered without touching the network. */
export function extractTexts(model: Model, texts: readonly string[]): Extraction[] {
  const results: Extraction[] = texts.map(() => ({ entities: [], relations: [] }));
  const work = texts.flatMap((text, i) => (text.trim() === '' ? [] : [{ i, text }]));
  if (work.length === 0) return results;
  const predicted = predictDocuments(
    model,
    work.map(({ i, text }) => ({ id: `input-${i}`, text, entities: [], relations: [] })),
  );
  predicted.forEach((doc, k) => {
    results[work[k].i] = toExtraction(doc);
  });
  return results;
}

/** A trained model behind the public interface. */
export function wrapModel(model: Model, card: ModelCard): MedrexModel {
  return {
    card,
    extract: async (text) => extractTexts(model, [text])[0],
    extractBatch: async (texts) => extractTexts(model, texts),
  };
}
