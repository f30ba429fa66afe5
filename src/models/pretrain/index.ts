/**
 * In-domain pretraining: word vectors trained on the user's own unlabelled text (src/corpus/unlabelled.ts), with
 * the model's word normalisation, so that `pretrainedVectors` in a model config finds them.
 */
import { tokenize } from '../../text/tokenize.js';
import type { TextUnit } from '../../corpus/unlabelled.js';
import { normalizeWord, type NormalizeOptions } from '../vocab.js';
import { formatWordVectors, trainSkipGram, type SkipGramOptions, type SkipGramResult } from './skipgram.js';

/** Units as lists of normalised words (the tokenizer the models use; one list per unit). */
export function unitWords(units: readonly TextUnit[], normalize: NormalizeOptions): string[][] {
  return units.map((u) => tokenize(u.text).map((t) => normalizeWord(t.text, normalize)));
}

/** Train word vectors on units and return the word2vec text file's contents with the result. */
export function pretrainWordVectors(
  units: readonly TextUnit[],
  normalize: NormalizeOptions,
  options: Partial<SkipGramOptions> = {},
  onEpoch?: (epoch: number, pairs: number) => void,
): { result: SkipGramResult; file: string } {
  const result = trainSkipGram(unitWords(units, normalize), options, onEpoch);
  return { result, file: formatWordVectors(result) };
}
