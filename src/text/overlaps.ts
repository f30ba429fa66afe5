/**
 * Which entities share a character: a sweep over all fragments sorted by start, keeping those still open, so a
 * document costs its fragments times the few open at once rather than every pair of entities.
 */
interface CharSpan {
  start: number;
  end: number;
}

/**
 * Calls `visit(a, b)` for pairs of distinct items whose fragments share a character (an empty fragment shares none;
 * a pair overlapping in several fragments may be visited more than once). `visit` returning true stops the sweep.
 */
export function forEachOverlap<T>(items: readonly T[], fragmentsOf: (item: T) => readonly CharSpan[], visit: (a: T, b: T) => boolean | void): void {
  const pieces = items
    .flatMap((item) => fragmentsOf(item).filter((f) => f.end > f.start).map((f) => ({ start: f.start, end: f.end, item })))
    .sort((a, b) => a.start - b.start);
  let open: typeof pieces = [];
  for (const piece of pieces) {
    open = open.filter((o) => o.end > piece.start);
    for (const o of open) if (o.item !== piece.item && visit(o.item, piece.item) === true) return;
    open.push(piece);
  }
}
