/**
 * Micro-averaged strict F1 for model selection (early stopping on the dev split).
 *
 * Matching follows the n2c2 strict rule — an entity matches when type, start of the first fragment and end of the
 * last fragment are equal; a relation when its type and both arguments match — but without the official scorer's
 * per-document duplicate handling and reports: reported figures come from src/eval. This only has to rank epochs.
 */
import { outerSpan, type Document, type Entity } from '../corpus/types.js';

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface F1 extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export function f1Of(c: Counts): F1 {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

function entityKey(e: Entity): string {
  const span = outerSpan(e);
  return `${e.type}\u0000${span.start}\u0000${span.end}`;
}

/** Count matches of two multisets of keys (each gold key matches at most once). */
function countKeys(gold: string[], system: string[]): Counts {
  const left = new Map<string, number>();
  for (const k of gold) left.set(k, (left.get(k) ?? 0) + 1);
  let tp = 0;
  for (const k of system) {
    const n = left.get(k) ?? 0;
    if (n > 0) {
      tp++;
      left.set(k, n - 1);
    }
  }
  return { tp, fp: system.length - tp, fn: gold.length - tp };
}

/** Relation keys; a symmetric type's arguments are keyed in sorted order, so either order matches. */
function relationKeys(doc: Document, symmetric: ReadonlySet<string>): string[] {
  const byId = new Map(doc.entities.map((e) => [e.id, e]));
  const keys: string[] = [];
  for (const r of doc.relations) {
    const a = byId.get(r.arg1);
    const b = byId.get(r.arg2);
    if (!a || !b) continue;
    const args = [entityKey(a), entityKey(b)];
    if (symmetric.has(r.type)) args.sort();
    keys.push(`${r.type}\u0000${args[0]}\u0000${args[1]}`);
  }
  return keys;
}

export interface ExtractionScores {
  entities: F1;
  relations: F1;
}

/**
 * Strict micro F1 of predicted documents against gold documents, paired by position (same order, same ids).
 * Relations of `symmetricTypes` match in either argument order.
 */
export function strictScores(
  gold: readonly Document[],
  system: readonly Document[],
  symmetricTypes: readonly string[] = [],
): ExtractionScores {
  const symmetric = new Set(symmetricTypes);
  if (gold.length !== system.length) throw new Error(`${gold.length} gold documents but ${system.length} predicted`);
  const entities: Counts = { tp: 0, fp: 0, fn: 0 };
  const relations: Counts = { tp: 0, fp: 0, fn: 0 };
  gold.forEach((g, i) => {
    const s = system[i];
    if (g.id !== s.id) throw new Error(`document ${i}: gold is ${g.id}, prediction is ${s.id}`);
    const e = countKeys(g.entities.map(entityKey), s.entities.map(entityKey));
    const r = countKeys(relationKeys(g, symmetric), relationKeys(s, symmetric));
    for (const k of ['tp', 'fp', 'fn'] as const) {
      entities[k] += e[k];
      relations[k] += r[k];
    }
  });
  return { entities: f1Of(entities), relations: f1Of(relations) };
}
