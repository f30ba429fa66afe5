/**
 * medrex's own corpus file: `{ "format": "medrex-corpus", "version": 2, "documents": Document[] }`.
 *
 * An entity's pieces of text are its `spans` (`[{ "start": 0, "end": 9 }]`), the name the library API and the server
 * use; in memory they are the `Entity.fragments` of the data model (brat's word). Version 1 files, which called
 * them `fragments`, are read unchanged.
 *
 * Validated with zod on reading, then checked for what a schema cannot say (fragments inside the text, unique ids,
 * relations naming existing entities). Errors name the file, the document (index and id) and the field path, e.g.
 * `corpus.json: document 3 ("100-2"): entities[1].spans[0].end: 99 is past the end of the text (40) [json-invalid]`.
 * A JSON syntax error names the line.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { MedrexError } from '../errors.js';
import type { Document } from './types.js';

export const JSON_FORMAT = 'medrex-corpus';
export const JSON_VERSION = 2;
/** Versions read: 1 named an entity's spans `fragments`. */
const READ_VERSIONS = [1, 2] as const;

const nonNegInt = z.number().int().nonnegative();
const fragmentSchema = z.object({ start: nonNegInt, end: nonNegInt }).strict();
const score = z.number().min(0).max(1).optional();
const entitySchema = z
  .object({
    id: z.string().min(1),
    type: z.string().min(1),
    fragments: z.array(fragmentSchema).min(1),
    text: z.string(),
    score,
  })
  .strict();
const relationSchema = z
  .object({
    id: z.string().min(1),
    type: z.string().min(1),
    arg1: z.string().min(1),
    arg2: z.string().min(1),
    arg1Role: z.string().optional(),
    arg2Role: z.string().optional(),
    score,
  })
  .strict();
const attributeSchema = z
  .object({ id: z.string().min(1), type: z.string().min(1), target: z.string().min(1), value: z.string().optional() })
  .strict();
const equivalenceSchema = z.object({ type: z.string().min(1), members: z.array(z.string().min(1)).min(2) }).strict();
const noteSchema = z
  .object({ id: z.string().min(1), type: z.string().min(1), target: z.string().min(1), text: z.string() })
  .strict();
const layoutSchema = z
  .object({
    lines: z.array(
      z
        .object({
          ref: z.string().optional(),
          raw: z.string().optional(),
          canonical: z.string().optional(),
          eol: z.string().optional(),
        })
        .strict(),
    ),
    eol: z.enum(['\n', '\r\n']),
    finalNewline: z.boolean(),
    bom: z.boolean().optional(),
  })
  .strict();

const documentSchema = z
  .object({
    id: z.string().min(1),
    text: z.string(),
    entities: z.array(entitySchema),
    relations: z.array(relationSchema),
    attributes: z.array(attributeSchema).optional(),
    equivalences: z.array(equivalenceSchema).optional(),
    notes: z.array(noteSchema).optional(),
    annLayout: layoutSchema.optional(),
  })
  .strict()
  .superRefine(checkReferences);

const corpusSchema = z
  .object({
    format: z.literal(JSON_FORMAT),
    version: z.union([z.literal(READ_VERSIONS[0]), z.literal(READ_VERSIONS[1])]),
    documents: z.array(documentSchema),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.documents.forEach((d, i) => {
      if (seen.has(d.id))
        ctx.addIssue({ code: 'custom', path: ['documents', i, 'id'], message: `duplicate document id ${d.id}` });
      seen.add(d.id);
    });
  });

/** Offsets inside the text, unique ids, and references to annotations that exist. */
function checkReferences(d: Document, ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  const entityIds = new Set(d.entities.map((e) => e.id));
  const claim = (id: string, path: (string | number)[]): void => {
    if (ids.has(id)) ctx.addIssue({ code: 'custom', path, message: `duplicate id ${id}` });
    ids.add(id);
  };
  d.entities.forEach((e, i) => {
    claim(e.id, ['entities', i, 'id']);
    e.fragments.forEach((f, j) => {
      if (f.start > f.end)
        ctx.addIssue({
          code: 'custom',
          path: ['entities', i, 'fragments', j, 'start'],
          message: `start ${f.start} is after end ${f.end}`,
        });
      if (f.end > d.text.length)
        ctx.addIssue({
          code: 'custom',
          path: ['entities', i, 'fragments', j, 'end'],
          message: `${f.end} is past the end of the text (${d.text.length})`,
        });
    });
  });
  d.relations.forEach((r, i) => {
    claim(r.id, ['relations', i, 'id']);
    for (const arg of ['arg1', 'arg2'] as const) {
      if (!entityIds.has(r[arg]))
        ctx.addIssue({ code: 'custom', path: ['relations', i, arg], message: `no entity ${r[arg]}` });
    }
  });
  (d.attributes ?? []).forEach((a, i) => claim(a.id, ['attributes', i, 'id']));
  (d.notes ?? []).forEach((n, i) => claim(n.id, ['notes', i, 'id']));
  (d.attributes ?? []).forEach((a, i) => {
    if (!ids.has(a.target))
      ctx.addIssue({ code: 'custom', path: ['attributes', i, 'target'], message: `no annotation ${a.target}` });
  });
  (d.equivalences ?? []).forEach((q, i) =>
    q.members.forEach((m, j) => {
      if (!entityIds.has(m))
        ctx.addIssue({ code: 'custom', path: ['equivalences', i, 'members', j], message: `no entity ${m}` });
    }),
  );
  (d.notes ?? []).forEach((n, i) => {
    if (!ids.has(n.target))
      ctx.addIssue({ code: 'custom', path: ['notes', i, 'target'], message: `no annotation ${n.target}` });
  });
}

