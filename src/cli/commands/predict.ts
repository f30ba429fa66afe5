/**
 * `medrex predict --model MODEL_DIR --in DIR|FILE --out DIR [--format ann|json] [--gold-entities] [--force]
 * [--lenient]`: runs a trained model over a corpus (brat folder, ADE folder, JSON file) or one plain `.txt` file and
 * writes the predictions as brat files (scores as `AnnotatorNotes` notes) or one medrex JSON corpus file (scores as
 * fields).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { withScoreNotes } from '../../corpus/brat/scores.js';
import { writeBratCorpus } from '../../corpus/brat/write.js';
import { writeJsonCorpus } from '../../corpus/json.js';
import type { Document } from '../../corpus/types.js';
import { MedrexError } from '../../errors.js';
import { readModel } from '../../models/model.js';
import { predictDocuments } from '../../models/predict.js';
import { defaultKernels } from '../../engine/kernels/load.js';
import { claimOutputFolder, writeStaged } from '../../output-folder.js';
import { LENIENT_HELP, readCorpusInput } from '../corpus-input.js';

interface PredictFlags {
  model: string;
  in: string;
  out: string;
  format: string;
  goldEntities?: boolean;
  force?: boolean;
  lenient?: boolean;
}

/** Documents to predict on: a single `.txt` file becomes one document named after it. */
async function readInput(path: string, lenient: boolean): Promise<Document[]> {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new MedrexError(`${path} does not exist`, { file: path, rule: 'path-not-found' });
  }
  if (isFile && path.toLowerCase().endsWith('.txt')) {
    return [{ id: basename(path, '.txt'), text: readFileSync(path, 'utf8'), entities: [], relations: [] }];
  }
  return (await readCorpusInput(path, { lenient })).documents;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description('extract entities and relations with a trained model')
    .requiredOption('--model <dir>', 'model directory written by medrex train')
    .requiredOption('--in <path>', 'input: brat folder, ADE folder, JSON corpus file, or one .txt file')
    .requiredOption('--out <dir>', 'output folder: new, empty, or written by an earlier predict (see --force)')
    .option('--format <f>', 'ann (brat .txt + .ann per document) or json (one predictions.json)', 'ann')
    .option('--force', 'replace the output of an earlier predict in --out (removes only the files it listed)')
    .option('--gold-entities', 'classify relations between the input\'s own entities instead of predicted ones')
    .option('--lenient', LENIENT_HELP)
    .action(async (flags: PredictFlags) => {
      if (flags.format !== 'ann' && flags.format !== 'json') {
        throw new MedrexError(`--format must be ann or json, got ${JSON.stringify(flags.format)}`, {
          rule: 'predict-bad-flag',
        });
      }
      // The output folder is checked before any work: empty, new, or written by an earlier predict (--force).
      const folder = claimOutputFolder(flags.out, 'predict', { force: flags.force });
      const model = readModel(await defaultKernels(), flags.model);
      const documents = await readInput(flags.in, flags.lenient ?? false);
      const started = performance.now();
      const predicted = predictDocuments(model, documents, { entities: flags.goldEntities ? 'gold' : 'predicted' });
      const seconds = (performance.now() - started) / 1000;
      await writeStaged(folder, async (staging) => {
        // brat has no score field: each score goes into a note on its annotation (`AnnotatorNotes T1  score=0.93`).
        if (flags.format === 'ann') await writeBratCorpus(staging, predicted.map(withScoreNotes));
        else await writeJsonCorpus(join(staging, 'predictions.json'), predicted);
      });
      const entities = predicted.reduce((n, d) => n + d.entities.length, 0);
      const relations = predicted.reduce((n, d) => n + d.relations.length, 0);
      process.stdout.write(
        `medrex predict: ${predicted.length} documents, ${entities} entities, ${relations} relations ` +
          `in ${seconds.toFixed(1)} s -> ${flags.out}\n`,
      );
    });
}
