/**
 * Counts and the precision / recall / F1 arithmetic of the n2c2 2018 Track 2 script.
 *
 * The float operations follow the script's order (F = (2 * (P * R)) / (P + R)) so that results agree to the last
 * bit, and every ratio whose denominator is 0 is 0, as the script's ZeroDivisionError handlers make it.
 */

/** True positives, false positives and false negatives of one comparison. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Precision, recall and F1 (beta = 1), each in [0, 1]. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

export function zeroCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0 };
}

/** Adds `more` into `into` (mutates `into`, returns it for chaining). */
export function addCounts(into: Counts, more: Counts): Counts {
  into.tp += more.tp;
  into.fp += more.fp;
  into.fn += more.fn;
  return into;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function precision(c: Counts): number {
  return ratio(c.tp, c.tp + c.fp);
}

export function recall(c: Counts): number {
  return ratio(c.tp, c.tp + c.fn);
}

/** F1 from precision and recall, computed as the script does: (1 + b^2) * (P * R) / (b^2 * (P + R)) with b = 1. */
export function f1(p: number, r: number): number {
  return ratio(2 * (p * r), p + r);
}

export function prfOf(c: Counts): Prf {
  const p = precision(c);
  const r = recall(c);
  return { precision: p, recall: r, f1: f1(p, r) };
}

/**
 * Component-wise mean of several P/R/F1 triples, summing in the given order and then dividing (as the script does
 * for its macro average). The mean of nothing is all zeros.
 */
export function meanPrf(items: readonly Prf[]): Prf {
  let p = 0;
  let r = 0;
  let f = 0;
  for (const item of items) {
    p += item.precision;
    r += item.recall;
    f += item.f1;
  }
  const n = items.length;
  return { precision: ratio(p, n), recall: ratio(r, n), f1: ratio(f, n) };
}
