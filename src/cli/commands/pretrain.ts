/**
 * `medrex pretrain --text PATH... --out VECTORS [--dim 100] [--epochs 5] [--window 5] [--min-count 2] [--seed 1]
 *   [--exclude IDS_FILE]`: word vectors from the user's own unlabelled text (skip-gram, src/models/pretrain/),
 * written in the word2vec text format that `medrex train --vectors` (config key `pretrainedVectors`) reads.
 *
 * `--exclude` keeps documents out of pretraining: a file of document ids or groups (one per line; for ADE a PubMed
 * id keeps out every sentence of that article). That is how a user keeps a test set's text out of the vectors the
 * model is evaluated with; the study does it per fold by itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readTextUnits } from '../../corpus/unlabelled.js';
import { writeFileAtomic } from '../../atomic-write.js';
import { MedrexError } from '../../errors.js';
import { defaultConfig } from '../../models/config.js';
import { pretrainWordVectors } from '../../models/pretrain/index.js';
import { SKIP_GRAM_DEFAULTS } from '../../models/pretrain/skipgram.js';
import { parseWholeNumber } from './synth.js';

const BAD_FLAG = 'pretrain-bad-flag';

interface PretrainFlags {
  text: string[];
  out: string;
  dim: string;
  epochs: string;
  window: string;
  minCount: string;
  seed: string;
  exclude?: string;
  force?: boolean;
}

function readExcluded(path: string): Set<string> {
  if (!existsSync(path)) throw new MedrexError(`${path} does not exist`, { file: path, rule: 'path-not-found' });
  return new Set(
    readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

export function register(program: Command): void {
  const d = SKIP_GRAM_DEFAULTS;
  program
    .command('pretrain')
    .description('train word vectors on unlabelled text (skip-gram) for `medrex train --vectors`')
    .requiredOption('--text <paths...>', 'unlabelled text: corpus folders (brat, ADE), .json corpora or plain text files (one unit per line)')
    .requiredOption('--out <file>', 'vectors file to write (word2vec text format)')
    .option('--dim <n>', 'vector width', String(d.dim))
    .option('--epochs <n>', 'passes over the text', String(d.epochs))
    .option('--window <n>', 'largest context distance', String(d.window))
    .option('--min-count <n>', 'words seen fewer times get no vector', String(d.minCount))
    .option('--seed <s>', 'random seed; the same seed and text give the same vectors', String(d.seed))
    .option('--exclude <file>', 'document ids or groups (ADE: PubMed ids) to keep out, one per line')
    .option('--force', 'replace an existing vectors file')
    .action(async (flags: PretrainFlags) => {
      const options = {
        dim: parseWholeNumber(flags.dim, '--dim', 1, 4096, BAD_FLAG),
        epochs: parseWholeNumber(flags.epochs, '--epochs', 1, 1000, BAD_FLAG),
        window: parseWholeNumber(flags.window, '--window', 1, 100, BAD_FLAG),
        minCount: parseWholeNumber(flags.minCount, '--min-count', 1, 1_000_000, BAD_FLAG),
        seed: parseWholeNumber(flags.seed, '--seed', 0, 0xffffffff, BAD_FLAG),
      };
      if (existsSync(flags.out) && !flags.force) {
        throw new MedrexError(`${flags.out} already exists (pass --force to replace it)`, { file: flags.out, rule: 'output-exists' });
      }
      const excluded = flags.exclude ? readExcluded(flags.exclude) : new Set<string>();
      const all = await readTextUnits(flags.text);
      const units = all.filter((u) => !excluded.has(u.id) && !excluded.has(u.group));
      if (units.length === 0) throw new MedrexError('no text left to pretrain on', { rule: 'no-text' });
      const config = defaultConfig();
      const started = performance.now();
      const { result, file } = pretrainWordVectors(
        units,
        { lowercase: config.lowercase, normalizeDigits: config.normalizeDigits },
        options,
        (epoch, pairs) => process.stderr.write(`medrex pretrain: epoch ${epoch}/${options.epochs}, ${pairs} pairs\n`),
      );
      // Written beside the target and renamed, so an interrupted run never leaves half a vectors file.
      writeFileAtomic(flags.out, file);
      process.stdout.write(
        `medrex pretrain: wrote ${result.words.length} vectors of ${result.dim} dimensions to ${flags.out} ` +
          `from ${units.length} text units (${result.tokens} tokens${all.length > units.length ? `, ${all.length - units.length} excluded` : ''}) ` +
          `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
