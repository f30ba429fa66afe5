/**
 * One entry point for every corpus format, detecting which one a path holds:
 * a `.json` file -> medrex JSON; a directory with `DRUG-AE.rel` -> ADE corpus; a directory with `.txt`/`.ann`
 * files anywhere below -> brat. Anything else is an error that says what was expected.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MedrexError } from '../errors.js';
import { readAdeCorpus, type ReadAdeOptions } from './ade.js';
import { readBratCorpus } from './brat/read.js';
import { readJsonCorpus } from './json.js';
import { emptyReport, type ReadReport } from './read-report.js';
import type { Document } from './types.js';

export const CORPUS_FORMATS = ['brat', 'ade', 'json'] as const;
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

export interface LoadCorpusOptions {
  /** Skip detection. */
  format?: CorpusFormat;
  /** brat and ADE: record bad lines/documents and skip them instead of failing on the first. */
  lenient?: boolean;
  /** ADE only: include DRUG-DOSE.rel and/or ADE-NEG.txt. */
  ade?: Omit<ReadAdeOptions, 'lenient'>;
}

export interface LoadedCorpus {
  documents: Document[];
  format: CorpusFormat;
  report: ReadReport;
  /** The corpus's own cross-validation folds (ADE), as lists of document ids. */
  folds?: string[][];
}

const EXPECTED =
  'expected a .json corpus file, a directory with DRUG-AE.rel (ADE corpus), or a directory of brat .txt/.ann files';

export async function loadCorpus(path: string, opts: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new MedrexError(`${path} does not exist`, { file: path, rule: 'path-not-found' });
  }
  const format = opts.format ?? (await detectFormat(path, isDir));
  if ((format === 'json') === isDir) {
    const want = format === 'json' ? 'a file' : 'a directory';
    throw new MedrexError(`format ${format} needs ${want}, but ${path} is not one`, {
      file: path,
      rule: 'wrong-format',
    });
  }
  try {
    switch (format) {
      case 'json':
        return { ...(await readJsonCorpus(path)), format, report: emptyReport() };
      case 'ade':
        return { ...(await readAdeCorpus(path, { ...opts.ade, lenient: opts.lenient })), format };
      case 'brat':
        return { ...(await readBratCorpus(path, { lenient: opts.lenient })), format };
    }
  } catch (err) {
    throw opts.lenient ? err : withReaderHint(err, format, path);
  }
}

/** Errors that neither `medrex clean` nor lenient reading get past. */
const NOT_READER_ERRORS = new Set(['path-not-found', 'empty-corpus', 'unknown-format', 'wrong-format']);

/**
 * A strict reader error says what gets past it: `medrex clean` writes a repaired copy of a brat corpus, and
 * `--lenient` (on train, predict, stats and study) skips what is bad and reports it.
 */
export function withReaderHint(err: unknown, format: CorpusFormat, path: string): unknown {
  if (!(err instanceof MedrexError) || err.hint !== undefined || format === 'json') return err;
  if (err.rule !== undefined && NOT_READER_ERRORS.has(err.rule)) return err;
  const hint =
    format === 'brat'
      ? `run \`medrex clean ${path} CLEAN_DIR\` for a repaired copy, or pass --lenient to skip what is bad (each skip is reported)`
      : 'pass --lenient to skip what is bad (each skip is reported)';
  const out = new MedrexError(err.message, { file: err.file, line: err.line, rule: err.rule, hint });
  out.stack = err.stack;
  return out;
}

/** Which format `path` holds; an error naming what was expected when none fits. */
export async function detectFormat(path: string, isDir: boolean): Promise<CorpusFormat> {
  if (!isDir) {
    if (path.toLowerCase().endsWith('.json')) return 'json';
    throw new MedrexError(`cannot tell the corpus format of ${path}: ${EXPECTED}`, {
      file: path,
      rule: 'unknown-format',
    });
  }
  if (await exists(join(path, 'DRUG-AE.rel'))) return 'ade';
  if (await hasBratFiles(path)) return 'brat';
  throw new MedrexError(`no corpus found in ${path}: ${EXPECTED}`, { file: path, rule: 'unknown-format' });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** True as soon as one `.txt` or `.ann` file is found below `dir` (hidden folders skipped, as the reader does). */
async function hasBratFiles(dir: string): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isFile() && /\.(txt|ann)$/.test(entry.name)) return true;
    if (entry.isDirectory() && (await hasBratFiles(join(dir, entry.name)))) return true;
  }
  return false;
}
