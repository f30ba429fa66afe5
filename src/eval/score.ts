/**
 * `scoreCorpora`: the n2c2 2018 Track 2 evaluation (official numbers) plus medrex's additions, on in-memory
 * Documents. See README.md in this folder for the rules and where they come from.
 */
import type { Document } from '../corpus/types.js';
import { labelledRows, tallyKind, type KindTally, type ScoredItem } from './tally.js';
import {
  entityLabel,
  looksLikeN2c2,
  N2C2_ENTITY_TYPES,
  N2C2_RELATION_TYPES,
  relationLabel,
  rowTypes,
  type RowTypes,
} from './labels.js';
import { meanPrf, prfOf, type Counts, type Prf } from './measures.js';
import { pairDocuments } from './pairing.js';
import {
  ALL_MODES,
  documentView,
  entitiesEqual,
  relationsEqual,
  type ByMode,
  type DocumentView,
  type MatchMode,
  type RelationView,
} from './spans.js';

export type { ByMode, MatchMode };

/** Counts with the scores derived from them. */
export interface Score extends Counts, Prf {}

export interface ScoreOptions {
  /** Entity types to give a row, in order (default: chosen from the data, see labels.ts). */
  entityTypes?: readonly string[];
  /** Relation types to give a row, in order (default: chosen from the data). */
  relationTypes?: readonly string[];
  /**
   * Relation types whose argument order carries no meaning (src/text/relation-shapes.ts): a system relation
   * matches a gold one with the arguments either way round. Default none, as in the official script.
   */
  symmetricRelationTypes?: readonly string[];
}

/** One row of the official table: a type, scored on annotations of that type only, micro-averaged. */
export interface OfficialRow {
  type: string;
  /** The name the official table prints (`Ade`, `Strength -> Drug`). */
  label: string;
  strict: Prf;
  lenient: Prf;
}

/** What the official script prints for one kind (entities or relations). */
export interface OfficialKindScore {
  rows: OfficialRow[];
  /** TP/FP/FN pooled over all paired documents. */
  micro: { strict: Prf; lenient: Prf };
  /** Mean over paired documents of each document's P, R and F1. */
  macro: { strict: Prf; lenient: Prf };
}

export interface AdditionRow {
  type: string;
  label: string;
  strict: Score;
  lenient: Score;
  /** Exact-fragment matching: sorted fragment lists identical. */
  exact: Score;
}

/** medrex additions for one kind; nothing here is computed by the official script. */
export interface KindAdditions {
  /** Per-type counts and scores (strict and lenient scores equal the official rows). */
  perType: AdditionRow[];
  /** Pooled over paired documents (strict and lenient equal the official micro row). */
  micro: ByMode<Score>;
  /** Mean over paired documents (strict and lenient equal the official macro row). */
  macroOverDocuments: ByMode<Prf>;
  /** Mean of the per-type scores over the row types that occur in the paired documents. */
  macroOverTypes: ByMode<Prf>;
  /** Documents on one side only counted in: their gold annotations as misses (FN), system ones as FP. */
  withUnpaired: { micro: ByMode<Score>; macroOverDocuments: ByMode<Prf> };
}

export interface ScoreReport {
  documents: { paired: number; goldOnly: string[]; systemOnly: string[] };
  /** Human-readable notices (skipped documents). */
  notices: string[];
  entities: OfficialKindScore;
  relations: OfficialKindScore;
  additions: {
    description: string;
    /** Number of documents in the `withUnpaired` figures (paired + gold only + system only). */
    documentsWithUnpaired: number;
    entities: KindAdditions;
    relations: KindAdditions;
  };
}

function typesOf(docs: readonly DocumentView[], pick: (d: DocumentView) => readonly ScoredItem[]): Set<string> {
  const found = new Set<string>();
  for (const d of docs) for (const item of pick(d)) found.add(item.type);
  return found;
}

function withScores(c: Counts): Score {
  return { ...c, ...prfOf(c) };
}

function byMode<T>(make: (mode: MatchMode) => T): ByMode<T> {
  return { strict: make('strict'), lenient: make('lenient'), exact: make('exact') };
}

function officialKind(
  tally: KindTally,
  officialTypes: readonly string[],
  labelOf: (type: string) => string,
): OfficialKindScore {
  const official = new Set(officialTypes);
  return {
    rows: labelledRows(tally, labelOf)
      .filter((row) => official.has(row.type))
      .map((row) => ({
      type: row.type,
      label: row.label,
      strict: prfOf(row.counts.strict),
      lenient: prfOf(row.counts.lenient),
    })),
    micro: { strict: prfOf(tally.paired.strict), lenient: prfOf(tally.paired.lenient) },
    macro: { strict: meanPrf(tally.pairedDocuments.strict), lenient: meanPrf(tally.pairedDocuments.lenient) },
  };
}

