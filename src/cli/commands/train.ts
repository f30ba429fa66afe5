/**
 * `medrex train --data DIR --model pipeline|joint --sharing none|embeddings|encoder --out MODEL_DIR
 *   [--config FILE] [--dev-fraction 0.1] [--epochs N] [--seed S] [--ensemble K]`: trains a model (src/models/train.ts) and writes
 * it to MODEL_DIR. Running the same command again after an interruption resumes from the last finished epoch.
 */
import { existsSync } from 'node:fs';
import { parameterTotal } from '../../models/ensemble.js';
import { CHECKPOINT_FILE, hasCheckpoint as checkpointIn } from '../../models/checkpoint.js';
import { claimOutputFolder } from '../../output-folder.js';
import { join } from 'node:path';
import type { Command } from 'commander';
import { documentGroup } from '../../corpus/unlabelled.js';
import { MedrexError } from '../../errors.js';
import { defaultConfig, loadConfigFile, parseConfig, type ModelConfig } from '../../models/config.js';
import { CARD_FILE, WEIGHTS_FILE } from '../../models/model.js';
import { splitDev } from '../../models/split.js';
import { describeEpoch, train } from '../../models/train.js';
import { LENIENT_HELP, readTrainingInput } from '../corpus-input.js';
import { parseBackend, parseThreads } from '../run-settings.js';

interface TrainFlags {
  data?: string;
  train?: string;
  dev?: string;
  lenient?: boolean;
  model: string;
  sharing?: string;
  out: string;
  config?: string;
  devFraction: string;
  threads: string;
  backend: string;
  epochs?: string;
  seed?: string;
  ensemble?: string;
  vectors?: string;
  progress?: boolean;
  force?: boolean;
  restart?: boolean;
}

function parseNumber(raw: string, flag: string, test: (n: number) => boolean, what: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !test(n)) {
    throw new MedrexError(`${flag} must be ${what}, got ${JSON.stringify(raw)}`, { rule: 'train-bad-flag' });
  }
  return n;
}

