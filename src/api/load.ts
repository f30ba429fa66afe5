/**
 * `loadModel(dir)`: the library entry point for using a trained model from Node.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Kernels } from '../engine/kernels/types.js';
import { MedrexError } from '../errors.js';
import { CARD_FILE, readModel, WEIGHTS_FILE } from '../models/model.js';
import { defaultKernels } from '../engine/kernels/load.js';
import { checkCardVersion, parseCardText, summarizeCard } from './card.js';
import { wrapModel } from './extraction.js';
import { checkFiniteWeights } from './finite-weights.js';
import type { MedrexModel } from './types.js';

export interface LoadModelOptions {
  /**
   * Kernels to compute on. Default: the WebAssembly SIMD kernels (`build/kernels.wasm`), or the plain JavaScript
   * reference kernels when those are not built.
   */
  kernels?: Kernels;
}

/** The files a model directory must hold. */
export const MODEL_FILES = [CARD_FILE, WEIGHTS_FILE] as const;

function requireFile(dir: string, name: string): string {
  const path = join(dir, name);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // reported below
  }
  if (!isFile) {
    throw new MedrexError(`model directory has no ${name} (a model directory holds ${MODEL_FILES.join(' and ')})`, {
      file: dir,
      rule: 'model-missing-file',
    });
  }
  return path;
}

/**
 * Loads a model directory written by `medrex train` (`model.json` + `model.safetensors`).
 *
 * @example
 * ```ts
 * const model = await loadModel('models/n2c2');
 * const { entities, relations } = await model.extract('Metformin 500 mg PO BID for diabetes.');
 * ```
 * @throws MedrexError when the directory or one of its files is missing (`model-missing-file`), the card is not
 *   a medrex card (`model-format`, `model-card`), it was written in an unsupported format version
 *   (`model-version`), the weights do not match the card (`model-weights-mismatch`, `safetensors-format`), or a
 *   weight is NaN or infinite (`model-weights-not-finite`).
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<MedrexModel> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new MedrexError('model directory does not exist', { file: dir, rule: 'model-missing-file' });
  }
  if (!isDir) throw new MedrexError('model path is not a directory', { file: dir, rule: 'model-missing-file' });
  const cardPath = requireFile(dir, CARD_FILE);
  requireFile(dir, WEIGHTS_FILE);
  const card = parseCardText(readFileSync(cardPath, 'utf8'), cardPath);
  // Checked here, before the models' loader, so an old or foreign model gets a message about versions rather
  // than about the first schema field that changed.
  checkCardVersion(card, cardPath);
  const kernels = options.kernels ?? (await defaultKernels());
  const model = readModel(kernels, dir);
  checkFiniteWeights(model, join(dir, WEIGHTS_FILE));
  return wrapModel(model, summarizeCard(card));
}
