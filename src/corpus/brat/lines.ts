/**
 * One brat `.ann` line per annotation, as brat itself writes it. The reader uses these to learn whether a line was
 * written in canonical form (so the writer can reproduce non-canonical lines exactly); the writer uses them for
 * every annotation.
 */
import { MedrexError } from '../../errors.js';
import type { Attribute, Entity, Equivalence, Note, Relation } from '../types.js';
import type { OffsetMap } from './offsets.js';

/** brat writes a span that crosses a line break with the break replaced by a space; CR and LF each become one. */
export function flattenLineBreaks(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

export function formatEntity(e: Entity, offsets: OffsetMap): string {
  const spans = e.fragments.map((f) => `${offsets.toCodePoint(f.start)} ${offsets.toCodePoint(f.end)}`).join(';');
  return `${e.id}\t${e.type} ${spans}\t${flattenLineBreaks(e.text)}`;
}

export function formatRelation(r: Relation): string {
  return `${r.id}\t${r.type} ${r.arg1Role ?? 'Arg1'}:${r.arg1} ${r.arg2Role ?? 'Arg2'}:${r.arg2}`;
}

export function formatAttribute(a: Attribute): string {
  return `${a.id}\t${a.type} ${a.target}${a.value !== undefined ? ` ${a.value}` : ''}`;
}

export function formatEquivalence(q: Equivalence): string {
  return `*\t${q.type} ${q.members.join(' ')}`;
}

export function formatNote(n: Note): string {
  return `${n.id}\t${n.type} ${n.target}\t${flattenLineBreaks(n.text)}`;
}

/** Id shapes brat accepts for each kind; the writer refuses anything else rather than write an unreadable file. */
export const ID_PATTERN = {
  entity: /^T\S+$/,
  relation: /^R\S+$/,
  attribute: /^[AM]\S+$/,
  note: /^#\S*$/,
} as const;

/** Types, roles, ids and attribute values are space-separated fields: they may not contain whitespace. */
export function assertField(value: string, what: string, docId: string): void {
  if (value === '' || /\s/.test(value)) {
    throw new MedrexError(`document ${docId}: ${what} ${JSON.stringify(value)} is empty or contains whitespace`, {
      rule: 'unwritable-annotation',
    });
  }
}
