/**
 * Builds a model from the bytes of its two files (`model.json` text and `model.safetensors` bytes) without any
 * file system, so the same code runs in Node and in the browser (the viewer's in-browser mode fetches the files
 * from the server or reads files the user opened).
 *
 * The Node loader (`load.ts`) uses the models' own `readModel` instead; a test checks the two agree on predictions.
 */
import type { Kernels } from '../engine/kernels/types.js';
import { decodeSafetensors } from '../engine/safetensors.js';
import { MedrexError } from '../errors.js';
import type { Model } from '../models/model.js';
import { modelFromCard, type SavedCardFields } from '../models/from-card.js';
import { checkCardVersion, parseCardText, summarizeCard } from './card.js';
import { wrapModel } from './extraction.js';
import { checkFiniteWeights } from './finite-weights.js';
import type { MedrexModel } from './types.js';

export interface ModelFiles {
  /** Text of `model.json`. */
  cardText: string;
  /** Bytes of `model.safetensors`. */
  weights: Uint8Array;
  /** How to name the two files in error messages (default `model.json` / `model.safetensors`). */
  cardName?: string;
  weightsName?: string;
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

/** The fields prediction needs, checked by hand (the full schema lives with the Node loader in src/models). */
function savedCard(card: Record<string, unknown>, file: string): SavedCardFields {
  const vocab = card.vocab as Partial<SavedCardFields['vocab']> | undefined;
  const labels = card.labels as Partial<SavedCardFields['labels']> | undefined;
  const problem =
    typeof card.config !== 'object' || card.config === null
      ? 'config'
      : !vocab || !isStringArray(vocab.words) || !isStringArray(vocab.chars) || typeof vocab.normalize !== 'object'
        ? 'vocab'
        : !labels || !isStringArray(labels.entityTypes) || !isStringArray(labels.relationTypes) ||
            !Array.isArray(labels.argTypePairs) || (labels.symmetricTypes !== undefined && !isStringArray(labels.symmetricTypes))
          ? 'labels'
          : null;
  if (problem) throw new MedrexError(`model card field "${problem}" is missing or malformed`, { file, rule: 'model-card' });
  return card as unknown as SavedCardFields;
}

/** A ready model from its files' contents, computing on `kernels`. */
export function modelFromFiles(kernels: Kernels, files: ModelFiles): MedrexModel {
  const cardName = files.cardName ?? 'model.json';
  const weightsName = files.weightsName ?? 'model.safetensors';
  const raw = parseCardText(files.cardText, cardName);
  checkCardVersion(raw, cardName);
  const saved = savedCard(raw, cardName);
  const tensors = decodeSafetensors(files.weights, weightsName).tensors;
  const rebuilt = modelFromCard(kernels, saved, tensors, { card: cardName, weights: weightsName });
  const model: Model = { ...rebuilt, training: null };
  checkFiniteWeights(model, weightsName);
  return wrapModel(model, summarizeCard(raw));
}