/** Parses and validates a corpus file's text; `file` is used in error messages. */
export function parseJsonCorpus(text: string, file: string): Document[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MedrexError(`not valid JSON: ${(err as Error).message}`, {
      file,
      line: syntaxErrorLine(text),
      rule: 'json-syntax',
    });
  }
  const spans = renameSpans(data);
  const result = corpusSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = spans ? issue.path.map((p) => (p === 'fragments' ? 'spans' : p)) : issue.path;
    throw new MedrexError(`${describePath(path, data)}: ${issue.message}`, { file, rule: 'json-invalid' });
  }
  return result.data.documents as Document[];
}

export async function readJsonCorpus(path: string): Promise<{ documents: Document[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new MedrexError(`${path} does not exist or cannot be read`, { file: path, rule: 'path-not-found' });
  }
  return { documents: parseJsonCorpus(text, path) };
}

export function serializeJsonCorpus(documents: readonly Document[]): string {
  const onDisk = documents.map((d) => ({
    ...d,
    entities: d.entities.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k === 'fragments' ? 'spans' : k, v]))),
  }));
  return `${JSON.stringify({ format: JSON_FORMAT, version: JSON_VERSION, documents: onDisk }, null, 1)}\n`;
}

/**
 * In parsed JSON, turn each entity's `spans` into the data model's `fragments` (in place); version 1's `fragments`
 * stay as they are. Returns whether the file used `spans`, so that error paths can name the key the file has.
 */
function renameSpans(data: unknown): boolean {
  const documents = (data as { documents?: unknown } | null)?.documents;
  if (!Array.isArray(documents)) return false;
  let renamed = false;
  for (const doc of documents) {
    const entities = (doc as { entities?: unknown } | null)?.entities;
    if (!Array.isArray(entities)) continue;
    entities.forEach((entity: unknown, i) => {
      if (entity === null || typeof entity !== 'object' || !('spans' in entity) || 'fragments' in entity) return;
      entities[i] = Object.fromEntries(Object.entries(entity).map(([k, v]) => [k === 'spans' ? 'fragments' : k, v]));
      renamed = true;
    });
  }
  return renamed;
}

/** Writes a corpus file; refuses to replace an existing file unless `overwrite`. Validates what it writes. */
export async function writeJsonCorpus(
  path: string,
  documents: readonly Document[],
  opts: { overwrite?: boolean } = {},
): Promise<void> {
  const text = serializeJsonCorpus(documents);
  parseJsonCorpus(text, path); // never write a file we would refuse to read
  if (
    !opts.overwrite &&
    (await stat(path).then(
      () => true,
      () => false,
    ))
  ) {
    throw new MedrexError(`${path} already exists (pass { overwrite: true } to replace it)`, { file: path, rule: 'output-exists' });
  }
  await writeFile(path, text, 'utf8');
}

/** `document 3 ("100-2"): entities[1].fragments[0].end` from a zod path. */
function describePath(path: (string | number)[], data: unknown): string {
  if (path[0] !== 'documents' || typeof path[1] !== 'number') return path.length > 0 ? path.join('.') : 'top level';
  const docs = (data as { documents: unknown[] }).documents;
  const id = (docs[path[1]] as { id?: unknown } | null)?.id;
  const head = `document ${path[1]}${typeof id === 'string' ? ` (${JSON.stringify(id)})` : ''}`;
  const rest = path
    .slice(2)
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  return rest === '' ? head : `${head}: ${rest}`;
}

/**
 * The line of a JSON syntax error. Node 20's messages do not always give a position, so find the first offset
 * where the text stops being JSON with a small recursive-descent scan (only run after JSON.parse has failed).
 */
function syntaxErrorLine(text: string): number {
  return text.slice(0, firstSyntaxError(text)).split('\n').length;
}

function firstSyntaxError(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
  return i;
}
