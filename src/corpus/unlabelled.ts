/**
 * Unlabelled text for pretraining: every source a user may have, read as text units with the id of the
 * document they came from and the *group* that cross-validation keeps together (an ADE sentence belongs to its
 * PubMed article; a note is its own group). The study uses the group to keep text from a test fold's documents out
 * of that fold's pretraining.
 *
 * Sources: a corpus directory medrex reads (ADE: every sentence of DRUG-AE.rel, DRUG-DOSE.rel and ADE-NEG.txt;
 * brat: every `.txt` below it, annotated or not), a `.json` corpus, or a plain text file (one unit per non-empty
 * line). Annotations are never read here, so a `.txt` without `.ann` is welcome.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { MedrexError } from '../errors.js';
import { adeArticleOf, readAdeCorpus } from './ade.js';
import { readJsonCorpus } from './json.js';

export interface TextUnit {
  /** Document id as the corpus readers give it (brat: relative path without extension), or `file:line`. */
  id: string;
  /** What must stay on one side of a train/test split with this unit (see `documentGroup`). */
  group: string;
  text: string;
}

/** The cross-validation group of a document id in a corpus of `format`: the PubMed article for ADE, else the id. */
export function documentGroup(id: string, format: string): string {
  return format === 'ade' ? adeArticleOf(id) : id;
}

/** Read every source in order; a missing path is an error naming it. */
export async function readTextUnits(paths: readonly string[]): Promise<TextUnit[]> {
  const units: TextUnit[] = [];
  for (const path of paths) units.push(...(await readSource(path)));
  return units;
}

async function readSource(path: string): Promise<TextUnit[]> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new MedrexError(`${path} does not exist`, { file: path, rule: 'path-not-found' });
  if (info.isDirectory()) {
    if (await stat(join(path, 'DRUG-AE.rel')).catch(() => null)) {
      // Lenient: a pretraining source only contributes text, and the labelled reader reports its problems elsewhere.
      const ade = await readAdeCorpus(path, { includeDose: true, includeNegative: true, lenient: true });
      return ade.documents.map((d) => ({ id: d.id, group: adeArticleOf(d.id), text: d.text }));
    }
    return readTxtFiles(path);
  }
  if (path.toLowerCase().endsWith('.json')) {
    const corpus = await readJsonCorpus(path);
    return corpus.documents.map((d) => ({ id: d.id, group: d.id, text: d.text }));
  }
  const text = await readFile(path, 'utf8');
  const units: TextUnit[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const id = `${path}:${index + 1}`;
    units.push({ id, group: id, text: line });
  });
  return units;
}

async function readTxtFiles(root: string): Promise<TextUnit[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.txt')) files.push(full);
    }
  };
  await walk(root);
  files.sort();
  if (files.length === 0) throw new MedrexError(`no .txt files below ${root}`, { file: root, rule: 'no-text' });
  const units: TextUnit[] = [];
  for (const file of files) {
    const id = relative(root, file).split(sep).join('/').replace(/\.txt$/, '');
    units.push({ id, group: id, text: await readFile(file, 'utf8') });
  }
  return units;
}
