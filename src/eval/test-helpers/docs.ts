/**
 * Test helper (excluded from the build): small in-memory Documents written compactly. Not part of the library surface (only tests import it).
 * The scorer never reads entity text, so the text is a plain filler long enough for every offset used in tests.
 */
import type { Document, Entity, Relation } from '../../corpus/types.js';

/** `[id, type, 'start end;start end']` as in a brat entity line. */
export type EntitySpec = [id: string, type: string, fragments: string];
/** `[id, type, arg1, arg2]`. */
export type RelationSpec = [id: string, type: string, arg1: string, arg2: string];

export function entity([id, type, fragments]: EntitySpec): Entity {
  return {
    id,
    type,
    fragments: fragments.split(';').map((f) => {
      const [start, end] = f.trim().split(' ').map(Number);
      return { start, end };
    }),
    text: '',
  };
}

export function doc(id: string, entities: EntitySpec[] = [], relations: RelationSpec[] = []): Document {
  return {
    id,
    text: 'x'.repeat(200),
    entities: entities.map(entity),
    relations: relations.map(([rid, type, arg1, arg2]): Relation => ({ id: rid, type, arg1, arg2 })),
  };
}
