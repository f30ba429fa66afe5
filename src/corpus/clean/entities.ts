/**
 * Rule `duplicate-entities`: two entities with the same type and the same fragments are one annotation entered
 * twice. The first is kept; relations, attributes, notes and equivalences that named a later copy are re-pointed
 * to it (relations that thereby become duplicates are the business of `duplicate-relations`).
 */
import { sortedFragments, type Document, type Entity } from '../types.js';
import { repointReferences } from './edit.js';
import { describeAttribute, describeEntity, type ChangeLog } from './report.js';

function entityKey(e: Entity): string {
  return `${e.type}\u0000${sortedFragments(e)
    .map((f) => `${f.start}-${f.end}`)
    .join(',')}`;
}

export function mergeDuplicateEntities(doc: Document, log: ChangeLog): void {
  const firstByKey = new Map<string, Entity>();
  const replace = new Map<string, string>();
  for (const e of doc.entities) {
    const key = entityKey(e);
    const kept = firstByKey.get(key);
    if (kept === undefined) {
      firstByKey.set(key, e);
      continue;
    }
    replace.set(e.id, kept.id);
    log.add({
      rule: 'duplicate-entities',
      action: 'dropped',
      document: doc.id,
      annotation: e.id,
      before: describeEntity(e),
      after: `duplicate of ${kept.id}`,
    });
  }
  if (replace.size === 0) return;
  doc.entities = doc.entities.filter((e) => !replace.has(e.id));
  repointReferences(doc, replace);
  dropRepeatedAttributes(doc, log);
}

/** After merging, `Negated T1` may appear twice (once from each copy): keep one. */
function dropRepeatedAttributes(doc: Document, log: ChangeLog): void {
  if (!doc.attributes) return;
  const seen = new Map<string, string>();
  doc.attributes = doc.attributes.filter((a) => {
    const key = `${a.type}\u0000${a.target}\u0000${a.value ?? ''}`;
    const kept = seen.get(key);
    if (kept === undefined) {
      seen.set(key, a.id);
      return true;
    }
    log.add({
      rule: 'duplicate-entities',
      action: 'dropped',
      document: doc.id,
      annotation: a.id,
      before: describeAttribute(a),
      after: `duplicate of ${kept} after merging entities`,
    });
    return false;
  });
}
