/**
 * Relation rules: relations whose argument is missing, relations whose argument types do not fit their relation
 * type, and relations entered twice.
 *
 * Which argument types fit is learned from the corpus itself (medrex knows no label set): for each relation type
 * and each argument slot, a type is accepted when it fills at least `minShare` of that slot. The majority type
 * always passes; with the default 0.2 a relation type with a genuinely mixed slot (say 60% Drug, 40% Chemical)
 * keeps both, while an `ADE-Drug` whose Arg2 is a Reason, in a corpus where Arg2 is a Drug 99% of the time, is
 * dropped. A relation type seen fewer than `minRelations` times is not judged: too little evidence.
 */
import type { Document, Relation } from '../types.js';
import { describeRelation, type ChangeLog } from './report.js';

export interface ArgumentTypeOptions {
  /** A slot type is accepted when it fills at least this share of the slot (0..1). */
  minShare: number;
  /** Relation types with fewer instances than this are never judged. */
  minRelations: number;
}

export const DEFAULT_ARGUMENT_TYPE_OPTIONS: ArgumentTypeOptions = { minShare: 0.2, minRelations: 5 };

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

/** For one relation type: how often each entity type fills Arg1 and Arg2. */
export interface SlotProfile {
  total: number;
  arg1: Map<string, number>;
  arg2: Map<string, number>;
}

/** Counts argument types per relation type over the whole corpus (relations with a missing argument are skipped). */
export function profileArgumentTypes(documents: readonly Document[]): Map<string, SlotProfile> {
  const profiles = new Map<string, SlotProfile>();
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const doc of documents) {
    const typeOf = new Map(doc.entities.map((e) => [e.id, e.type]));
    for (const r of doc.relations) {
      const t1 = typeOf.get(r.arg1);
      const t2 = typeOf.get(r.arg2);
      if (t1 === undefined || t2 === undefined) continue;
      let p = profiles.get(r.type);
      if (!p) {
        p = { total: 0, arg1: new Map(), arg2: new Map() };
        profiles.set(r.type, p);
      }
      p.total += 1;
      bump(p.arg1, t1);
      bump(p.arg2, t2);
    }
  }
  return profiles;
}

/** Types accepted in a slot, most frequent first. */
function acceptedTypes(slot: Map<string, number>, total: number, minShare: number): string[] {
  return [...slot.entries()]
    .filter(([, n]) => n / total >= minShare)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([t]) => t);
}

/** Why `r` does not fit its profile, or undefined when it fits (or cannot be judged). */
function misfit(
  r: Relation,
  typeOf: Map<string, string>,
  p: SlotProfile | undefined,
  opts: ArgumentTypeOptions,
): string | undefined {
  if (!p || p.total < opts.minRelations) return undefined;
  const problems: string[] = [];
  const slots = [
    ['Arg1', typeOf.get(r.arg1), p.arg1],
    ['Arg2', typeOf.get(r.arg2), p.arg2],
  ] as const;
  for (const [name, type, counts] of slots) {
    if (type === undefined) continue;
    const ok = acceptedTypes(counts, p.total, opts.minShare);
    if (!ok.includes(type)) problems.push(`${name} is ${type}, expected ${ok.join(' or ')}`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
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
  for (;;) {
    const profiles = profileArgumentTypes(documents);
    let dropped = 0;
    for (const doc of documents) {
      const typeOf = new Map(doc.entities.map((e) => [e.id, e.type]));
      doc.relations = doc.relations.filter((r) => {
        const why = misfit(r, typeOf, profiles.get(r.type), opts);
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
