/**
 * `cleanBratDirectory`: the file side of cleaning. Reads a brat corpus leniently, cleans a copy, and writes the
 * cleaned corpus (same relative layout), the brat configuration files and `clean-report.json` to a separate
 * output directory. The input directory is only ever read.
 */
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { readBratCorpus } from '../brat/read.js';
import { writeBratCorpus } from '../brat/write.js';
import { type ReadWarning } from '../read-report.js';
import { cleanCorpus, type CleanOptions } from './clean.js';
import { checkCleanLoss } from './loss.js';
import { checkInputDir, checkOutputDir } from './output-dir.js';
import type { CleanChange, CleanReport } from './report.js';
import type { TextMismatch } from './text-mismatch.js';

export const REPORT_FILE = 'clean-report.json';

export interface CleanDirectoryOptions extends Omit<CleanOptions, 'textMismatches'> {
  /** Write into a non-empty output directory, replacing files with the same names (nothing is deleted). */
  force?: boolean;
  /** Write the files here instead of `outDir` (a staging folder, src/output-folder.ts); the report names `outDir`. */
  writeTo?: string;
  /**
   * Stop before writing anything when cleaning would remove more than this share of any entity or relation type
   * (see loss.ts); undefined: no limit.
   */
  maxLoss?: number;
  /** How to get past the limit, for the error (`{rule}` is replaced by the rule that removed most). */
  lossHint?: string;
}

export interface CleanDirectoryReport extends CleanReport {
  input: string;
  output: string;
  /**
   * What the lenient reader skipped or noted (bad lines, `.txt` without `.ann`), text mismatches excepted: those
   * are the `text-mismatch` rule's changes.
   */
  readerWarnings: ReadWarning[];
}

export async function cleanBratDirectory(
  inDir: string,
  outDir: string,
  options: CleanDirectoryOptions = {},
): Promise<CleanDirectoryReport> {
  checkInputDir(inDir);
  checkOutputDir(inDir, outDir, options.force ?? false);

  const { documents, report: readReport } = await readBratCorpus(inDir, { lenient: true });
  const annPathOf = (id: string): string => join(inDir, `${id}.ann`);
  const idByAnnPath = new Map(documents.map((d) => [resolve(annPathOf(d.id)), d.id]));
  const textMismatches: TextMismatch[] = [];
  const readerWarnings: ReadWarning[] = [];
  for (const w of readReport.warnings) {
    const document = idByAnnPath.get(resolve(w.file));
    if (w.rule === 'text-mismatch' && document !== undefined && w.entityId !== undefined) {
      textMismatches.push({
        document,
        entity: w.entityId,
        written: w.written ?? '',
        source: w.source ?? '',
        file: w.file,
        line: w.line,
      });
    } else {
      readerWarnings.push(w);
    }
  }

  const { documents: cleaned, report } = cleanCorpus(documents, { ...options, textMismatches });
  if (options.maxLoss !== undefined) {
    checkCleanLoss(report.loss, options.maxLoss, options.lossHint ?? 'switch the rule off ({rule}) or accept the loss');
  }
  await locateChanges(report.changes, inDir, annPathOf);

  const target = options.writeTo ?? outDir;
  await writeBratCorpus(target, cleaned, { overwrite: true });
  await copyBratConfig(inDir, target);
  const full: CleanDirectoryReport = { input: inDir, output: outDir, ...report, readerWarnings };
  await writeFile(join(target, REPORT_FILE), `${JSON.stringify(full, null, 2)}\n`, 'utf8');
  return full;
}

/**
 * Fills in `file` and `line` for every change: rules see Documents only, so the line of an annotation is found
 * by its id in the `.ann` file as written (ids are unique in a valid file; the first occurrence is taken).
 */
async function locateChanges(changes: CleanChange[], inDir: string, annPathOf: (id: string) => string): Promise<void> {
  const lineCache = new Map<string, Map<string, number>>();
  const linesOf = async (id: string): Promise<Map<string, number>> => {
    let lines = lineCache.get(id);
    if (lines) return lines;
    lines = new Map();
    const text = await readFile(annPathOf(id), 'utf8').catch(() => '');
    text.split(/\r?\n/).forEach((raw, i) => {
      const annId = raw.split('\t', 1)[0];
      if (annId !== '' && !lines?.has(annId)) lines?.set(annId, i + 1);
    });
    lineCache.set(id, lines);
    return lines;
  };
  for (const c of changes) {
    if (c.file !== undefined) continue;
    if (c.annotation === undefined) {
      c.file = join(inDir, `${c.document}.txt`);
      continue;
    }
    c.file = annPathOf(c.document);
    c.line = (await linesOf(c.document)).get(c.annotation);
  }
}

/** Every file under `dir` (recursively, hidden entries skipped) whose name matches `keep`. */
async function listFiles(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(path, keep)));
    else if (e.isFile() && keep(e.name)) out.push(path);
  }
  return out;
}

/** brat's `annotation.conf`, `visual.conf`, ... travel with the corpus so the copy opens in brat the same way. */
async function copyBratConfig(inDir: string, outDir: string): Promise<void> {
  for (const f of await listFiles(inDir, (n) => n.endsWith('.conf'))) {
    const target = join(outDir, relative(inDir, f));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(f, target);
  }
}
