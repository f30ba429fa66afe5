/**
 * An extraction as brat `.ann` text (the corpus writer's serializer, so offsets follow brat's conventions).
 */
import { serializeAnn } from '../corpus/brat/serialize.js';
import type { Extraction } from '../api/types.js';

export function extractionToAnn(text: string, extraction: Extraction): string {
  return serializeAnn({
    id: 'request',
    text,
    entities: extraction.entities.map((e) => ({ id: e.id, type: e.type, fragments: e.spans, text: e.text })),
    relations: extraction.relations.map((r) => ({ id: r.id, type: r.type, arg1: r.arg1, arg2: r.arg2 })),
  });
}
