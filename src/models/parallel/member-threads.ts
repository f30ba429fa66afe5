/**
 * Ensemble members trained at the same time, one worker thread each (`train` with threads >= 2 and an ensemble).
 *
 * Why members and not data-parallel shards: a member's batches are small (8 sentences), so a step is a chain of
 * small matrix products whose cost is latency, not arithmetic; cutting such a batch in two and adding the
 * gradients back saves little (on ADE, 2 shards trained about 10% faster than 1). Members are independent
 * networks, so two threads train two members in about the time of one.
 *
 * Each member is a whole single-network training (`train` with the member's config: its seed, one member, one
 * shard) in a worker with kernels of its own, so a member's weights are exactly those it gets when the members train
 * one after the other on one thread: the thread count never changes the model. With `outDir`, member k keeps its
 * checkpoint in `outDir/members/member-k/`, so an interrupted run resumes every member where it stopped.
 *
 * Node only: the worker entry is `member-worker.js` next to this file (the compiled `dist/`).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Document } from '../../corpus/types.js';
import type { TrainingBackend } from '../../engine/kernels/load.js';
import { MedrexError } from '../../errors.js';
import type { ModelConfig } from '../config.js';
import type { EpochRecord } from '../model.js';
import type { Weights } from '../weights.js';

/** Folder of the members' own checkpoints inside a training's output folder. */
export const MEMBERS_DIR = 'members';

export function memberDir(outDir: string, index: number): string {
  return join(outDir, MEMBERS_DIR, `member-${index + 1}`);
}

/** What a member worker is started with (structured-cloned). */
export interface MemberWorkerData {
  documents: readonly Document[];
  devDocuments: readonly Document[];
  /** The member's own config: its seed, `ensemble` 1. */
  config: ModelConfig;
  backend: TrainingBackend;
  outDir: string | null;
  restart: boolean;
}

/** Messages from a member worker. */
export type MemberMessage =
  | { kind: 'epoch'; record: EpochRecord }
  | {
      kind: 'done';
      weights: Weights;
      history: EpochRecord[];
      bestEpochs: Record<string, number>;
      /** Arena bytes at the member's peak (its training and the dev predictions). */
      peakBytes: number;
      /** The member continued from its checkpoint. */
      resumed: boolean;
    }
  | { kind: 'error'; message: string; medrex: { file?: string; line?: number; rule?: string; hint?: string } | null };

export interface MemberResult {
  weights: Weights;
  /** Epoch records and best epochs as a single network's (no member label). */
  history: EpochRecord[];
  bestEpochs: Record<string, number>;
  peakBytes: number;
  resumed: boolean;
}

export interface MemberThreadsOptions {
  threads: number;
  backend: TrainingBackend;
  devDocuments: readonly Document[];
  outDir: string | null;
  restart: boolean;
  /** Called (on this thread) as each member finishes an epoch; `member` is 0-based. Throwing stops the training. */
  onEpoch?: (member: number, record: EpochRecord) => void;
}

/**
 * Trains every member config on worker threads, at most `threads` at once, in member order; results in member
 * order. The first failure is thrown once the members already running have stopped (a MedrexError stays one).
 */
export async function trainMembersOnThreads(
  documents: readonly Document[],
  configs: readonly ModelConfig[],
  options: MemberThreadsOptions,
): Promise<MemberResult[]> {
  const results: MemberResult[] = new Array(configs.length);
  let next = 0;
  let failure: unknown = null;
  const running = new Set<Worker>();
  const runner = async (): Promise<void> => {
    while (next < configs.length && failure === null) {
      const index = next++;
      try {
        results[index] = await trainOne(documents, configs[index], index, options, running);
      } catch (error) {
        failure ??= error;
        // The ensemble cannot be finished: stop the other members now rather than after their last epoch.
        for (const worker of running) void worker.terminate();
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.threads, configs.length));
  await Promise.all(Array.from({ length: concurrency }, runner));
  if (failure !== null) throw failure;
  return results;
}

function trainOne(
  documents: readonly Document[], config: ModelConfig, index: number, options: MemberThreadsOptions, running: Set<Worker>,
): Promise<MemberResult> {
  const data: MemberWorkerData = {
    documents,
    devDocuments: options.devDocuments,
    config,
    backend: options.backend,
    outDir: options.outDir === null ? null : memberDir(options.outDir, index),
    restart: options.restart,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./member-worker.js', import.meta.url), { workerData: data });
    running.add(worker);
    let settled = false;
    const settle = (fn: () => void) => {
      running.delete(worker);
      if (settled) return;
      settled = true;
      fn();
    };
    worker.on('message', (message: MemberMessage) => {
      if (message.kind === 'epoch') {
        // As on one thread, a callback that throws interrupts training (the epoch's checkpoint is already written).
        try {
          options.onEpoch?.(index, message.record);
        } catch (error) {
          settle(() => reject(error));
          void worker.terminate();
        }
      } else if (message.kind === 'done') {
        const { weights, history, bestEpochs, peakBytes, resumed } = message;
        settle(() => resolve({ weights, history, bestEpochs, peakBytes, resumed }));
      } else {
        settle(() => reject(message.medrex ? new MedrexError(message.message, message.medrex) : new Error(`ensemble member ${index + 1}: ${message.message}`)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`ensemble member ${index + 1}: its training thread stopped (exit code ${code}) before it finished`))),
    );
  });
}
