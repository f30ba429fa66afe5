/**
 * Weights on disk: named float32 tensors in safetensors files (format and validation from src/engine), written
 * atomically (temp file + rename) so that an interrupted save never leaves a half-written model or checkpoint.
 * Read weights go into a model through the engine's `loadParameters` (names and shapes checked), and only that.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { decodeSafetensors, encodeSafetensors } from '../engine/safetensors.js';
import { MedrexError } from '../errors.js';
import type { Weights } from './weights.js';


export function writeWeightsFile(path: string, weights: Weights, metadata: Record<string, string> = {}): void {
  const bytes = encodeSafetensors(
    [...weights].map(([name, t]) => ({ name, shape: t.shape, data: t.data })),
    metadata,
  );
  const temp = `${path}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
}

export function readWeightsFile(path: string): { weights: Weights; metadata: Record<string, string> } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new MedrexError('weights file not found or unreadable', { file: path, rule: 'model-missing-file' });
  }
  const contents = decodeSafetensors(bytes, path);
  return { weights: contents.tensors, metadata: contents.metadata };
}
