/**
 * Document -> brat `.ann` text.
 *
 * A document read from brat carries `annLayout`: its lines are written back in the order read, each regenerated from
 * the structured fields; when the regenerated line still equals what was generated at read time (the annotation was
 * not edited), the line as originally written is emitted instead, so unusual but valid spacing survives. Annotations
 * not in the layout (added later), and all annotations of documents built in memory, follow in canonical order:
 * T lines, then R, A, *, #.
 */
import { MedrexError } from '../../errors.js';
import type { Document } from '../types.js';
import {
  ID_PATTERN,
  assertField,
  formatAttribute,
  formatEntity,
  formatEquivalence,
  formatNote,
  formatRelation,
} from './lines.js';
import { offsetMap } from './offsets.js';

interface GeneratedLine {
  ref: string;
  line: string;
}

export function serializeAnn(doc: Document): string {
  const generated = generateLines(doc);
  const layout = doc.annLayout;
  const out: { line: string; eol?: string }[] = [];
  const emitted = new Set<string>();
  const byRef = new Map(generated.map((g) => [g.ref, g.line]));
  for (const l of layout?.lines ?? []) {
    if (l.ref === undefined) {
      out.push({ line: l.raw ?? '', eol: l.eol });
      continue;
    }
    const line = byRef.get(l.ref);
    if (line === undefined || emitted.has(l.ref)) continue; // annotation removed since it was read
    emitted.add(l.ref);
    const unchanged = l.raw !== undefined && l.canonical === line;
    out.push({ line: unchanged ? (l.raw as string) : line, eol: l.eol });
  }
  for (const g of generated) if (!emitted.has(g.ref)) out.push({ line: g.line });

  const eol = layout?.eol ?? '\n';
  const finalNewline = layout?.finalNewline ?? true;
  let text = layout?.bom ? '\uFEFF' : '';
  out.forEach((o, i) => {
    text += o.line;
    if (i < out.length - 1 || finalNewline) text += o.eol ?? eol;
  });
  return text;
}

/** Every annotation's line in canonical order, checking that brat can represent it. */
function generateLines(doc: Document): GeneratedLine[] {
  const offsets = offsetMap(doc.text);
  const lines: GeneratedLine[] = [];
  const seen = new Set<string>();
  const addId = (id: string, pattern: RegExp, kind: string): void => {
    if (!pattern.test(id)) {
      throw new MedrexError(`document ${doc.id}: ${kind} id ${JSON.stringify(id)} is not a valid brat id`, {
        rule: 'unwritable-annotation',
      });
    }
    if (seen.has(id)) {
      throw new MedrexError(`document ${doc.id}: id ${id} is used twice`, { rule: 'unwritable-annotation' });
    }
    seen.add(id);
  };
  for (const e of doc.entities) {
    addId(e.id, ID_PATTERN.entity, 'entity');
    assertField(e.type, 'entity type', doc.id);
    if (e.fragments.length === 0) {
      throw new MedrexError(`document ${doc.id}: entity ${e.id} has no fragments`, { rule: 'unwritable-annotation' });
    }
    for (const f of e.fragments) {
      if (
        !(
          Number.isInteger(f.start) &&
          Number.isInteger(f.end) &&
          0 <= f.start &&
          f.start <= f.end &&
          f.end <= doc.text.length
        )
      ) {
        throw new MedrexError(
          `document ${doc.id}: entity ${e.id} fragment ${f.start}-${f.end} is outside the text (length ${doc.text.length})`,
          { rule: 'unwritable-annotation' },
        );
      }
    }
    lines.push({ ref: e.id, line: formatEntity(e, offsets) });
  }
  for (const r of doc.relations) {
    addId(r.id, ID_PATTERN.relation, 'relation');
    for (const [v, what] of [
      [r.type, 'relation type'],
      [r.arg1, 'relation argument'],
      [r.arg2, 'relation argument'],
      [r.arg1Role ?? 'Arg1', 'relation role'],
      [r.arg2Role ?? 'Arg2', 'relation role'],
    ] as const) {
      assertField(v, what, doc.id);
    }
    lines.push({ ref: r.id, line: formatRelation(r) });
  }
  for (const a of doc.attributes ?? []) {
    addId(a.id, ID_PATTERN.attribute, 'attribute');
    assertField(a.type, 'attribute type', doc.id);
    assertField(a.target, 'attribute target', doc.id);
    if (a.value !== undefined) assertField(a.value, 'attribute value', doc.id);
    lines.push({ ref: a.id, line: formatAttribute(a) });
  }
  (doc.equivalences ?? []).forEach((q, i) => {
    assertField(q.type, 'equivalence type', doc.id);
    q.members.forEach((m) => assertField(m, 'equivalence member', doc.id));
    lines.push({ ref: `*${i}`, line: formatEquivalence(q) });
  });
  for (const n of doc.notes ?? []) {
    addId(n.id, ID_PATTERN.note, 'note');
    assertField(n.type, 'note type', doc.id);
    assertField(n.target, 'note target', doc.id);
    lines.push({ ref: n.id, line: formatNote(n) });
  }
  return lines;
}
