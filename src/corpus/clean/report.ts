/**
 * The cleaning report: one entry per change or drop, so every edit to the data can be audited, plus totals by rule.
 * Rules append to a ChangeLog; the runner later fills in `file` and `line` from the source files (rules see only
 * Documents, which carry no line numbers).
 */
import type { Attribute, Entity, Relation } from '../types.js';
import type { TypeLoss } from './loss.js';
import type { CleanRule } from './rules.js';

export interface CleanChange {
  rule: CleanRule;
  /** `changed`: the annotation or document is kept in a new form; `dropped`: it is gone from the output. */
  action: 'changed' | 'dropped';
  /** Document id (path relative to the corpus root, no extension). */
  document: string;
  /** Annotation id (`T3`, `R2`), absent when the whole document is concerned. */
  annotation?: string;
  /** Source file and 1-based line, when known. */
  file?: string;
  line?: number;
  /** Human-readable state before and after (`after` is empty for drops, or names the kept copy). */
  before: string;
  after: string;
}

export interface CleanReport {
  documentsIn: number;
  documentsOut: number;
  /** Per entity and relation type: before, after, lost and removed as copies; worst loss first. */
  loss: TypeLoss[];
  /** Rules that were switched off for this run. */
  disabled: CleanRule[];
  nearDuplicateThreshold: number;
  /** Number of changes and drops per rule (every rule present, zero when it did nothing). */
  totals: Record<CleanRule, number>;
  changes: CleanChange[];
}

/** Collects changes in the order the rules make them. */
export class ChangeLog {
  readonly changes: CleanChange[] = [];

  add(change: CleanChange): void {
    this.changes.push(change);
  }
}

export function totalsByRule(changes: CleanChange[], rules: readonly CleanRule[]): Record<CleanRule, number> {
  const totals = Object.fromEntries(rules.map((r) => [r, 0])) as Record<CleanRule, number>;
  for (const c of changes) totals[c.rule] += 1;
  return totals;
}

/** `T3 Drug 10 15;20 25 "text"`: close to the brat line, so a reader can find it in the file. */
export function describeEntity(e: Entity): string {
  const spans = e.fragments.map((f) => `${f.start} ${f.end}`).join(';');
  return `${e.id} ${e.type} ${spans} ${JSON.stringify(e.text)}`;
}

/** `R2 Strength-Drug Arg1:T1 Arg2:T3`. */
export function describeRelation(r: Relation): string {
  return `${r.id} ${r.type} ${r.arg1Role ?? 'Arg1'}:${r.arg1} ${r.arg2Role ?? 'Arg2'}:${r.arg2}`;
}

/** `A1 Negated T3` or `A2 Severity T3 High`. */
export function describeAttribute(a: Attribute): string {
  return `${a.id} ${a.type} ${a.target}${a.value !== undefined ? ` ${a.value}` : ''}`;
}
