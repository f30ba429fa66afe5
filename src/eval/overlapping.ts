/**
 * The published ADE protocol (Gurulingappa et al. 2012 as used by Li et al. 2017, Bekoulis et al. 2018 and later):
 * relations whose two arguments overlap in the text ("phenytoin hypersensitivity syndrome" as the ADE of the Drug
 * "phenytoin" inside it) are removed before scoring, because a BIO tagger cannot represent both entities. Scoring
 * gold and prediction both without them gives figures comparable with those papers; medrex reports them beside the
 * full figures and says which one each is.
 */
import type { Document, Entity } from '../corpus/types.js';

/** Outer span of an entity: first character of its earliest fragment to the end of its latest. */
function outerSpan(entity: Entity): [number, number] {
  let start = Infinity;
  let end = -Infinity;
  for (const f of entity.fragments) {
    start = Math.min(start, f.start);
    end = Math.max(end, f.end);
  }
  return [start, end];
}

/** Whether two entities share at least one character of their outer spans (touching spans do not). */
export function entitiesOverlap(a: Entity, b: Entity): boolean {
  const [aStart, aEnd] = outerSpan(a);
  const [bStart, bEnd] = outerSpan(b);
  return aStart < bEnd && bStart < aEnd;
}

/** The documents with every relation between overlapping entities removed (entities are kept). */
export function withoutOverlappingRelations(documents: readonly Document[]): Document[] {
  return documents.map((doc) => {
    const byId = new Map(doc.entities.map((e) => [e.id, e]));
    const relations = doc.relations.filter((r) => {
      const a = byId.get(r.arg1);
      const b = byId.get(r.arg2);
      return a === undefined || b === undefined || !entitiesOverlap(a, b);
    });
    return relations.length === doc.relations.length ? doc : { ...doc, relations };
  });
}

/** How many relations `withoutOverlappingRelations` removes from these documents. */
export function countOverlappingRelations(documents: readonly Document[]): number {
  const kept = withoutOverlappingRelations(documents);
  return documents.reduce((sum, doc, i) => sum + doc.relations.length - kept[i].relations.length, 0);
}
