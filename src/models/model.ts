/**
 * A model = config + vocabularies + label sets + network weights, and its files on disk:
 *
 *   MODEL_DIR/model.json          the card: format version, medrex version, config, vocabularies, label sets,
 *                                 argument type pairs, training-data summary and training history
 *   MODEL_DIR/model.safetensors   the weights, one tensor per parameter name (see network.ts)
 *
 * Everything needed to predict is in those two files; nothing depends on the training corpus being present.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Document } from '../corpus/types.js';
import type { Kernels } from '../engine/kernels/types.js';
import { writeFileAtomic } from '../atomic-write.js';
import { MedrexError } from '../errors.js';
import type { ModelConfig, SavedModelConfig } from './config.js';
import { learnLabels, type ModelLabels } from './examples.js';
import type { ExtractionNetwork } from './network.js';
import { createMembers, ensembleWeights, parameterTotal } from './ensemble.js';
import { readWeightsFile, writeWeightsFile } from './weights-io.js';
import { modelFromCard } from './from-card.js';
import type { NoneWeightTrial } from './relation-decision.js';
import { readWordVectors } from './vectors.js';
import { chooseTagLayout } from './tag-layers.js';
import { buildTextVocabs, normalizeWord, type TextVocabs } from './vocab.js';
import { prepareDocument } from '../text/prepare.js';

export const MODEL_FORMAT = 'medrex-model';
export const MODEL_FORMAT_VERSION = 1;
export const CARD_FILE = 'model.json';
export const WEIGHTS_FILE = 'model.safetensors';

/** What the model was trained on, for the card (counts only; no text). */
export interface TrainingSummary {
  documents: number;
  sentences: number;
  tokens: number;
  entities: Record<string, number>;
  relations: Record<string, number>;
}

export interface EpochRecord {
  phase: 'ner' | 're' | 'joint';
  /** The ensemble member this epoch trained (1-based); absent for a single network. */
  member?: number;
  epoch: number;
  loss: number;
  nerLoss: number | null;
  relLoss: number | null;
  devEntityF1: number | null;
  devRelationF1: number | null;
  /** The number early stopping compares (see train.ts). */
  devScore: number | null;
  seconds: number;
}

export interface TrainingRecord {
  summary: TrainingSummary;
  devDocuments: number;
  history: EpochRecord[];
  /** Best epoch per phase (the weights saved are those). */
  bestEpochs: Record<string, number>;
  /** With `noneWeight: 'tune'` and dev documents: end-to-end dev relation F1 of each weight tried (./relation-decision.ts). */
  noneWeightTuning?: NoneWeightTrial[];
}

export interface Model {
  config: SavedModelConfig;
  vocabs: TextVocabs;
  labels: ModelLabels;
  /** The first member of the ensemble (the only one when `config.ensemble` is 1). */
  network: ExtractionNetwork;
  /** Every member, `network` first (./ensemble.ts): same vocabularies and labels, weights of their own. */
  members: ExtractionNetwork[];
  training: TrainingRecord | null;
}

/** The medrex version from package.json (two levels up from both src/models and dist/models). */
export function medrexVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Counts of a training corpus for the model card. */
export function summarize(documents: readonly Document[]): TrainingSummary {
  const summary: TrainingSummary = { documents: documents.length, sentences: 0, tokens: 0, entities: {}, relations: {} };
  for (const doc of documents) {
    const prepared = prepareDocument({ ...doc, entities: [], relations: [] });
    summary.sentences += prepared.sentences.length;
    for (const s of prepared.sentences) summary.tokens += s.tokens.length;
    for (const e of doc.entities) summary.entities[e.type] = (summary.entities[e.type] ?? 0) + 1;
    for (const r of doc.relations) summary.relations[r.type] = (summary.relations[r.type] ?? 0) + 1;
  }
  return summary;
}

/**
 * A fresh, untrained model for a training corpus: vocabularies and label sets learned from it (plus pretrained
 * vectors' words when configured; their width then overrides `wordDim`), weights initialised from the seed.
 */
