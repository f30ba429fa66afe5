/**
 * Parsing one brat `.ann` file against its text.
 *
 * Two passes: the first reads each line on its own (syntax, offsets, text field, duplicate ids); the second checks
 * references (relation arguments, attribute/equivalence/note targets), because brat allows a line to name an
 * annotation defined further down. In lenient mode a bad line is dropped, so lines referring to it are dropped in
 * turn (and reported) rather than left dangling.
 *
 * Decisions (see ../README.md):
 * - The entity text field is compared with the source characters with every whitespace run collapsed to one space:
 *   brat writes a span that crosses a line break with the break replaced by a space. A real mismatch is an error;
 *   in lenient mode the entity is kept with the source characters as its text (the offsets are the truth).
 * - Event (`E`) and normalization (`N`) lines are valid brat that medrex does not model: they are kept verbatim in
 *   the layout (so a round trip reproduces them) and counted, as are lines that refer to them.
 * - A UTF-8 byte order mark at the start of the `.ann` is dropped for parsing and remembered for writing.
 */
import {
  textOfFragments,
  type AnnLayout,
  type AnnLayoutLine,
  type Attribute,
  type Entity,
  type Equivalence,
  type Fragment,
  type Note,
  type Relation,
} from '../types.js';
import { ReportCollector, type ReadReport, type ReadWarning } from '../read-report.js';
import { formatAttribute, formatEntity, formatEquivalence, formatNote, formatRelation } from './lines.js';
import { offsetMap, type OffsetMap } from './offsets.js';

export interface ParseAnnOptions {
  /** Path shown in errors. */
  file?: string;
  lenient?: boolean;
}

export interface ParsedAnn {
  entities: Entity[];
  relations: Relation[];
  attributes: Attribute[];
  equivalences: Equivalence[];
  notes: Note[];
  annLayout: AnnLayout;
  report: ReadReport;
}

interface RawLine {
  text: string;
  eol: string;
  number: number;
}

type Parsed =
  | { kind: 'entity'; value: Entity }
  | { kind: 'relation'; value: Relation }
  | { kind: 'attribute'; value: Attribute }
  | { kind: 'equivalence'; value: Equivalence }
  | { kind: 'note'; value: Note }
  | { kind: 'verbatim' };

/** A line that passed the first pass, waiting for its references to be checked. */
interface Pending {
  line: RawLine;
  parsed: Parsed;
  /** The id this line defines (none for equivalences and verbatim lines). */
  id?: string;
  /** Set when the line was dropped. */
  dropped?: boolean;
  /** Canonical form differed at read time only because the text field was repaired: never restore the raw line. */
  repaired?: boolean;
}

export function parseAnn(annText: string, docText: string, opts: ParseAnnOptions = {}): ParsedAnn {
  const file = opts.file ?? '<ann>';
  const collector = new ReportCollector(opts.lenient ?? false);
  const offsets = offsetMap(docText);
  const bom = annText.startsWith('\uFEFF');
  const { lines, finalNewline } = splitLines(bom ? annText.slice(1) : annText);

  const ctx: LineContext = { file, docText, offsets, collector };
  const pending: Pending[] = [];
  const defined = new Map<string, Pending>();
  for (const line of lines) {
    const p = parseLine(line, ctx);
    if (p === undefined) continue;
    if (p.id !== undefined) {
      if (defined.has(p.id)) {
        collector.fail(
          bad(ctx, line, 'duplicate-id', `id ${p.id} is already used on line ${defined.get(p.id)?.line.number}`),
        );
        continue;
      }
      defined.set(p.id, p);
    }
    pending.push(p);
  }

  checkReferences(pending, defined, ctx);
  return assemble(pending, offsets, { file, bom, finalNewline, lines }, collector.report);
}

interface LineContext {
  file: string;
  docText: string;
  offsets: OffsetMap;
  collector: ReportCollector;
}

function bad(ctx: LineContext, line: RawLine, rule: string, message: string): ReadWarning {
  return { rule, file: ctx.file, line: line.number, message, raw: line.text };
}

