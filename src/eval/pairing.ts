/**
 * Pairs gold and system documents by id (the file name, for brat directories), as the official script pairs `.ann`
 * files by base name. Documents found on one side only are reported, not scored.
 */
import { MedrexError } from '../errors.js';
import type { Document } from '../corpus/types.js';

export interface DocumentPair {
  id: string;
  gold: Document;
  system: Document;
}

export interface Pairing {
  /** Sorted by id, so every sum over documents runs in the same order. */
  pairs: DocumentPair[];
  goldOnly: Document[];
  systemOnly: Document[];
}

function indexById(docs: readonly Document[], side: string): Map<string, Document> {
  const byId = new Map<string, Document>();
  for (const doc of docs) {
    if (byId.has(doc.id)) {
      throw new MedrexError(`${side} has two documents with id ${doc.id}`, { rule: 'duplicate-document-id' });
    }
    byId.set(doc.id, doc);
  }
  return byId;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function pairDocuments(gold: readonly Document[], system: readonly Document[]): Pairing {
  const goldById = indexById(gold, 'gold');
  const systemById = indexById(system, 'system');
  const pairs: DocumentPair[] = [];
  const goldOnly: Document[] = [];
  for (const [id, g] of goldById) {
    const s = systemById.get(id);
    if (s) pairs.push({ id, gold: g, system: s });
    else goldOnly.push(g);
  }
  const systemOnly = [...systemById.values()].filter((s) => !goldById.has(s.id));
  return { pairs: pairs.sort(byId), goldOnly: goldOnly.sort(byId), systemOnly: systemOnly.sort(byId) };
}
