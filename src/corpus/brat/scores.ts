/**
 * Confidence scores in brat files. brat's standoff format has no score field, so a predicted entity's or relation's
 * score travels as an annotator note on it, `#1\tAnnotatorNotes T1\tscore=0.93`, which brat shows and every brat
 * reader keeps (the medrex JSON format has a `score` field instead).
 */
import type { Document, Note } from '../types.js';

export const SCORE_NOTE_TYPE = 'AnnotatorNotes';

/** `doc` with one `score=` note per scored entity and relation, numbered after the notes it already has. */
export function withScoreNotes(doc: Document): Document {
  const existing = doc.notes ?? [];
  let next = existing.reduce((n, note) => Math.max(n, Number(/^#(\d+)$/.exec(note.id)?.[1] ?? 0)), 0);
  const added: Note[] = [];
  for (const annotation of [...doc.entities, ...doc.relations]) {
    if (annotation.score === undefined) continue;
    next += 1;
    added.push({ id: `#${next}`, type: SCORE_NOTE_TYPE, target: annotation.id, text: `score=${annotation.score}` });
  }
  return added.length === 0 ? doc : { ...doc, notes: [...existing, ...added] };
}
