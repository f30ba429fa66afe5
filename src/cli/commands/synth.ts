/**
 * `medrex synth --out DIR [--docs N] [--seed S] [--length long|short] [--split] [--force]`: writes the synthetic n2c2-style corpus as brat
 * files (see `src/corpus/synth/README.md`) and prints a one-line summary.
 */
import type { Command } from 'commander';
import { MedrexError } from '../../errors.js';
import { SYNTH_LENGTHS, type SynthLength } from '../../corpus/synth/document.js';
import { checkSynthOptions, writeSynthCorpus, type WrittenPart } from '../../corpus/synth/write.js';
import { claimOutputFolder, writeStaged } from '../../output-folder.js';

export const DEFAULT_DOCS = 200;
export const DEFAULT_SEED = 13;

interface SynthFlags {
  out: string;
  docs: string;
  seed: string;
  split?: boolean;
  force?: boolean;
  length: string;
}

/** A whole number within [min, max] written in decimal digits; anything else is a user error naming the flag. */
export function parseWholeNumber(raw: string, flag: string, min: number, max: number, rule = 'synth-bad-flag'): number {
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new MedrexError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`, { rule });
  }
  return value;
}

export function summarize(parts: WrittenPart[], seed: number, out: string): string {
  const total = (key: 'documents' | 'entities' | 'relations') => parts.reduce((sum, p) => sum + p.counts[key], 0);
  const split = parts.length > 1 ? ` (${parts.map((p) => `${p.name} ${p.counts.documents}`).join(', ')})` : '';
  return (
    `medrex synth: wrote ${total('documents')} documents${split} to ${out} with seed ${seed}: ` +
    `${total('entities')} entities, ${total('relations')} relations\n`
  );
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('write the synthetic n2c2-style medication corpus (invented discharge summaries) as brat files')
    .requiredOption('--out <dir>', 'output folder: new, empty, or written by an earlier synth (see --force)')
    .option('--docs <n>', 'number of documents', String(DEFAULT_DOCS))
    .option('--seed <s>', 'random seed; the same seed always writes the same files', String(DEFAULT_SEED))
    .option('--split', 'write train/ (80%) and test/ (20%) subfolders, like the n2c2 release')
    .option('--length <l>', 'long (discharge-summary length: ~2,900 tokens, ~320 entities per note) or short (~570 tokens)', 'long')
    .option('--force', 'replace the output of an earlier synth in --out (removes only the files it listed)')
    .action(async (flags: SynthFlags) => {
      const docs = parseWholeNumber(flags.docs, '--docs', 1, 1_000_000);
      const seed = parseWholeNumber(flags.seed, '--seed', 0, 0xffffffff);
      if (!(SYNTH_LENGTHS as readonly string[]).includes(flags.length)) {
        throw new MedrexError(`--length must be long or short, got ${JSON.stringify(flags.length)}`, { rule: 'synth-bad-flag' });
      }
      const options = { docs, seed, split: flags.split, length: flags.length as SynthLength };
      checkSynthOptions(options);
      // Only into an empty folder or one synth wrote before; staged, so a failed write leaves the folder as it was.
      const folder = claimOutputFolder(flags.out, 'synth', { force: flags.force });
      const parts = await writeStaged(folder, (staging) => writeSynthCorpus(staging, options));
      process.stdout.write(summarize(parts, seed, flags.out));
    });
}