export function createModel(kernels: Kernels, documents: readonly Document[], config: ModelConfig): Model {
  const vectors = config.pretrainedVectors ? readWordVectors(config.pretrainedVectors) : null;
  const tagLayers = config.tagLayers === 'auto' ? chooseTagLayout(documents, config.tagScheme) : config.tagLayers;
  // A weight to tune starts at plain argmax: training selects epochs with it, `train` tunes it at the end.
  const noneWeight = config.noneWeight === 'tune' ? 1 : config.noneWeight;
  const effective: SavedModelConfig = { ...config, tagLayers, noneWeight, ...(vectors ? { wordDim: vectors.dim } : {}) };
  const tokenTexts: string[] = [];
  for (const doc of documents) {
    for (const s of prepareDocument({ ...doc, entities: [], relations: [] }).sentences) {
      for (const t of s.tokens) tokenTexts.push(t.text);
    }
  }
  const vocabs = buildTextVocabs(tokenTexts, {
    lowercase: effective.lowercase,
    normalizeDigits: effective.normalizeDigits,
    minWordFreq: effective.minWordFreq,
    extraWords: vectors ? vectors.vectors.keys() : [],
  });
  const labels = learnLabels(documents, { scheme: effective.tagScheme, layout: effective.tagLayers });
  let pretrained: Map<number, Float32Array> | undefined;
  if (vectors) {
    pretrained = new Map();
    for (const [word, vector] of vectors.vectors) {
      const id = vocabs.words.id(normalizeWord(word, vocabs.normalize));
      if (id > 1 && !pretrained.has(id)) pretrained.set(id, vector);
    }
  }
  const members = createMembers(kernels, effective, vocabs, labels, pretrained);
  return { config: effective, vocabs, labels, network: members[0], members, training: null };
}

const CardSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.literal(MODEL_FORMAT_VERSION),
  medrexVersion: z.string(),
  config: z.record(z.unknown()),
  vocab: z.object({
    words: z.array(z.string()),
    chars: z.array(z.string()),
    normalize: z.object({ lowercase: z.boolean(), normalizeDigits: z.boolean() }),
  }),
  labels: z.object({
    entityTypes: z.array(z.string()),
    relationTypes: z.array(z.string()),
    argTypePairs: z.array(
      z.object({ arg1Type: z.string(), arg2Type: z.string(), relationType: z.string(), count: z.number() }),
    ),
    // Absent in models saved before relation shapes were learned: every type ordered.
    symmetricTypes: z.array(z.string()).default([]),
  }),
  parameters: z.number(),
  training: z.unknown().nullable(),
});

export function saveModel(model: Model, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const card = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    medrexVersion: medrexVersion(),
    config: model.config,
    vocab: { words: model.vocabs.words.toJSON(), chars: model.vocabs.chars.toJSON(), normalize: model.vocabs.normalize },
    labels: {
      entityTypes: model.labels.entityTypes.toJSON(),
      relationTypes: model.labels.relationTypes.toJSON().slice(1),
      argTypePairs: model.labels.argTypePairs,
      symmetricTypes: model.labels.symmetricTypes,
    },
    parameters: parameterTotal(model),
    training: model.training,
  };
  writeWeightsFile(join(dir, WEIGHTS_FILE), ensembleWeights(model.members), { format: MODEL_FORMAT });
  writeFileAtomic(join(dir, CARD_FILE), `${JSON.stringify(card, null, 1)}\n`);
}

/**
 * Read a directory written by `saveModel` (card and weights) into a trainable `Model` on `kernels`. Library users
 * call `loadModel(dir)` from src/api instead, which wraps this for `extract`.
 */
export function readModel(kernels: Kernels, dir: string): Model {
  const cardPath = join(dir, CARD_FILE);
  if (!existsSync(cardPath)) {
    throw new MedrexError(`not a medrex model directory (no ${CARD_FILE})`, { file: dir, rule: 'model-missing-file' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cardPath, 'utf8'));
  } catch (err) {
    throw new MedrexError(`model card is not valid JSON: ${(err as Error).message}`, { file: cardPath, rule: 'model-card' });
  }
  const parsed = CardSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MedrexError(`model card field "${issue.path.join('.')}": ${issue.message}`, {
      file: cardPath,
      rule: 'model-card',
    });
  }
  const card = parsed.data;
  const weightsPath = join(dir, WEIGHTS_FILE);
  const rebuilt = modelFromCard(kernels, card, readWeightsFile(weightsPath).weights, { card: cardPath, weights: weightsPath });
  return { ...rebuilt, training: (card.training as TrainingRecord | null) ?? null };
}
