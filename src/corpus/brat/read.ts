/**
 * Reading brat corpora from disk: a directory searched recursively for `NAME.txt` + `NAME.ann` pairs.
 *
 * - Document id = path relative to the root without extension, `/`-separated; documents are sorted by id
 *   (code-unit order, not locale) so every run sees the same order.
 * - Text is decoded as strict UTF-8 exactly as on disk: CRLF stays (CR counts in offsets), and a byte order mark
 *   stays as the character U+FEFF at offset 0, because brat (Python, `utf-8` codec) counts it too.
 * - A `.txt` with no `.ann` is a document without annotations (n2c2 test input is `.txt` only), counted as
 *   `txt-without-ann`; a `.ann` with no `.txt` is an error. Hidden files and folders (`.git`) are not searched.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { MedrexError } from '../../errors.js';
import { ReportCollector, type ReadReport } from '../read-report.js';
import type { Document } from '../types.js';
import { parseAnn } from './parse.js';

export interface ReadBratOptions {
  /** Record errors and skip the bad line or document instead of throwing on the first one. */
  lenient?: boolean;
}

export interface ReadBratDocumentOptions extends ReadBratOptions {
  /** Document id; defaults to the `.txt` file name without extension. */
  id?: string;
}

/** Reads one document; `annPath` absent means the document has no annotations (counted as `txt-without-ann`). */
export async function readBratDocument(
  txtPath: string,
  annPath?: string,
  opts: ReadBratDocumentOptions = {},
): Promise<{ document: Document; report: ReadReport }> {
  const collector = new ReportCollector(opts.lenient ?? false);
  const document = await readDocument(
    txtPath,
    annPath,
    opts.id ?? basename(txtPath).replace(/\.txt$/, ''),
    collector,
    true,
  );
  if (document === undefined) {
    // Only reachable in lenient mode: the text itself could not be read, so there is no document to return.
    const why = collector.report.warnings.at(-1);
    throw new MedrexError(why?.message ?? `cannot read ${txtPath}`, { file: txtPath, rule: why?.rule });
  }
  return { document, report: collector.report };
}

export async function readBratCorpus(
  dir: string,
  opts: ReadBratOptions = {},
): Promise<{ documents: Document[]; report: ReadReport }> {
  await requireDirectory(dir);
  const pairs = await findPairs(dir);
  if (pairs.size === 0) {
    throw new MedrexError(`no .txt or .ann files under ${dir}`, { file: dir, rule: 'empty-corpus' });
  }
  const collector = new ReportCollector(opts.lenient ?? false);
  const documents: Document[] = [];
  for (const id of [...pairs.keys()].sort(compareIds)) {
    const pair = pairs.get(id) as Pair;
    if (pair.txt === undefined) {
      collector.fail({
        rule: 'ann-without-txt',
        file: pair.ann as string,
        message: `${pair.ann} has no matching .txt file; document skipped`,
      });
      continue;
    }
    const doc = await readDocument(pair.txt, pair.ann, id, collector, false);
    if (doc !== undefined) documents.push(doc);
  }
  return { documents, report: collector.report };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readDocument(
  txtPath: string,
  annPath: string | undefined,
  id: string,
  collector: ReportCollector,
  single: boolean,
): Promise<Document | undefined> {
  const text = await readUtf8(txtPath, collector);
  if (text === undefined) return undefined;
  if (annPath === undefined) {
    collector.warn({
      rule: 'txt-without-ann',
      file: txtPath,
      message: single ? 'no .ann given: document has no annotations' : 'no matching .ann: document has no annotations',
    });
    return { id, text, entities: [], relations: [] };
  }
  const ann = await readUtf8(annPath, collector);
  if (ann === undefined) return undefined;
  const parsed = parseAnn(ann, text, { file: annPath, lenient: collector.lenient });
  collector.merge(parsed.report);
  const doc: Document = { id, text, entities: parsed.entities, relations: parsed.relations };
  if (parsed.attributes.length > 0) doc.attributes = parsed.attributes;
  if (parsed.equivalences.length > 0) doc.equivalences = parsed.equivalences;
  if (parsed.notes.length > 0) doc.notes = parsed.notes;
  doc.annLayout = parsed.annLayout;
  return doc;
}

/** Strict UTF-8 that keeps a byte order mark as a character (see the module comment). */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

async function readUtf8(path: string, collector: ReportCollector): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    collector.fail({ rule: 'unreadable-file', file: path, message: `cannot read ${path}: ${(err as Error).message}` });
    return undefined;
  }
  try {
    return decoder.decode(bytes);
  } catch {
    collector.fail({ rule: 'invalid-utf8', file: path, message: `${path} is not valid UTF-8` });
    return undefined;
  }
}

async function requireDirectory(dir: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    throw new MedrexError(`${dir} does not exist`, { file: dir, rule: 'path-not-found' });
  }
  if (!isDir) throw new MedrexError(`${dir} is not a directory`, { file: dir, rule: 'not-a-directory' });
}

interface Pair {
  txt?: string;
  ann?: string;
}

/** Every `.txt`/`.ann` below `root`, grouped by id. */
async function findPairs(root: string): Promise<Map<string, Pair>> {
  const pairs = new Map<string, Pair>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      const m = /^(.*)\.(txt|ann)$/.exec(entry.name);
      if (!entry.isFile() || m === null) continue;
      const id = relative(root, join(dir, m[1])).split(sep).join('/');
      const pair = pairs.get(id) ?? {};
      pair[m[2] as 'txt' | 'ann'] = path;
      pairs.set(id, pair);
    }
  };
  await walk(root);
  return pairs;
}
