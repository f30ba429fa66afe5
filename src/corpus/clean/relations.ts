/**
 * Relation rules: relations whose argument is missing, relations whose argument types do not fit their relation
 * type, and relations entered twice.
 *
 * Which argument types fit is learned from the corpus itself (medrex knows no label set), and the rule drops only
 * what is clearly a slip in *this* corpus, never a shape the corpus uses. A relation is dropped when its
 * combination of argument types (unordered: argument order is not this rule's business) is rare for its relation
 * type (below `maxShare` of it, default 2%) AND one of the two types is a stranger to that relation type: it fills
 * less than `strangerRatio` (default 1/4) of the share it has among all entity mentions of the corpus. An
 * `ADE-Drug` whose Arg2 is a Reason, in a corpus where Reasons are 7% of entities but 0.3% of ADE-Drug arguments,
 * is dropped; a relation between an unapproved drug and a drug, in a drug-interaction corpus where unapproved drugs
 * are 2% of entities and 2% of every relation type's arguments, is kept, however rare. Relation types seen fewer
 * than `minRelations` times are not judged: too little evidence.
 */
import type { Document, Relation } from '../types.js';
import { describeRelation, type ChangeLog } from './report.js';

export interface ArgumentTypeOptions {
  /** A combination of argument types is rare when it fills less than this share of its relation type (0..1). */
  maxShare: number;
  /** A type is a stranger to a relation type when its share of the arguments is below this ratio of its share of all entities. */
  strangerRatio: number;
  /** Relation types with fewer instances than this are never judged. */
  minRelations: number;
}

export const DEFAULT_ARGUMENT_TYPE_OPTIONS: ArgumentTypeOptions = { maxShare: 0.02, strangerRatio: 0.25, minRelations: 20 };

/** Rule `dangling-relations`: a relation naming an entity id the document does not have. */
export function dropDanglingRelations(doc: Document, log: ChangeLog): void {
  const ids = new Set(doc.entities.map((e) => e.id));
  doc.relations = doc.relations.filter((r) => {
    const missing = [r.arg1, r.arg2].filter((a) => !ids.has(a));
    if (missing.length === 0) return true;
    log.add({
      rule: 'dangling-relations',
      action: 'dropped',
      document: doc.id,
      annotation: r.id,
      before: describeRelation(r),
      after: `no entity ${missing.join(', ')}`,
    });
    return false;
  });
}

/** For one relation type: how often each entity type fills Arg1 and Arg2, and each unordered pair of types. */
export interface SlotProfile {
  total: number;
  arg1: Map<string, number>;
  arg2: Map<string, number>;
  /** Unordered combinations, keyed by `combinationKey`. */
  pairs: Map<string, number>;
}

/** The two types sorted, joined by ` + `: the same for both argument orders. */
export function combinationKey(t1: string, t2: string): string {
  return t1 <= t2 ? `${t1} + ${t2}` : `${t2} + ${t1}`;
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

/** Counts argument types per relation type over the whole corpus (relations with a missing argument are skipped). */
export function profileArgumentTypes(documents: readonly Document[]): Map<string, SlotProfile> {
  const profiles = new Map<string, SlotProfile>();
  for (const doc of documents) {
    const typeOf = new Map(doc.entities.map((e) => [e.id, e.type]));
    for (const r of doc.relations) {
      const t1 = typeOf.get(r.arg1);
      const t2 = typeOf.get(r.arg2);
      if (t1 === undefined || t2 === undefined) continue;
      let p = profiles.get(r.type);
      if (!p) {
        p = { total: 0, arg1: new Map(), arg2: new Map(), pairs: new Map() };
        profiles.set(r.type, p);
      }
      p.total += 1;
      bump(p.arg1, t1);
      bump(p.arg2, t2);
      bump(p.pairs, combinationKey(t1, t2));
    }
  }
  return profiles;
}

/** Share of every entity type among all entity mentions of the corpus. */
export function entityTypeShares(documents: readonly Document[]): Map<string, number> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const doc of documents) {
    for (const e of doc.entities) {
      bump(counts, e.type);
      total += 1;
    }
  }
  return new Map([...counts].map(([t, n]) => [t, n / Math.max(1, total)]));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Why `r` is an outlier for its relation type, or undefined when it fits (or cannot be judged). */
function misfit(
  r: Relation,
  typeOf: Map<string, string>,
  p: SlotProfile | undefined,
  shares: Map<string, number>,
  opts: ArgumentTypeOptions,
): string | undefined {
  if (!p || p.total < opts.minRelations) return undefined;
  const t1 = typeOf.get(r.arg1);
  const t2 = typeOf.get(r.arg2);
  if (t1 === undefined || t2 === undefined) return undefined;
  const key = combinationKey(t1, t2);
  const n = p.pairs.get(key) ?? 0;
  if (n / p.total >= opts.maxShare) return undefined;
  for (const t of new Set([t1, t2])) {
    const inRelation = ((p.arg1.get(t) ?? 0) + (p.arg2.get(t) ?? 0)) / (2 * p.total);
    const inCorpus = shares.get(t) ?? 0;
    if (inRelation < opts.strangerRatio * inCorpus) {
      return (
        `argument types ${key}: ${n} of ${p.total} ${r.type} relations; ` +
        `${t} is ${pct(inCorpus)} of entities but ${pct(inRelation)} of ${r.type} arguments`
      );
    }
  }
  return undefined;
}

/**
 * Rule `relation-argument-types`, over the whole corpus (the profile is corpus-wide). Dropping relations shifts
 * the shares, so the rule repeats until nothing more is dropped: cleaning its own output then changes nothing.
 */
export function dropMistypedRelations(
  documents: Document[],
  log: ChangeLog,
  opts: ArgumentTypeOptions = DEFAULT_ARGUMENT_TYPE_OPTIONS,
): void {
  const shares = entityTypeShares(documents);
  for (;;) {
    const profiles = profileArgumentTypes(documents);
    let dropped = 0;
    for (const doc of documents) {
      const typeOf = new Map(doc.entities.map((e) => [e.id, e.type]));
      doc.relations = doc.relations.filter((r) => {
        const why = misfit(r, typeOf, profiles.get(r.type), shares, opts);
        if (why === undefined) return true;
        dropped += 1;
        log.add({
          rule: 'relation-argument-types',
          action: 'dropped',
          document: doc.id,
          annotation: r.id,
          before: describeRelation(r),
          after: why,
        });
        return false;
      });
    }
    if (dropped === 0) return;
  }
}

/** Rule `duplicate-relations`: same type, same arguments in the same roles; the first is kept. */
export function dropDuplicateRelations(doc: Document, log: ChangeLog): void {
  const seen = new Map<string, string>();
  doc.relations = doc.relations.filter((r) => {
    const key = [r.type, r.arg1Role ?? 'Arg1', r.arg1, r.arg2Role ?? 'Arg2', r.arg2].join('\u0000');
    const kept = seen.get(key);
    if (kept === undefined) {
      seen.set(key, r.id);
      return true;
    }
    log.add({
      rule: 'duplicate-relations',
      action: 'dropped',
      document: doc.id,
      annotation: r.id,
      before: describeRelation(r),
      after: `duplicate of ${kept}`,
    });
    return false;
  });
}
