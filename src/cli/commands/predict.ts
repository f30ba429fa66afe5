/**
 * `medrex predict --model MODEL_DIR --in DIR|FILE --out DIR [--format ann|json] [--gold-entities] [--force]`: runs a
 * trained model over a corpus (brat folder, ADE folder, JSON file) or one plain `.txt` file and writes the
 * predictions as brat files (scores as `AnnotatorNotes` notes) or one medrex JSON corpus file (scores as fields).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { withScoreNotes } from '../../corpus/brat/scores.js';
import { writeBratCorpus } from '../../corpus/brat/write.js';
import { writeJsonCorpus } from '../../corpus/json.js';
import { loadCorpus } from '../../corpus/load.js';
import type { Document } from '../../corpus/types.js';
import { MedrexError } from '../../errors.js';
import { readModel } from '../../models/model.js';
import { predictDocuments } from '../../models/predict.js';
import { defaultKernels } from '../../engine/kernels/load.js';

interface PredictFlags {
  model: string;
  in: string;
  out: string;
  format: string;
  goldEntities?: boolean;
  force?: boolean;
}

const JSON_FILE = 'predictions.json';

/** Refuses a non-empty output folder (or an existing predictions.json) before any work, unless --force. */
function checkOutput(out: string, format: 'ann' | 'json', force: boolean): void {
  if (force || !existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new MedrexError(`${out} exists and is not a directory`, { file: out, rule: 'output-not-directory' });
  const taken = format === 'json' ? existsSync(join(out, JSON_FILE)) : readdirSync(out).length > 0;
  if (taken) {
    const what = format === 'json' ? `${join(out, JSON_FILE)} already exists` : `output directory ${out} is not empty`;
    throw new MedrexError(`${what} (pass --force to write into it, replacing files with the same names)`, {
      file: out,
      rule: 'output-exists',
    });
  }
}

/** Documents to predict on: a single `.txt` file becomes one document named after it. */
async function readInput(path: string): Promise<Document[]> {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new MedrexError(`${path} does not exist`, { file: path, rule: 'path-not-found' });
  }
  if (isFile && path.toLowerCase().endsWith('.txt')) {
    return [{ id: basename(path, '.txt'), text: readFileSync(path, 'utf8'), entities: [], relations: [] }];
  }
  return (await loadCorpus(path)).documents;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description('extract entities and relations with a trained model')
    .requiredOption('--model <dir>', 'model directory written by medrex train')
    .requiredOption('--in <path>', 'input: brat folder, ADE folder, JSON corpus file, or one .txt file')
    .requiredOption('--out <dir>', 'output folder (must be empty or absent unless --force)')
    .option('--format <f>', 'ann (brat .txt + .ann per document) or json (one predictions.json)', 'ann')
    .option('--gold-entities', 'classify relations between the input\'s own entities instead of predicted ones')
    .option('--force', 'write into a non-empty folder, replacing files with the same names (nothing is deleted)')
    .action(async (flags: PredictFlags) => {
      if (flags.format !== 'ann' && flags.format !== 'json') {
        throw new MedrexError(`--format must be ann or json, got ${JSON.stringify(flags.format)}`, {
          rule: 'predict-bad-flag',
        });
      }
      checkOutput(flags.out, flags.format, flags.force ?? false);
      const model = readModel(await defaultKernels(), flags.model);
      const documents = await readInput(flags.in);
      const started = performance.now();
      const predicted = predictDocuments(model, documents, { entities: flags.goldEntities ? 'gold' : 'predicted' });
      const seconds = (performance.now() - started) / 1000;
      if (flags.format === 'ann') {
        // brat has no score field: each score goes into a note on its annotation (`AnnotatorNotes T1  score=0.93`).
        await writeBratCorpus(flags.out, predicted.map(withScoreNotes), { overwrite: flags.force });
      } else {
        const { mkdir } = await import('node:fs/promises');
        await mkdir(flags.out, { recursive: true });
        await writeJsonCorpus(join(flags.out, JSON_FILE), predicted, { overwrite: flags.force });
      }
      const entities = predicted.reduce((n, d) => n + d.entities.length, 0);
      const relations = predicted.reduce((n, d) => n + d.relations.length, 0);
      process.stdout.write(
        `medrex predict: ${predicted.length} documents, ${entities} entities, ${relations} relations ` +
          `in ${seconds.toFixed(1)} s -> ${flags.out}\n`,
      );
    });
}
