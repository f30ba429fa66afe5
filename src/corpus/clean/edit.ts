/**
 * Edits shared by several rules: copying a document so the input is never mutated, removing entities together
 * with everything that points at them, and re-pointing references from one entity to another.
 */
import type { Document } from '../types.js';
import { describeAttribute, describeRelation, type ChangeLog } from './report.js';
import type { CleanRule } from './rules.js';

/** A deep copy: rules edit copies, so the caller's documents stay exactly as read. */
export function cloneDocument(doc: Document): Document {
  return structuredClone(doc);
}

/**
 * Removes the given entities and, so the output stays valid brat, every relation, attribute, note and
 * equivalence membership that refers to them. Dependent relations, attributes and notes are logged under `rule`.
 */
export function removeEntities(doc: Document, ids: ReadonlySet<string>, rule: CleanRule, log: ChangeLog): void {
  if (ids.size === 0) return;
  doc.entities = doc.entities.filter((e) => !ids.has(e.id));
  doc.relations = doc.relations.filter((r) => {
    const gone = [r.arg1, r.arg2].find((a) => ids.has(a));
    if (gone === undefined) return true;
    log.add({
      rule,
      action: 'dropped',
      document: doc.id,
      annotation: r.id,
      before: describeRelation(r),
      after: `argument ${gone} was dropped`,
    });
    return false;
  });
  if (doc.attributes) {
    doc.attributes = doc.attributes.filter((a) => {
      if (!ids.has(a.target)) return true;
      log.add({
        rule,
        action: 'dropped',
        document: doc.id,
        annotation: a.id,
        before: describeAttribute(a),
        after: `target ${a.target} was dropped`,
      });
      return false;
    });
  }
  if (doc.notes) {
    doc.notes = doc.notes.filter((n) => {
      if (!ids.has(n.target)) return true;
      log.add({
        rule,
        action: 'dropped',
        document: doc.id,
        annotation: n.id,
        before: `${n.id} ${n.type} ${n.target} ${JSON.stringify(n.text)}`,
        after: `target ${n.target} was dropped`,
      });
      return false;
    });
  }
  if (doc.equivalences) {
    doc.equivalences = doc.equivalences
      .map((q) => ({ ...q, members: q.members.filter((m) => !ids.has(m)) }))
      // An equivalence of fewer than two members says nothing.
      .filter((q) => q.members.length >= 2);
  }
}

/**
 * Makes every reference to an entity in `replace` (old id -> kept id) point at the kept entity instead. Used when
 * duplicate entities are merged; the relations themselves are kept (duplicates among them are a separate rule).
 */
export function repointReferences(doc: Document, replace: ReadonlyMap<string, string>): void {
  if (replace.size === 0) return;
  const to = (id: string): string => replace.get(id) ?? id;
  for (const r of doc.relations) {
    r.arg1 = to(r.arg1);
    r.arg2 = to(r.arg2);
  }
  for (const a of doc.attributes ?? []) a.target = to(a.target);
  for (const n of doc.notes ?? []) n.target = to(n.target);
  if (doc.equivalences) {
    doc.equivalences = doc.equivalences
      .map((q) => ({ ...q, members: [...new Set(q.members.map(to))] }))
      .filter((q) => q.members.length >= 2);
  }
}