/** The config the flags describe: the config file (or defaults), then the flags on top, validated together. */
export function configFromFlags(flags: TrainFlags): ModelConfig {
  const base = flags.config ? loadConfigFile(flags.config) : defaultConfig();
  if (flags.model !== 'pipeline' && flags.model !== 'joint') {
    throw new MedrexError(`--model must be pipeline or joint, got ${JSON.stringify(flags.model)}`, { rule: 'train-bad-flag' });
  }
  const sharing = flags.sharing ?? (flags.model === 'pipeline' ? 'none' : 'encoder');
  const overrides: Record<string, unknown> = { kind: flags.model, sharing };
  if (flags.epochs !== undefined) {
    overrides.epochs = parseNumber(flags.epochs, '--epochs', (n) => Number.isInteger(n) && n > 0, 'a whole number above 0');
  }
  if (flags.vectors !== undefined) overrides.pretrainedVectors = flags.vectors;
  if (flags.seed !== undefined) {
    overrides.seed = parseNumber(flags.seed, '--seed', Number.isInteger, 'a whole number');
  }
  if (flags.ensemble !== undefined) {
    overrides.ensemble = parseNumber(flags.ensemble, '--ensemble', (n) => Number.isInteger(n) && n >= 1 && n <= 16, 'a whole number from 1 to 16');
  }
  try {
    return parseConfig({ ...base, ...overrides }, { file: flags.config });
  } catch (err) {
    // A bad --sharing value is reported by the config schema; say which flag it came from.
    if (err instanceof MedrexError && err.message.includes('"sharing"')) {
      throw new MedrexError(`--sharing must be none, embeddings or encoder, got ${JSON.stringify(sharing)}`, {
        rule: 'train-bad-flag',
      });
    }
    throw err;
  }
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train a pipeline or joint NER + relation model on a corpus (brat folder, ADE folder or JSON)')
    .option('--data <dir>', 'training corpus; with train/test folders (any case: train, training, test, dev, ...) only the train part trains')
    .option('--train <dir>', 'instead of --data: the training part')
    .option('--dev <dir>', 'documents for early stopping (instead of --dev-fraction)')
    .option('--lenient', LENIENT_HELP)
    .requiredOption('--model <kind>', 'pipeline (NER then RE, nothing shared) or joint (one network, summed loss)')
    .option('--sharing <level>', 'what NER and RE share: none, embeddings or encoder (joint default: encoder)')
    .requiredOption('--out <dir>', 'model directory (model.json, model.safetensors, checkpoint.safetensors)')
    .option('--config <file>', 'JSON config file (see src/models/README.md); flags override it')
    .option('--vectors <file>', 'pretrained word vectors (word2vec/GloVe text, e.g. from `medrex pretrain`)')
    .option('--dev-fraction <f>', 'share of documents held out for early stopping', '0.1')
    .option('--epochs <n>', 'maximum number of epochs (per phase)')
    .option('--seed <s>', 'random seed (initial weights, batches, sampling, dev split)')
    .option('--ensemble <n>', 'networks trained from their own seeds and averaged at prediction (default 2; 1 = one network, half the time and size)')
    .option('--threads <n>', 'training threads, or "auto" for every core: an ensemble trains its members side by side (the same model), one network cuts its batches (the same up to rounding)', '1')
    .option('--backend <name>', 'matrix products: wasm (WebAssembly SIMD) or blas (the optional OpenBLAS addon)', 'wasm')
    .option('--no-progress', 'no progress bars even on a terminal')
    .option('--restart', 'discard the checkpoint in the model directory and train from the start')
    .option('--force', 'retrain into a directory that already holds a model (implies --restart)')
    .action(async (flags: TrainFlags) => {
      const config = configFromFlags(flags);
      const fraction = parseNumber(flags.devFraction, '--dev-fraction', (n) => n >= 0 && n < 1, 'at least 0 and below 1');
      const restart = Boolean(flags.restart || flags.force);
      const hasCheckpoint = !restart && checkpointIn(flags.out);
      if (existsSync(join(flags.out, CARD_FILE)) && !hasCheckpoint && !restart) {
        throw new MedrexError(`${flags.out} already holds a trained model (pass --force to retrain into it)`, {
          file: flags.out,
          rule: 'output-exists',
        });
      }
      // Flags first: a wrong one is reported before the corpus is read. With --threads N each batch is cut into one
      // shard per thread, run at the same time on workers over the shared memory (src/models/shards.ts, parallel/).
      const threads = parseThreads(flags.threads, 'train-bad-flag', { auto: true });
      const backend = parseBackend(flags.backend, 'train-bad-flag');
      const input = await readTrainingInput(flags, 'train-bad-flag');
      if (input.note !== flags.data) process.stderr.write(`medrex train: ${input.note}\n`);
      // Only into a new or empty folder or one train wrote before; checked before training (one line for
      // a file, a read-only or unwritable location).
      const folder = claimOutputFolder(flags.out, 'train', { resume: true });
      folder.list([CARD_FILE, WEIGHTS_FILE, CHECKPOINT_FILE]);
      // Whole groups (an ADE article's sentences) on one side, so dev F1 is measured on unseen articles.
      const { train: trainDocs, dev } = input.dev
        ? { train: input.train, dev: input.dev }
        : splitDev(input.train, fraction, config.seed, (id) => documentGroup(id, input.format));
      process.stderr.write(
        `medrex train: ${config.kind} model (sharing ${config.sharing}) on ${trainDocs.length} documents, ` +
          `${dev.length} held out for early stopping${hasCheckpoint ? '; resuming from the checkpoint' : ''}\n`,
      );
      const started = performance.now();
      const result = await train(trainDocs, config, {
        shards: threads,
        backend,
        devDocuments: dev,
        outDir: flags.out,
        restart,
        progress: flags.progress === false ? false : 'auto',
        onEpoch: process.stderr.isTTY ? undefined : (r) => process.stderr.write(`${describeEpoch(r)}\n`),
      });
      const best = result.model.training?.bestEpochs ?? {};
      // Ensemble keys are `member2.joint`: say `member 2 joint epoch 4`.
      const bestText = Object.entries(best)
        .map(([key, epoch]) => `${key.replace(/^member(\d+)\./, 'member $1 ')} epoch ${epoch}`)
        .join(', ');
      const tuned = result.model.training?.noneWeightTuning ? `; relation decision weight ${result.model.config.noneWeight}, tuned on dev` : '';
      process.stdout.write(
        `medrex train: wrote ${flags.out} (${parameterTotal(result.model)} parameters; best ${bestText}${tuned}) ` +
          `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