/** Splits keeping each line's terminator (`\n` or `\r\n`), so mixed line endings survive a round trip. */
function splitLines(text: string): { lines: RawLine[]; finalNewline: boolean } {
  const lines: RawLine[] = [];
  const re = /\r?\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    lines.push({ text: text.slice(start, m.index), eol: m[0], number: lines.length + 1 });
    start = m.index + m[0].length;
  }
  const finalNewline = start === text.length && text.length > 0;
  if (start < text.length) lines.push({ text: text.slice(start), eol: '', number: lines.length + 1 });
  return { lines, finalNewline };
}

function parseLine(line: RawLine, ctx: LineContext): Pending | undefined {
  if (line.text.trim() === '') {
    ctx.collector.warn({ rule: 'blank-line', file: ctx.file, line: line.number, message: 'blank line ignored' });
    return { line, parsed: { kind: 'verbatim' } };
  }
  const tab = line.text.indexOf('\t');
  if (tab < 0) {
    ctx.collector.fail(bad(ctx, line, 'malformed-line', 'no tab after the annotation id'));
    return undefined;
  }
  const id = line.text.slice(0, tab);
  const rest = line.text.slice(tab + 1);
  switch (id[0]) {
    case 'T':
      return parseEntity(id, rest, line, ctx);
    case 'R':
      return parseRelation(id, rest, line, ctx);
    case 'A':
    case 'M': // older brat versions wrote attributes ("modifications") as M lines
      return parseAttribute(id, rest, line, ctx);
    case '*':
      return parseEquivalence(id, rest, line, ctx);
    case '#':
      return parseNote(id, rest, line, ctx);
    case 'E':
    case 'N': {
      const rule = id[0] === 'E' ? 'skipped-event' : 'skipped-normalization';
      ctx.collector.warn({ rule, file: ctx.file, line: line.number, message: `${id} kept verbatim, not modelled` });
      return { line, parsed: { kind: 'verbatim' }, id };
    }
    default:
      ctx.collector.fail(
        bad(
          ctx,
          line,
          'unknown-id-prefix',
          `unknown annotation id ${JSON.stringify(id)} (expected T, R, A, M, E, N, * or #)`,
        ),
      );
      return undefined;
  }
}

function parseEntity(id: string, rest: string, line: RawLine, ctx: LineContext): Pending | undefined {
  const tab = rest.indexOf('\t');
  if (tab < 0) {
    ctx.collector.fail(bad(ctx, line, 'malformed-line', `entity ${id}: no tab before the text field`));
    return undefined;
  }
  const head = rest.slice(0, tab);
  const written = rest.slice(tab + 1);
  const m = /^(\S+) (.+)$/.exec(head);
  if (m === null) {
    ctx.collector.fail(bad(ctx, line, 'malformed-line', `entity ${id}: expected "TYPE START END[;START END...]"`));
    return undefined;
  }
  const fragments: Fragment[] = [];
  for (const span of m[2].split(';')) {
    const f = parseSpan(id, span, line, ctx);
    if (f === undefined) return undefined;
    fragments.push(f);
  }
  const source = textOfFragments(ctx.docText, fragments);
  const entity: Entity = { id, type: m[1], fragments, text: written };
  // Whitespace-insensitive: brat replaces a line break inside a span by a space in the text field.
  if (normalizeSpace(source) !== normalizeSpace(written)) {
    ctx.collector.fail({
      ...bad(
        ctx,
        line,
        'text-mismatch',
        `entity ${id}: text field ${JSON.stringify(written)} but the offsets cover ${JSON.stringify(source)}`,
      ),
      entityId: id,
      written,
      source,
    });
    // Lenient: the offsets are the truth.
    return { line, parsed: { kind: 'entity', value: { ...entity, text: source } }, id, repaired: true };
  }
  return { line, parsed: { kind: 'entity', value: entity }, id };
}