function kindAdditions(tally: KindTally, labelOf: (type: string) => string): KindAdditions {
  const rows = labelledRows(tally, labelOf);
  const occurring = rows.filter((r) => ALL_MODES.some((m) => r.counts[m].tp + r.counts[m].fp + r.counts[m].fn > 0));
  return {
    perType: rows.map((row) => ({
      type: row.type,
      label: row.label,
      strict: withScores(row.counts.strict),
      lenient: withScores(row.counts.lenient),
      exact: withScores(row.counts.exact),
    })),
    micro: byMode((m) => withScores(tally.paired[m])),
    macroOverDocuments: byMode((m) => meanPrf(tally.pairedDocuments[m])),
    macroOverTypes: byMode((m) => meanPrf(occurring.map((r) => prfOf(r.counts[m])))),
    withUnpaired: {
      micro: byMode((m) => withScores(tally.withUnpaired[m])),
      macroOverDocuments: byMode((m) => meanPrf(tally.allDocuments[m])),
    },
  };
}

/** Row types: as given (official and additions alike), or chosen from the data. */
function chooseRows(
  given: readonly string[] | undefined,
  found: ReadonlySet<string>,
  n2c2Order: readonly string[],
  isN2c2: boolean,
): RowTypes {
  if (given === undefined) return rowTypes(found, n2c2Order, isN2c2);
  const unique = [...new Set(given)];
  return { official: unique, all: unique };
}

function skipNotice(ids: readonly string[], side: string): string[] {
  if (ids.length === 0) return [];
  const noun = ids.length === 1 ? 'document' : 'documents';
  return [`skipped ${ids.length} ${noun} found only in ${side}: ${ids.join(', ')}`];
}

/** Relation equality, in either argument order for the symmetric types. */
function relationMatcher(symmetric: ReadonlySet<string>): (a: RelationView, b: RelationView, mode: MatchMode) => boolean {
  if (symmetric.size === 0) return relationsEqual;
  return (a, b, mode) =>
    relationsEqual(a, b, mode) ||
    (symmetric.has(a.type) && a.type === b.type && entitiesEqual(a.arg1, b.arg2, mode) && entitiesEqual(a.arg2, b.arg1, mode));
}

/**
 * Scores system documents against gold documents. Documents are paired by id; annotations must be in file order
 * (the order matters for the duplicate rule, as in the official script).
 */
export function scoreCorpora(
  gold: readonly Document[],
  system: readonly Document[],
  opts: ScoreOptions = {},
): ScoreReport {
  const pairing = pairDocuments(gold, system);
  const pairs = pairing.pairs.map((p) => ({ gold: documentView(p.gold), system: documentView(p.system) }));
  const goldOnly = pairing.goldOnly.map(documentView);
  const systemOnly = pairing.systemOnly.map(documentView);

  const everyView = [...pairs.flatMap((p) => [p.gold, p.system]), ...goldOnly, ...systemOnly];
  const goldViews = [...pairs.map((p) => p.gold), ...goldOnly];
  const goldHasTypes = goldViews.some((d) => d.entities.length + d.relations.length > 0);
  const deciding = goldHasTypes ? goldViews : everyView;
  const isN2c2 = looksLikeN2c2(typesOf(deciding, (d) => d.entities), typesOf(deciding, (d) => d.relations));
  const entityRows = chooseRows(opts.entityTypes, typesOf(everyView, (d) => d.entities), N2C2_ENTITY_TYPES, isN2c2);
  const relationRows = chooseRows(
    opts.relationTypes,
    typesOf(everyView, (d) => d.relations),
    N2C2_RELATION_TYPES,
    isN2c2,
  );

  const entityTally = tallyKind({
    pairs: pairs.map((p) => ({ gold: p.gold.entities, system: p.system.entities })),
    goldOnly: goldOnly.map((d) => d.entities),
    systemOnly: systemOnly.map((d) => d.entities),
    rowTypes: entityRows.all,
    equals: entitiesEqual,
  });
  const relationTally = tallyKind({
    pairs: pairs.map((p) => ({ gold: p.gold.relations, system: p.system.relations })),
    goldOnly: goldOnly.map((d) => d.relations),
    systemOnly: systemOnly.map((d) => d.relations),
    rowTypes: relationRows.all,
    equals: relationMatcher(new Set(opts.symmetricRelationTypes ?? [])),
  });

  const goldOnlyIds = pairing.goldOnly.map((d) => d.id);
  const systemOnlyIds = pairing.systemOnly.map((d) => d.id);
  const notices = [...skipNotice(goldOnlyIds, 'gold'), ...skipNotice(systemOnlyIds, 'system')];
  if (pairs.length === 0) notices.push('none of the documents match: nothing was scored');

  return {
    documents: { paired: pairs.length, goldOnly: goldOnlyIds, systemOnly: systemOnlyIds },
    notices,
    entities: officialKind(entityTally, entityRows.official, entityLabel),
    relations: officialKind(relationTally, relationRows.official, relationLabel),
    additions: {
      description:
        'medrex additions, not computed by the official n2c2 2018 Track 2 script: per-type counts, ' +
        'exact-fragment matching, macro average over types, and scores counting unpaired documents as misses',
      documentsWithUnpaired: pairs.length + goldOnly.length + systemOnly.length,
      entities: kindAdditions(entityTally, entityLabel),
      relations: kindAdditions(relationTally, relationLabel),
    },
  };
}
