/**
 * The flags that say how runs train, shared by `medrex train` and `medrex study`: `--threads` (an ensemble's members
 * side by side, or a network's batches cut in shards) and `--backend` (where matrix products run). One parser, one message for both verbs.
 */
import { availableParallelism } from 'node:os';
import { MedrexError } from '../errors.js';
import { isTrainingBackend, TRAINING_BACKENDS, type TrainingBackend } from '../engine/kernels/load.js';

/** Most threads accepted: each worker reserves a region of the engine's 4 GiB memory (engine/parallel/shard-pool.ts). */
export const MAX_THREADS = 8;

/** A whole number from 1 to MAX_THREADS, or (where `auto` is allowed) every core up to that. */
export function parseThreads(raw: string, rule: string, options: { auto?: boolean } = {}): number {
  if (options.auto && raw === 'auto') return Math.min(availableParallelism(), MAX_THREADS);
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    const what = `a whole number from 1 to ${MAX_THREADS}${options.auto ? ' or "auto"' : ''}`;
    throw new MedrexError(`--threads must be ${what}, got ${JSON.stringify(raw)}`, { rule });
  }
  return n;
}

export function parseBackend(raw: string, rule: string): TrainingBackend {
  if (!isTrainingBackend(raw)) throw new MedrexError(`--backend must be ${TRAINING_BACKENDS.join(' or ')}, got ${JSON.stringify(raw)}`, { rule });
  return raw;
}
