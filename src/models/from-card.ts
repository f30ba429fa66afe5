/**
 * A model from its card's fields and its weights: the one place that turns a saved card back into config, vocabularies,
 * label sets and networks. Used by `readModel` (Node, from a directory) and by `modelFromFiles` in src/api (the bytes of
 * the two files, also in the browser), so no file system here.
 */
import type { Kernels } from '../engine/kernels/types.js';
import { MedrexError } from '../errors.js';
import { parseSavedConfig, type SavedModelConfig } from './config.js';
import { createMembers, loadEnsembleWeights } from './ensemble.js';
import type { ArgTypePair } from '../text/candidates.js';
import { labelsFrom, type ModelLabels } from './examples.js';
import type { ExtractionNetwork } from './network.js';
import { TokenVocab, type TextVocabs } from './vocab.js';
import type { Weights } from './weights.js';

/** The card fields a model is rebuilt from (checked by the caller's reader). */
export interface SavedCardFields {
  config: object;
  vocab: { words: string[]; chars: string[]; normalize: { lowercase: boolean; normalizeDigits: boolean } };
  labels: { entityTypes: string[]; relationTypes: string[]; argTypePairs: ArgTypePair[]; symmetricTypes?: string[] };
}

export interface RebuiltModel {
  config: SavedModelConfig;
  vocabs: TextVocabs;
  labels: ModelLabels;
  network: ExtractionNetwork;
  members: ExtractionNetwork[];
}

/** `files` names the card and the weights in error messages. */
export function modelFromCard(kernels: Kernels, card: SavedCardFields, weights: Weights, files: { card: string; weights: string }): RebuiltModel {
  const config = parseSavedConfig(card.config, { file: files.card });
  let vocabs: TextVocabs;
  try {
    vocabs = {
      words: TokenVocab.fromJSON(card.vocab.words),
      chars: TokenVocab.fromJSON(card.vocab.chars),
      normalize: card.vocab.normalize,
    };
  } catch (err) {
    throw new MedrexError(`model card vocabulary: ${(err as Error).message}`, { file: files.card, rule: 'model-card' });
  }
  const labels = labelsFrom(card.labels.entityTypes, card.labels.relationTypes, card.labels.argTypePairs, card.labels.symmetricTypes ?? [], {
    scheme: config.tagScheme,
    layout: config.tagLayers,
  });
  // Pretrained vectors are already in the saved weights; never read the vectors file again (the config keeps its
  // path, which says what the model was trained from).
  const members = createMembers(kernels, { ...config, pretrainedVectors: null }, vocabs, labels);
  loadEnsembleWeights(members, weights, files.weights);
  return { config, vocabs, labels, network: members[0], members };
}
