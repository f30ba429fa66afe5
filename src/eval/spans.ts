/**
 * How the scorer sees annotations: an entity as a type plus one span, a relation as a type plus two such entities,
 * and the three ways two of them can be equal.
 *
 * - `strict` and `lenient` are the official modes. The official script reads an entity line `T1\tDrug 10 15;20 25`
 *   as the single span (10, 25): start of the first fragment *as listed*, end of the last fragment *as listed*.
 *   Strict needs equal starts and ends; lenient needs the spans to overlap (a.end > b.start and a.start < b.end).
 * - `exact` is a medrex addition: the sorted fragment lists must be identical, so a discontinuous prediction that
 *   covers the gap scores as wrong.
 */
import { MedrexError } from '../errors.js';
import type { Document, Entity } from '../corpus/types.js';
import { sortedFragments } from '../corpus/types.js';

export type MatchMode = 'strict' | 'lenient' | 'exact';

/** One value per matching mode. */
export type ByMode<T> = Record<MatchMode, T>;

/** The official modes, in the script's column order, then ours. */
export const OFFICIAL_MODES = ['strict', 'lenient'] as const;
export const ALL_MODES: readonly MatchMode[] = ['strict', 'lenient', 'exact'];

export interface EntityView {
  id: string;
  type: string;
  /** Start of the first listed fragment (the script's start). */
  start: number;
  /** End of the last listed fragment (the script's end). */
  end: number;
  /** Sorted fragments as `s-e,s-e`, for the exact-fragment mode. */
  fragmentKey: string;
}

export interface RelationView {
  id: string;
  type: string;
  arg1: EntityView;
  arg2: EntityView;
}

export interface DocumentView {
  id: string;
  entities: EntityView[];
  relations: RelationView[];
}

export function entityView(entity: Entity): EntityView {
  const listed = entity.fragments;
  if (listed.length === 0) {
    throw new MedrexError(`entity ${entity.id} has no fragments`, { rule: 'entity-without-fragments' });
  }
  return {
    id: entity.id,
    type: entity.type,
    start: listed[0].start,
    end: listed[listed.length - 1].end,
    fragmentKey: sortedFragments(entity)
      .map((f) => `${f.start}-${f.end}`)
      .join(','),
  };
}

/** Resolves relation arguments; a relation naming an entity the document lacks is an input error. */
export function documentView(doc: Document): DocumentView {
  const entities = doc.entities.map(entityView);
  const byId = new Map(entities.map((e) => [e.id, e]));
  const relations = doc.relations.map((r): RelationView => {
    const arg1 = byId.get(r.arg1);
    const arg2 = byId.get(r.arg2);
    const missing = arg1 === undefined ? r.arg1 : arg2 === undefined ? r.arg2 : undefined;
    if (arg1 === undefined || arg2 === undefined) {
      throw new MedrexError(`document ${doc.id}: relation ${r.id} names entity ${missing}, which does not exist`, {
        rule: 'relation-argument-missing',
      });
    }
    return { id: r.id, type: r.type, arg1, arg2 };
  });
  return { id: doc.id, entities, relations };
}

function spansMatch(a: EntityView, b: EntityView, mode: MatchMode): boolean {
  switch (mode) {
    case 'strict':
      return a.start === b.start && a.end === b.end;
    case 'lenient':
      return a.end > b.start && a.start < b.end;
    case 'exact':
      return a.fragmentKey === b.fragmentKey;
  }
}

export function entitiesEqual(a: EntityView, b: EntityView, mode: MatchMode): boolean {
  return a.type === b.type && spansMatch(a, b, mode);
}

/** Same type, and Arg1 equals Arg1 and Arg2 equals Arg2 under the same mode (types of the arguments included). */
export function relationsEqual(a: RelationView, b: RelationView, mode: MatchMode): boolean {
  return a.type === b.type && entitiesEqual(a.arg1, b.arg1, mode) && entitiesEqual(a.arg2, b.arg2, mode);
}