function parseSpan(id: string, span: string, line: RawLine, ctx: LineContext): Fragment | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(span);
  if (m === null || !/^\d+$/.test(m[1]) || !/^\d+$/.test(m[2])) {
    ctx.collector.fail(
      bad(ctx, line, 'bad-offsets', `entity ${id}: ${JSON.stringify(span)} is not "START END" in whole numbers`),
    );
    return undefined;
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end) {
    ctx.collector.fail(bad(ctx, line, 'offsets-reversed', `entity ${id}: start ${start} is after end ${end}`));
    return undefined;
  }
  const s16 = ctx.offsets.toUtf16(start);
  const e16 = ctx.offsets.toUtf16(end);
  if (s16 === undefined || e16 === undefined) {
    ctx.collector.fail(
      bad(
        ctx,
        line,
        'offsets-past-end',
        `entity ${id}: offset ${end} is past the end of the text (${ctx.offsets.codePointLength} characters)`,
      ),
    );
    return undefined;
  }
  return { start: s16, end: e16 };
}

function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ');
}

/** The space-separated fields before the first tab (brat writes relations with a trailing tab in some versions). */
function headFields(rest: string): string[] {
  const tab = rest.indexOf('\t');
  return (tab < 0 ? rest : rest.slice(0, tab)).split(' ').filter((s) => s !== '');
}

function parseRelation(id: string, rest: string, line: RawLine, ctx: LineContext): Pending | undefined {
  const fields = headFields(rest);
  const args = fields.slice(1).map((a) => /^([^:\s]+):(\S+)$/.exec(a));
  if (fields.length !== 3 || args.some((a) => a === null)) {
    ctx.collector.fail(bad(ctx, line, 'malformed-line', `relation ${id}: expected "TYPE Arg1:ID Arg2:ID"`));
    return undefined;
  }
  const [a1, a2] = args as RegExpExecArray[];
  const relation: Relation = { id, type: fields[0], arg1: a1[2], arg2: a2[2] };
  // Roles are recorded only when they are not brat's usual Arg1/Arg2, so a document read from brat equals the same
  // document built in memory; the writer fills the defaults back in.
  if (a1[1] !== 'Arg1') relation.arg1Role = a1[1];
  if (a2[1] !== 'Arg2') relation.arg2Role = a2[1];
  return { line, parsed: { kind: 'relation', value: relation }, id };
}

function parseAttribute(id: string, rest: string, line: RawLine, ctx: LineContext): Pending | undefined {
  const fields = headFields(rest);
  if (fields.length !== 2 && fields.length !== 3) {
    ctx.collector.fail(bad(ctx, line, 'malformed-line', `attribute ${id}: expected "TYPE TARGET [VALUE]"`));
    return undefined;
  }
  const attribute: Attribute = { id, type: fields[0], target: fields[1] };
  if (fields.length === 3) attribute.value = fields[2];
  return { line, parsed: { kind: 'attribute', value: attribute }, id };
}

function parseEquivalence(id: string, rest: string, line: RawLine, ctx: LineContext): Pending | undefined {
  const fields = headFields(rest);
  if (id !== '*' || fields.length < 3) {
    ctx.collector.fail(bad(ctx, line, 'malformed-line', 'equivalence: expected "*\\tTYPE ID ID [ID...]"'));
    return undefined;
  }
  return { line, parsed: { kind: 'equivalence', value: { type: fields[0], members: fields.slice(1) } } };
}

function parseNote(id: string, rest: string, line: RawLine, ctx: LineContext): Pending | undefined {
  const tab = rest.indexOf('\t');
  const fields = headFields(rest);
  if (tab < 0 || fields.length !== 2) {
    ctx.collector.fail(bad(ctx, line, 'malformed-line', `note ${id}: expected "TYPE TARGET\\tTEXT"`));
    return undefined;
  }
  const note: Note = { id, type: fields[0], target: fields[1], text: rest.slice(tab + 1) };
  return { line, parsed: { kind: 'note', value: note }, id };
}

/**
 * Checks the ids each line names, in dependency order (entities, relations, attributes, equivalences, notes) so
 * that dropping a line in lenient mode also drops what refers to it.
 */
