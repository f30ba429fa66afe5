/**
 * Reads the gold and system sides of an evaluation from brat directories.
 *
 * The official script only looks at `.ann` files, while the brat reader also turns a `.txt` without `.ann` into an
 * empty document. Such documents are left out here so that, as in the script, a document with no `.ann` on one
 * side is reported as unpaired instead of being scored as "predicted nothing".
 */
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { MedrexError } from '../errors.js';
import { readBratCorpus } from '../corpus/brat/read.js';
import type { ReadWarning } from '../corpus/read-report.js';
import type { Document } from '../corpus/types.js';

export interface EvalSide {
  documents: Document[];
  /** Ids of `.txt` files that had no `.ann` (left out). */
  withoutAnn: string[];
  /** Reader warnings other than the missing `.ann` ones (lenient mode records skipped lines here). */
  warnings: ReadWarning[];
}

async function requireDirectory(dir: string, side: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch {
    throw new MedrexError(`${side} directory ${dir} does not exist`, { file: dir, rule: 'path-not-found' });
  }
  if (!isDirectory) {
    throw new MedrexError(`${side} path ${dir} is not a directory`, { file: dir, rule: 'not-a-directory' });
  }
}

/** Document id of a `.txt` path below `dir`, as the brat reader forms it. */
function idOfTextFile(dir: string, file: string): string {
  return relative(dir, file).split(sep).join('/').replace(/\.txt$/, '');
}

export async function readEvalSide(dir: string, side: 'gold' | 'system', lenient = false): Promise<EvalSide> {
  await requireDirectory(dir, side);
  const { documents, report } = await readBratCorpus(dir, { lenient });
  const withoutAnn = new Set<string>();
  const warnings: ReadWarning[] = [];
  for (const w of report.warnings) {
    if (w.rule === 'txt-without-ann') withoutAnn.add(idOfTextFile(dir, w.file));
    else warnings.push(w);
  }
  return {
    documents: documents.filter((d) => !withoutAnn.has(d.id)),
    withoutAnn: [...withoutAnn].sort(),
    warnings,
  };
}
