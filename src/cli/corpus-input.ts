/**
 * How the verbs that read a corpus (`train`, `predict`, `stats`, `study`) take it: `--lenient` (skip bad lines and
 * documents, each reported on stderr, instead of stopping at the first), and for training, one directory
 * (`--data`, whose train/test folders are respected) or the parts (`--train DIR [--dev DIR]`). One place, so every
 * verb says the same thing the same way.
 */
import type { Command } from 'commander';
import { loadCorpus, type LoadCorpusOptions, type LoadedCorpus } from '../corpus/load.js';
import type { ReadReport } from '../corpus/read-report.js';
import { corpusSplit } from '../corpus/split.js';
import type { Document } from '../corpus/types.js';
import { MedrexError } from '../errors.js';

export const LENIENT_HELP = 'skip bad annotation lines and documents (each reported on stderr) instead of stopping at the first';

export function addLenientOption(command: Command): Command {
  return command.option('--lenient', LENIENT_HELP);
}

/** Individual warnings printed before the rest are only counted. */
const MAX_WARNINGS_SHOWN = 20;

/** Reader warnings on stderr: the first few in full, then counts by rule. */
export function printReadWarnings(report: ReadReport | undefined, write = (s: string) => process.stderr.write(s)): void {
  if (!report || report.warnings.length === 0) return;
  for (const w of report.warnings.slice(0, MAX_WARNINGS_SHOWN)) {
    const where = `${w.file}${w.line !== undefined ? `:${w.line}` : ''}`;
    write(`medrex: warning: ${where}: ${w.message} [${w.rule}]\n`);
  }
  if (report.warnings.length > MAX_WARNINGS_SHOWN) {
    const counts = Object.entries(report.countsByRule)
      .map(([rule, n]) => `${rule}: ${n}`)
      .join(', ');
    write(`medrex: warning: ${report.warnings.length} warnings in all (${counts})\n`);
  }
}

/** `loadCorpus` plus the reader's warnings on stderr (a strict reader error carries its hint, see corpus/load.ts). */
export async function readCorpusInput(path: string, options: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  const loaded = await loadCorpus(path, options);
  printReadWarnings(loaded.report);
  return loaded;
}

export interface TrainingInputFlags {
  data?: string;
  train?: string;
  dev?: string;
  lenient?: boolean;
}

export interface TrainingInput {
  train: Document[];
  /** The corpus's own dev part or `--dev`; undefined: hold out a share of `train`. */
  dev?: Document[];
  /** One line on what was taken from where, for stderr. */
  note: string;
  /** The training corpus's format (decides which documents a dev split keeps together: `documentGroup`). */
  format: string;
}

/**
 * The documents to train on. `--data DIR` with a train/test split (folders `train`/`Training`/`test`/`TEST`/...,
 * see corpus/split.ts) trains on the train part only and uses its dev part, if any, for early stopping: the test part
 * is never trained on silently. `--train DIR [--dev DIR]` gives the parts directly.
 */
export async function readTrainingInput(flags: TrainingInputFlags, rule: string): Promise<TrainingInput> {
  if ((flags.data === undefined) === (flags.train === undefined)) {
    throw new MedrexError('give the training corpus as --data DIR or as --train DIR [--dev DIR], one of the two', { rule });
  }
  const lenient = flags.lenient ?? false;
  const dev = flags.dev !== undefined ? (await readCorpusInput(flags.dev, { lenient })).documents : undefined;
  if (flags.train !== undefined) {
    const read = await readCorpusInput(flags.train, { lenient });
    return { train: read.documents, dev, note: `train ${flags.train}${dev ? `, dev ${flags.dev}` : ''}`, format: read.format };
  }
  const data = flags.data as string;
  const { documents, format } = await readCorpusInput(data, { lenient });
  const split = corpusSplit(documents.map((d) => d.id));
  if (!split) return { train: documents, dev, note: data, format };
  const inPart = (ids: string[]) => {
    const wanted = new Set(ids);
    return documents.filter((d) => wanted.has(d.id));
  };
  const ownDev = split.dev.length > 0 ? inPart(split.dev) : undefined;
  const other = split.other.length > 0 ? `, ${split.other.length} outside the split folders left out` : '';
  return {
    train: inPart(split.train),
    dev: dev ?? ownDev,
    format,
    note:
      `${data} has a train/test split: training on its ${split.train.length} train documents` +
      `${!dev && ownDev ? `, ${ownDev.length} dev documents for early stopping` : ''}; ` +
      `its ${split.test.length} test documents are left out${other}`,
  };
}