function checkReferences(pending: Pending[], defined: Map<string, Pending>, ctx: LineContext): void {
  const alive = (ref: string): 'ok' | 'verbatim' | 'missing' => {
    const p = defined.get(ref);
    if (p === undefined || p.dropped) return 'missing';
    return p.parsed.kind === 'verbatim' ? 'verbatim' : 'ok';
  };
  const check = (p: Pending, refs: string[], allowed: Parsed['kind'][], rule: string, what: string): void => {
    for (const ref of refs) {
      const state = alive(ref);
      const kind = defined.get(ref)?.parsed.kind;
      if (state === 'verbatim') {
        // Valid brat pointing at an event/normalization we keep verbatim: keep this line verbatim too.
        ctx.collector.warn({
          rule: 'skipped-reference',
          file: ctx.file,
          line: p.line.number,
          message: `${what} refers to ${ref}, which is kept verbatim; kept verbatim too`,
        });
        p.parsed = { kind: 'verbatim' };
        return;
      }
      if (state === 'missing' || (kind !== undefined && !allowed.includes(kind))) {
        const why = state === 'missing' ? 'is not defined' : `is a ${kind}, not a ${allowed.join(' or ')}`;
        ctx.collector.fail(bad(ctx, p.line, rule, `${what} refers to ${ref}, which ${why}`));
        p.dropped = true;
        return;
      }
    }
  };
  const order: Parsed['kind'][] = ['relation', 'attribute', 'equivalence', 'note'];
  for (const kind of order) {
    for (const p of pending) {
      if (p.dropped || p.parsed.kind !== kind) continue;
      const parsed = p.parsed;
      switch (parsed.kind) {
        case 'relation':
          check(p, [parsed.value.arg1, parsed.value.arg2], ['entity'], 'missing-entity', `relation ${parsed.value.id}`);
          break;
        case 'attribute':
          check(p, [parsed.value.target], ['entity', 'relation'], 'missing-target', `attribute ${parsed.value.id}`);
          break;
        case 'equivalence':
          check(p, parsed.value.members, ['entity'], 'missing-target', 'equivalence');
          break;
        case 'note':
          check(
            p,
            [parsed.value.target],
            ['entity', 'relation', 'attribute', 'note'],
            'missing-target',
            `note ${parsed.value.id}`,
          );
          break;
      }
    }
  }
}

function assemble(
  pending: Pending[],
  offsets: OffsetMap,
  meta: { file: string; bom: boolean; finalNewline: boolean; lines: RawLine[] },
  report: ReadReport,
): ParsedAnn {
  const out: ParsedAnn = {
    entities: [],
    relations: [],
    attributes: [],
    equivalences: [],
    notes: [],
    annLayout: { lines: [], eol: dominantEol(meta.lines), finalNewline: meta.finalNewline },
    report,
  };
  if (meta.bom) out.annLayout.bom = true;
  const defaultEol = out.annLayout.eol;
  for (const p of pending) {
    if (p.dropped) continue;
    const entry: AnnLayoutLine = {};
    let canonical: string | undefined;
    const parsed = p.parsed;
    switch (parsed.kind) {
      case 'entity':
        out.entities.push(parsed.value);
        entry.ref = parsed.value.id;
        canonical = formatEntity(parsed.value, offsets);
        break;
      case 'relation':
        out.relations.push(parsed.value);
        entry.ref = parsed.value.id;
        canonical = formatRelation(parsed.value);
        break;
      case 'attribute':
        out.attributes.push(parsed.value);
        entry.ref = parsed.value.id;
        canonical = formatAttribute(parsed.value);
        break;
      case 'equivalence':
        entry.ref = `*${out.equivalences.length}`;
        out.equivalences.push(parsed.value);
        canonical = formatEquivalence(parsed.value);
        break;
      case 'note':
        out.notes.push(parsed.value);
        entry.ref = parsed.value.id;
        canonical = formatNote(parsed.value);
        break;
      case 'verbatim':
        entry.raw = p.line.text;
        break;
    }
    // Keep the line as written only when it was valid and differs from what the writer generates; a repaired
    // entity must be written from its repaired fields.
    if (canonical !== undefined && canonical !== p.line.text && !p.repaired) {
      entry.raw = p.line.text;
      entry.canonical = canonical;
    }
    const eol = p.line.eol === '' ? undefined : p.line.eol;
    if (eol !== undefined && eol !== defaultEol) entry.eol = eol;
    out.annLayout.lines.push(entry);
  }
  return out;
}

function dominantEol(lines: RawLine[]): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (const l of lines) {
    if (l.eol === '\r\n') crlf++;
    else if (l.eol === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}
