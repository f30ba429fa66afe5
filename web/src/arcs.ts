/**
 * Geometry of relation arcs, as brat draws them: a curve above the text from one entity to the other, with
 * arcs that overlap horizontally stacked at different heights so their labels do not collide.
 */

export interface ArcSpan {
  /** Horizontal position of the two ends (any order). */
  x1: number;
  x2: number;
}

/**
 * A height level (1, 2, ...) per arc: each arc goes one level above every shorter arc it overlaps, so nested
 * arcs form a staircase and disjoint arcs share level 1. Arcs are only compared with arcs on the same text line;
 * callers group them by line.
 */
export function assignArcLevels(arcs: readonly ArcSpan[]): number[] {
  const order = arcs
    .map((a, i) => ({ i, left: Math.min(a.x1, a.x2), right: Math.max(a.x1, a.x2) }))
    .sort((a, b) => a.right - a.left - (b.right - b.left) || a.left - b.left);
  const levels = new Array<number>(arcs.length).fill(0);
  const placed: typeof order = [];
  for (const arc of order) {
    let level = 1;
    for (const other of placed) {
      // Touching ends count as overlap: two arcs sharing an entity would otherwise draw on top of each other.
      if (other.left <= arc.right && arc.left <= other.right) level = Math.max(level, levels[other.i] + 1);
    }
    levels[arc.i] = level;
    placed.push(arc);
  }
  return levels;
}

/**
 * SVG path of an arc from (x1, y) to (x2, y) rising `height` above y (both ends on the same baseline); for ends
 * on different lines (y1 != y2) the curve rises `height` above the higher end.
 */
export function arcPath(x1: number, y1: number, x2: number, y2: number, height: number): string {
  const top = Math.min(y1, y2) - height;
  // A cubic with both control points at the top: flat-topped like brat's arcs, vertical near the entities.
  const round = (v: number) => Math.round(v * 10) / 10;
  return `M ${round(x1)} ${round(y1)} C ${round(x1)} ${round(top)} ${round(x2)} ${round(top)} ${round(x2)} ${round(y2)}`;
}

/** Where the arc's label goes: the middle of the arc at its top (the cubic's apex is 3/4 of the way up). */
export function arcLabelPoint(x1: number, y1: number, x2: number, y2: number, height: number): { x: number; y: number } {
  const top = Math.min(y1, y2) - height;
  // Point at t = 0.5 of the cubic: y = (y1 + 3 top + 3 top + y2) / 8.
  return { x: (x1 + x2) / 2, y: (y1 + 6 * top + y2) / 8 };
}

/**
 * Where several arcs meet one entity box: evenly spaced points across the box instead of all on its centre.
 * Arcs going left take the left part of the box and arcs going right the right part; within each side the
 * farther arc (which rises higher) takes the outer point, so the arcs leaving one box nest instead of crossing.
 * `others[i]` is the x of arc i's other end; returns the x of arc i's end on this box.
 */
export function spreadEnds(left: number, width: number, others: readonly number[]): number[] {
  const centre = left + width / 2;
  const side = (x: number) => (x < centre ? 0 : 1);
  // Left side: nearest (largest x) first, i.e. leftmost slot; right side: farthest (largest x) first.
  const order = others.map((x, i) => ({ x, i })).sort((a, b) => side(a.x) - side(b.x) || b.x - a.x || a.i - b.i);
  const result = new Array<number>(others.length);
  order.forEach(({ i }, k) => {
    result[i] = left + (width * (k + 1)) / (others.length + 1);
  });
  return result;
}
