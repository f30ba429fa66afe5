/**
 * Relation shapes learned from the data: whether a relation type's argument order carries meaning.
 *
 * n2c2's `Strength-Drug` joins two different entity types, so the types fix the order. Drug–drug interaction
 * corpora join two mentions of the same type, and annotators put either one first: the order means nothing, and a
 * model that treats (a, b) and (b, a) as different questions learns noise and may answer both (one of them a
 * false positive). A type is *symmetric* when the argument types do not fix the order (its relations join two
 * entities of one type, or of two types found in both orders, as a drug and a brand name in an interaction corpus)
 * AND the first argument is not reliably the one that comes first in the text (a positional convention is a real
 * order the model can learn). Such relations are put in text order (`canonicalRelations`), candidates are asked once
 * per unordered pair, and the scorer matches them in either order.
 */
import { outerSpan, type Document, type Entity, type Relation } from '../corpus/types.js';

export interface RelationShape {
  type: string;
  /** Relations of this type whose arguments resolve to entities. */
  count: number;
  /** Share of them joining two entities of the same type. */
  sameTypeShare: number;
  /**
   * Share of them whose order the argument types decide: for each pair of different types, the relations in its
   * more frequent orientation (n2c2's `Strength-Drug`: all of them, 1). Same-type relations count 0.
   */
  typeDirectedShare: number;
  /** Share of them whose first argument starts first in the text. */
  arg1FirstShare: number;
  symmetric: boolean;
}

/** Below this many relations a type keeps its order: too little evidence to say it means nothing. */
export const MIN_RELATIONS_FOR_SYMMETRY = 5;
/** Types decide the order of at least this share of a type's relations: the order means something. */
const TYPE_DIRECTED_SHARE = 0.9;
/** Positional conventions: arg1 first (or last) in at least this share of relations is an order, not chance. */
const POSITIONAL_SHARE = 0.9;

/** Text order of two entities: start, then end, then id, so that it is total and stable. */
export function textOrder(a: Entity, b: Entity): number {
  const sa = outerSpan(a);
  const sb = outerSpan(b);
  return sa.start - sb.start || sa.end - sb.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function learnRelationShapes(documents: readonly Document[]): RelationShape[] {
  const tallies = new Map<string, { count: number; sameType: number; arg1First: number; orientations: Map<string, number> }>();
  for (const doc of documents) {
    const byId = new Map(doc.entities.map((e) => [e.id, e]));
    for (const r of doc.relations) {
      const a = byId.get(r.arg1);
      const b = byId.get(r.arg2);
      if (!a || !b) continue;
      const t = tallies.get(r.type) ?? { count: 0, sameType: 0, arg1First: 0, orientations: new Map<string, number>() };
      t.count++;
      if (a.type === b.type) t.sameType++;
      else t.orientations.set(`${a.type}\u0000${b.type}`, (t.orientations.get(`${a.type}\u0000${b.type}`) ?? 0) + 1);
      if (textOrder(a, b) < 0) t.arg1First++;
      tallies.set(r.type, t);
    }
  }
  return [...tallies]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, t]) => {
      const sameTypeShare = t.sameType / t.count;
      let directed = 0;
      for (const [key, n] of t.orientations) {
        const [x, y] = key.split('\u0000');
        const reverse = t.orientations.get(`${y}\u0000${x}`) ?? 0;
        // Each unordered pair once: its larger orientation counts as decided by the types.
        if (n > reverse || (n === reverse && x < y)) directed += n;
      }
      const typeDirectedShare = directed / t.count;
      const arg1FirstShare = t.arg1First / t.count;
      const positional = arg1FirstShare >= POSITIONAL_SHARE || arg1FirstShare <= 1 - POSITIONAL_SHARE;
      const symmetric = t.count >= MIN_RELATIONS_FOR_SYMMETRY && typeDirectedShare < TYPE_DIRECTED_SHARE && !positional;
      return { type, count: t.count, sameTypeShare, typeDirectedShare, arg1FirstShare, symmetric };
    });
}

/** The relation types whose argument order carries no meaning in `documents`. */
export function symmetricRelationTypes(documents: readonly Document[]): string[] {
  return learnRelationShapes(documents)
    .filter((s) => s.symmetric)
    .map((s) => s.type);
}

/**
 * Relations of symmetric types put in text order (arg1 first), and a second copy of the same unordered pair
 * (a, b) / (b, a) of one type dropped. Other relations are returned unchanged.
 */
export function canonicalRelations(document: Document, symmetric: ReadonlySet<string>): Relation[] {
  if (symmetric.size === 0) return document.relations;
  const byId = new Map(document.entities.map((e) => [e.id, e]));
  const seen = new Set<string>();
  const out: Relation[] = [];
  for (const r of document.relations) {
    const a = byId.get(r.arg1);
    const b = byId.get(r.arg2);
    if (!symmetric.has(r.type) || !a || !b) {
      out.push(r);
      continue;
    }
    const swap = textOrder(a, b) > 0;
    const canonical = swap ? { ...r, arg1: r.arg2, arg2: r.arg1, arg1Role: r.arg2Role, arg2Role: r.arg1Role } : r;
    const key = `${r.type}\u0000${canonical.arg1}\u0000${canonical.arg2}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(canonical);
  }
  return out;
}
