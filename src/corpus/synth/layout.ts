/**
 * Final layout passes over a generated document: hard-wrap narrative prose, split mentions that a wrap broke into
 * per-line fragments, optionally switch to CRLF line endings, and number annotations in reading order.
 * Each pass keeps every entity's `text` equal to its fragments' characters joined by one space.
 */
import type { Document, Entity, Fragment } from '../types.js';

/**
 * Greedy hard wrap of the given ranges at `width` columns by turning spaces into newlines. The text keeps its
 * length, so offsets stay valid; only mentions that now span a newline need their fragments split.
 */
export function hardWrap(text: string, ranges: readonly Fragment[], width: number): string {
  const chars = text.split('');
  for (const range of ranges) {
    let lineStart = text.lastIndexOf('\n', range.start - 1) + 1;
    let lastSpace = -1;
    for (let i = range.start; i < range.end; i++) {
      if (chars[i] === '\n') {
        lineStart = i + 1;
        lastSpace = -1;
        continue;
      }
      if (chars[i] === ' ') lastSpace = i;
      if (i - lineStart >= width && lastSpace > lineStart) {
        chars[lastSpace] = '\n';
        lineStart = lastSpace + 1;
        lastSpace = -1;
      }
    }
  }
  return chars.join('');
}

/**
 * brat cannot show a mention across a line break, so (as brat itself does) a fragment that contains line breaks
 * becomes one fragment per line, without the surrounding whitespace.
 */
export function splitFragmentsAtLineBreaks(text: string, entity: Entity): Entity {
  const fragments: Fragment[] = [];
  for (const f of entity.fragments) {
    let start = f.start;
    for (let i = f.start; i <= f.end; i++) {
      const atBreak = i < f.end && (text[i] === '\n' || text[i] === '\r');
      if (i === f.end || atBreak) {
        let end = i;
        while (end > start && /\s/.test(text[end - 1])) end--;
        while (start < end && /\s/.test(text[start])) start++;
        if (start < end) fragments.push({ start, end });
        start = i + 1;
      }
    }
  }
  return { ...entity, fragments, text: fragments.map((f) => text.slice(f.start, f.end)).join(' ') };
}

/** Switch a document to CRLF line endings; every offset moves right by the number of newlines before it. */
export function toCrlf(doc: Document): Document {
  const text = doc.text.replace(/\n/g, '\r\n');
  // newlinesBefore[i] = number of '\n' in doc.text[0, i)
  const newlinesBefore = new Int32Array(doc.text.length + 1);
  for (let i = 0; i < doc.text.length; i++) newlinesBefore[i + 1] = newlinesBefore[i] + (doc.text[i] === '\n' ? 1 : 0);
  const shift = (offset: number): number => offset + newlinesBefore[offset];
  const entities = doc.entities.map((e) => {
    const fragments = e.fragments.map((f) => ({ start: shift(f.start), end: shift(f.end) }));
    return { ...e, fragments, text: fragments.map((f) => text.slice(f.start, f.end)).join(' ') };
  });
  return { ...doc, text, entities };
}

/**
 * Rename entities `T1..Tn` in reading order (by first character, then end, then type) and relations `R1..Rm` in
 * the order of their attribute, so files read top to bottom like hand-made ones.
 */
export function numberInReadingOrder(doc: Document): Document {
  const first = (e: Entity) => Math.min(...e.fragments.map((f) => f.start));
  const last = (e: Entity) => Math.max(...e.fragments.map((f) => f.end));
  const entities = [...doc.entities].sort(
    (a, b) => first(a) - first(b) || last(b) - last(a) || a.type.localeCompare(b.type),
  );
  const rename = new Map<string, string>();
  entities.forEach((e, i) => rename.set(e.id, `T${i + 1}`));
  const order = new Map<string, number>(entities.map((e, i) => [e.id, i]));
  const relations = [...doc.relations]
    .sort((a, b) => order.get(a.arg1)! - order.get(b.arg1)! || order.get(a.arg2)! - order.get(b.arg2)!)
    .map((r, i) => ({ ...r, id: `R${i + 1}`, arg1: rename.get(r.arg1)!, arg2: rename.get(r.arg2)! }));
  return { ...doc, entities: entities.map((e) => ({ ...e, id: rename.get(e.id)! })), relations };
}
