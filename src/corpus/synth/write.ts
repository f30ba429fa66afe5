/**
 * Writes a generated corpus to disk as brat files, either in one folder or split into `train/` and `test/` like the
 * n2c2 release. Refuses a non-empty output folder unless forced (the brat writer then replaces files with the same
 * names and deletes nothing).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MedrexError } from '../../errors.js';
import { writeBratCorpus } from '../brat/write.js';
import type { SynthLength } from './document.js';
import { countAnnotations, generateCorpus, splitTrainTest, type CorpusCounts } from './index.js';

export interface WriteSynthOptions {
  docs: number;
  seed: number;
  /** Write `train/` (80%) and `test/` (20%) subfolders instead of one flat folder. */
  split?: boolean;
  /** Write into a non-empty folder. */
  force?: boolean;
  /** Note length (default `long`, see SynthLength). */
  length?: SynthLength;
}

export interface WrittenPart {
  /** `train`, `test`, or `all` when not split. */
  name: string;
  dir: string;
  counts: CorpusCounts;
}

/** The options' own checks, before anything is written. */
export function checkSynthOptions(opts: WriteSynthOptions): void {
  if (opts.split && opts.docs < 2) {
    throw new MedrexError(`--split needs at least 2 documents (one for train, one for test), got ${opts.docs}`, {
      rule: 'synth-split-too-small',
    });
  }
}

export async function writeSynthCorpus(out: string, opts: WriteSynthOptions): Promise<WrittenPart[]> {
  checkSynthOptions(opts);
  await refuseNonEmpty(out, opts.force ?? false);
  const documents = generateCorpus({ docs: opts.docs, seed: opts.seed, length: opts.length });
  const parts: { name: string; dir: string; docs: typeof documents }[] = [];
  if (opts.split) {
    const { train, test } = splitTrainTest(documents);
    parts.push({ name: 'train', dir: join(out, 'train'), docs: train }, { name: 'test', dir: join(out, 'test'), docs: test });
  } else {
    parts.push({ name: 'all', dir: out, docs: documents });
  }
  for (const part of parts) await writeBratCorpus(part.dir, part.docs, { overwrite: opts.force ?? false });
  return parts.map(({ name, dir, docs }) => ({ name, dir, counts: countAnnotations(docs) }));
}

/** Checked on the top folder: with --split the subfolders may be new while the folder holds other things. */
async function refuseNonEmpty(dir: string, force: boolean): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch {
    return; // does not exist yet: the writer creates it
  }
  if (!isDirectory) throw new MedrexError(`${dir} exists and is not a directory`, { file: dir, rule: 'output-not-directory' });
  if (!force && (await readdir(dir)).length > 0) {
    throw new MedrexError(`output directory ${dir} is not empty (use --force to write into it)`, {
      file: dir,
      rule: 'output-exists',
    });
  }
}
