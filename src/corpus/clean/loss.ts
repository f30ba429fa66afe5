/**
 * What cleaning costs, per entity type and relation type: how many annotations of each type went in, came out, and
 * which rule removed the rest. Rules that remove copies (duplicate documents, entities and relations, and the train
 * copy of a test document) lose no information and are counted apart; every other removal is a loss. A loss above
 * `maxLoss` of any type stops `medrex clean` and the study (`checkCleanLoss`) unless the user accepts it: a rule
 * tuned to one corpus's shape must never quietly destroy another corpus.
 */
import { MedrexError } from '../../errors.js';
import type { Document } from '../types.js';
import type { CleanRule } from './rules.js';

/** Rules whose removals are copies of something kept: not a loss of information. */
export const DUPLICATE_RULES: readonly CleanRule[] = [
  'train-test-leak',
  'exact-duplicate-documents',
  'near-duplicate-documents',
  'duplicate-entities',
  'duplicate-relations',
];

/** Default largest share of any entity or relation type that cleaning may remove without --allow-loss. */
export const DEFAULT_MAX_LOSS = 0.02;

export interface TypeLoss {
  kind: 'entity' | 'relation';
  type: string;
  /** Annotations of this type before and after cleaning. */
  before: number;
  after: number;
  /** Removed by rules that lose information, and that share of `before`. */
  lost: number;
  lostShare: number;
  /** Removed as copies of annotations that are kept (DUPLICATE_RULES). */
  duplicates: number;
  /** Removals by rule (both kinds). */
  byRule: Partial<Record<CleanRule, number>>;
}

type Counts = Map<string, number>; // `${kind}\u0000${type}` -> n

const key = (kind: TypeLoss['kind'], type: string): string => `${kind}\u0000${type}`;

export function countTypes(documents: readonly Document[], into: Counts = new Map()): Counts {
  for (const d of documents) {
    for (const e of d.entities) into.set(key('entity', e.type), (into.get(key('entity', e.type)) ?? 0) + 1);
    for (const r of d.relations) into.set(key('relation', r.type), (into.get(key('relation', r.type)) ?? 0) + 1);
  }
  return into;
}

/** Attributes removals to rules: call `around(rule, docs, step)` for each rule application. */
export class LossTracker {
  private readonly before: Counts;
  private readonly removed = new Map<string, Partial<Record<CleanRule, number>>>();

  constructor(input: readonly Document[]) {
    this.before = countTypes(input);
  }

  /** Runs `step` and records what disappeared from `docs` (the documents it may change) meanwhile. */
  around<T>(rule: CleanRule, docs: readonly Document[], step: () => T): T {
    const b = countTypes(docs);
    const result = step();
    const after = countTypes(Array.isArray(result) ? (result as Document[]) : docs);
    for (const [k, n] of b) {
      const gone = n - (after.get(k) ?? 0);
      if (gone <= 0) continue;
      const byRule = this.removed.get(k) ?? {};
      byRule[rule] = (byRule[rule] ?? 0) + gone;
      this.removed.set(k, byRule);
    }
    return result;
  }

  /** Per type, worst loss first, then entities before relations, then by name. */
  result(output: readonly Document[]): TypeLoss[] {
    const after = countTypes(output);
    const keys = new Set([...this.before.keys(), ...after.keys()]);
    const rows = [...keys].map((k): TypeLoss => {
      const [kind, type] = k.split('\u0000') as [TypeLoss['kind'], string];
      const byRule = this.removed.get(k) ?? {};
      let lost = 0;
      let duplicates = 0;
      for (const [rule, n] of Object.entries(byRule) as [CleanRule, number][]) {
        if (DUPLICATE_RULES.includes(rule)) duplicates += n;
        else lost += n;
      }
      const before = this.before.get(k) ?? 0;
      return { kind, type, before, after: after.get(k) ?? 0, lost, lostShare: before > 0 ? lost / before : 0, duplicates, byRule };
    });
    return rows.sort(
      (a, b) => b.lostShare - a.lostShare || a.kind.localeCompare(b.kind) || a.type.localeCompare(b.type),
    );
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The rules that lost annotations of this type, largest first: `relation-argument-types 1358`. */
export function losingRules(row: TypeLoss): [CleanRule, number][] {
  return (Object.entries(row.byRule) as [CleanRule, number][])
    .filter(([rule]) => !DUPLICATE_RULES.includes(rule))
    .sort((a, b) => b[1] - a[1]);
}

/**
 * Throws when cleaning removed more than `maxLoss` of any type. `how` says how the user gets past it in the
 * calling command (`--disable RULE` / `--allow-loss` for `medrex clean`, config keys for the study); `{rule}` in it
 * is replaced by the rule that removed most.
 */
export function checkCleanLoss(loss: readonly TypeLoss[], maxLoss: number, how: string): void {
  const worst = loss.find((row) => row.lostShare > maxLoss);
  if (!worst) return;
  const rules = losingRules(worst);
  throw new MedrexError(
    `cleaning would remove ${pct(worst.lostShare)} of ${worst.kind} type "${worst.type}" ` +
      `(${worst.lost} of ${worst.before}; ${rules.map(([r, n]) => `${r}: ${n}`).join(', ')}), ` +
      `more than the ${pct(maxLoss)} allowed per type`,
    { rule: 'clean-loss-too-high', hint: how.replaceAll('{rule}', rules[0]?.[0] ?? 'RULE') },
  );
}
