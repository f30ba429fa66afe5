/**
 * Splits a text into runs of characters covered by the same set of entities, so that overlapping, nested and
 * discontinuous entities can all be drawn as flat, non-nesting highlighted runs.
 */

export interface EntitySpans {
  id: string;
  spans: readonly { start: number; end: number }[];
}

export interface Segment {
  start: number;
  end: number;
  /** Entities covering every character of this run, shortest (innermost) entity first; empty for plain text. */
  entities: string[];
}

/** Total length of an entity's spans: used to put the innermost entity first. */
function coveredLength(e: EntitySpans): number {
  return e.spans.reduce((n, s) => n + (s.end - s.start), 0);
}

/**
 * Runs covering `[0, textLength)` in order. Spans outside the text are clipped; empty spans are ignored.
 */
export function segmentText(textLength: number, entities: readonly EntitySpans[]): Segment[] {
  const cuts = new Set<number>([0, textLength]);
  const spans: { start: number; end: number; id: string; length: number }[] = [];
  for (const e of entities) {
    const length = coveredLength(e);
    for (const s of e.spans) {
      const start = Math.max(0, Math.min(textLength, s.start));
      const end = Math.max(0, Math.min(textLength, s.end));
      if (end <= start) continue;
      cuts.add(start);
      cuts.add(end);
      spans.push({ start, end, id: e.id, length });
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i];
    const end = points[i + 1];
    const covering = spans
      .filter((s) => s.start <= start && s.end >= end)
      .sort((a, b) => a.length - b.length || a.start - b.start);
    segments.push({ start, end, entities: [...new Set(covering.map((s) => s.id))] });
  }
  return segments;
}
