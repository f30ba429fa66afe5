/**
 * Writing brat corpora: `ID.txt` + `ID.ann` per document, nested folders created from the id (`sub/100035`).
 * Never loses user data: a non-empty output directory is refused unless the caller passes `overwrite: true`, and
 * even then only the files being written are replaced (nothing is deleted).
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MedrexError } from '../../errors.js';
import type { Document } from '../types.js';
import { serializeAnn } from './serialize.js';

export interface WriteBratOptions {
  /** Write into a non-empty directory, replacing files with the same names. Default false. */
  overwrite?: boolean;
}

/**
 * Writes one document under `dir`. Without `overwrite`, fails if either file already exists. Serialises before
 * touching the disk, so an unwritable document leaves nothing half-written.
 */
export async function writeBratDocument(dir: string, doc: Document, opts: WriteBratOptions = {}): Promise<void> {
  const rel = safeRelativePath(doc.id);
  const ann = serializeAnn(doc);
  const base = join(dir, rel);
  await mkdir(dirname(base), { recursive: true });
  const flag = opts.overwrite ? 'w' : 'wx';
  try {
    await writeFile(`${base}.txt`, doc.text, { encoding: 'utf8', flag });
    await writeFile(`${base}.ann`, ann, { encoding: 'utf8', flag });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new MedrexError(`${(err as NodeJS.ErrnoException).path ?? base} already exists (pass { overwrite: true } to replace it)`, {
        file: (err as NodeJS.ErrnoException).path,
        rule: 'output-exists',
      });
    }
    throw err;
  }
}

/** Writes every document under `dir` (created if missing). Returns the number of documents written. */
export async function writeBratCorpus(
  dir: string,
  docs: readonly Document[],
  opts: WriteBratOptions = {},
): Promise<{ documents: number }> {
  const ids = new Set<string>();
  for (const d of docs) {
    safeRelativePath(d.id);
    if (ids.has(d.id)) {
      throw new MedrexError(`two documents have the id ${d.id}; they would overwrite each other`, {
        rule: 'duplicate-document-id',
      });
    }
    ids.add(d.id);
  }
  // Serialise everything first: a bad document must not leave a half-written corpus behind.
  for (const d of docs) serializeAnn(d);
  await refuseNonEmpty(dir, opts.overwrite ?? false);
  await mkdir(dir, { recursive: true });
  for (const d of docs) await writeBratDocument(dir, d, { overwrite: opts.overwrite });
  return { documents: docs.length };
}

async function refuseNonEmpty(dir: string, overwrite: boolean): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    return; // does not exist yet
  }
  if (!isDir)
    throw new MedrexError(`${dir} exists and is not a directory`, { file: dir, rule: 'output-not-directory' });
  if (!overwrite && (await readdir(dir)).length > 0) {
    throw new MedrexError(`output directory ${dir} is not empty (pass { overwrite: true } to write into it)`, {
      file: dir,
      rule: 'output-exists',
    });
  }
}

/**
 * Document ids become paths: refuse ids that would escape the output directory or name it (`..`, absolute paths,
 * empty segments), so a crafted id can never overwrite files elsewhere.
 */
export function safeRelativePath(id: string): string {
  const segments = id.split('/');
  const bad =
    id === '' || id.includes('\\') || id.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) {
    throw new MedrexError(`document id ${JSON.stringify(id)} cannot be used as a file path`, {
      rule: 'unsafe-document-id',
    });
  }
  return segments.join('/');
}
