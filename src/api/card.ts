/**
 * Checks a model card (`model.json`) before any weights are read, so that a wrong directory or a model written by
 * an incompatible medrex gives one clear message instead of a schema error deep inside the loader.
 *
 * Pure (no file system): the browser viewer checks cards it fetched or the user opened with the same code.
 */
import { MedrexError } from '../errors.js';
import type { ModelCard } from './types.js';

/** The card format this version of medrex reads (src/models/model.ts writes it). */
export const SUPPORTED_FORMAT = 'medrex-model';
export const SUPPORTED_FORMAT_VERSION = 1;

/** Parses the text of `model.json`; `file` names it in errors. */
export function parseCardText(text: string, file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new MedrexError(`model card is not valid JSON: ${(err as Error).message}`, { file, rule: 'model-card' });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MedrexError('model card must be a JSON object', { file, rule: 'model-card' });
  }
  return raw as Record<string, unknown>;
}

/**
 * Throws unless the card declares the format and version this medrex reads. The message says which version the
 * model has, which one is supported, and which medrex wrote it, so the user knows whether to upgrade or retrain.
 */
export function checkCardVersion(card: Record<string, unknown>, file: string): void {
  if (card.format !== SUPPORTED_FORMAT) {
    throw new MedrexError(
      `not a medrex model card (format is ${JSON.stringify(card.format)}, expected "${SUPPORTED_FORMAT}")`,
      { file, rule: 'model-format' },
    );
  }
  if (card.formatVersion !== SUPPORTED_FORMAT_VERSION) {
    const writer = typeof card.medrexVersion === 'string' ? ` (written by medrex ${card.medrexVersion})` : '';
    throw new MedrexError(
      `model format version ${JSON.stringify(card.formatVersion)}${writer} is not supported: this medrex reads ` +
        `version ${SUPPORTED_FORMAT_VERSION}; retrain the model or use a matching medrex`,
      { file, rule: 'model-version' },
    );
  }
}

/** The card users see: the saved card with its vocabularies replaced by their sizes. */
export function summarizeCard(card: Record<string, unknown>): ModelCard {
  const vocab = (card.vocab ?? {}) as { words?: unknown[]; chars?: unknown[] };
  const labels = (card.labels ?? {}) as { entityTypes?: string[]; relationTypes?: string[] };
  return {
    format: String(card.format),
    formatVersion: Number(card.formatVersion),
    medrexVersion: String(card.medrexVersion ?? 'unknown'),
    config: (card.config ?? {}) as Record<string, unknown>,
    labels: { entityTypes: [...(labels.entityTypes ?? [])], relationTypes: [...(labels.relationTypes ?? [])] },
    vocabulary: { words: vocab.words?.length ?? 0, chars: vocab.chars?.length ?? 0 },
    parameters: Number(card.parameters ?? 0),
    training: card.training ?? null,
  };
}
