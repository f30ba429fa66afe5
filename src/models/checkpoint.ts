/**
 * Training checkpoints as one unit: a single file, MODEL_DIR/checkpoint.safetensors, holds the current weights
 * (`current.*`), the best weights (`best.*`), the optimiser moments (`optimizer.*`), the final weights of the
 * ensemble members already trained (`finished1.*`, `finished2.*`, ...; none for one network) and, in the safetensors
 * metadata, the training state (JSON) and a SHA-256 over the state and all tensor bytes. It is written atomically
 * (src/atomic-write.ts: temp file, fsync, rename), so a run killed at any moment leaves either the previous
 * checkpoint or the new one, and resuming from it ends with the same model as an uninterrupted run.
 *
 * A checkpoint that cannot be read (truncated, edited, hash mismatch) is refused with one line naming the file and
 * `--restart`; `discardCheckpoint` (what `medrex train --restart` does) removes it and nothing else.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { realFileOps, writeFileAtomic, type FileOps } from '../atomic-write.js';
import type { OptimizerState } from '../engine/optim.js';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../engine/safetensors.js';
import { MedrexError } from '../errors.js';
import { fsError } from '../fs-errors.js';
import type { Weights } from './weights.js';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
const FORMAT = 'medrex-checkpoint';
/** The folder of separate files older versions wrote; discarded with the checkpoint, never read. */
const LEGACY_DIR = 'checkpoint';
const LEGACY_FILES = ['state.json', 'current.safetensors', 'best.safetensors', 'optimizer.safetensors'];

export interface Checkpoint<S> {
  state: S;
  current: Weights;
  best: Weights;
  optimizer: OptimizerState;
  /** Final weights of the ensemble members trained before the current one (none for a single network). */
  finished?: readonly Weights[];
}

export function checkpointPath(outDir: string): string {
  return join(outDir, CHECKPOINT_FILE);
}

export function hasCheckpoint(outDir: string): boolean {
  return existsSync(checkpointPath(outDir));
}

function digest(stateJson: string, data: Uint8Array): string {
  return createHash('sha256').update(stateJson).update('\u0000').update(data).digest('hex');
}

/** Bytes of a checkpoint file (exported for tests). */
export function encodeCheckpoint<S>(checkpoint: Checkpoint<S>): Uint8Array {
  const tensors: NamedTensor[] = [];
  for (const [prefix, weights] of [['current', checkpoint.current], ['best', checkpoint.best]] as const) {
    for (const [name, t] of weights) tensors.push({ name: `${prefix}.${name}`, shape: t.shape, data: t.data });
  }
  for (const t of checkpoint.optimizer.tensors) tensors.push({ name: `optimizer.${t.name}`, shape: t.shape, data: t.data });
  (checkpoint.finished ?? []).forEach((weights, i) => {
    for (const [name, t] of weights) tensors.push({ name: `finished${i + 1}.${name}`, shape: t.shape, data: t.data });
  });
  const state = JSON.stringify({ state: checkpoint.state, optimizerSteps: checkpoint.optimizer.steps });
  const dataBytes = tensors.reduce((n, t) => n + 4 * t.data.length, 0);
  const unsigned = encodeSafetensors(tensors, { format: FORMAT, state });
  const sha256 = digest(state, unsigned.subarray(unsigned.length - dataBytes));
  return encodeSafetensors(tensors, { format: FORMAT, state, sha256 });
}

/** Writes the checkpoint atomically into `outDir` (`ops` is the fault-injection seam). */
export function writeCheckpoint<S>(outDir: string, checkpoint: Checkpoint<S>, ops: FileOps = realFileOps): void {
  writeFileAtomic(checkpointPath(outDir), encodeCheckpoint(checkpoint), ops);
}

function damaged(file: string, why: string): MedrexError {
  return new MedrexError(
    `the training checkpoint is damaged (${why}); run the same command with --restart to discard it and train from the start`,
    { file, rule: 'checkpoint-damaged' },
  );
}

/** The checkpoint in `outDir`, or null when there is none; a damaged one throws (see the module comment). */
export function readCheckpoint<S>(outDir: string): Checkpoint<S> | null {
  const file = checkpointPath(outDir);
  if (!existsSync(file)) return null;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw fsError(err, file, 'cannot read the training checkpoint');
  }
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(bytes, file);
  } catch (err) {
    throw damaged(file, err instanceof MedrexError ? err.message : String(err));
  }
  const { metadata, tensors } = decoded;
  if (metadata.format !== FORMAT || typeof metadata.state !== 'string') throw damaged(file, 'not a medrex checkpoint');
  const dataBytes = [...tensors.values()].reduce((n, t) => n + 4 * t.data.length, 0);
  if (digest(metadata.state, bytes.subarray(bytes.length - dataBytes)) !== metadata.sha256) {
    throw damaged(file, 'its SHA-256 does not match its contents');
  }
  let parsed: { state: S; optimizerSteps: number };
  try {
    parsed = JSON.parse(metadata.state) as { state: S; optimizerSteps: number };
  } catch {
    throw damaged(file, 'its state is not valid JSON');
  }
  const current: Weights = new Map();
  const best: Weights = new Map();
  const optimizer: OptimizerState = { steps: Number(parsed.optimizerSteps) || 0, tensors: [] };
  const finished: Weights[] = [];
  for (const [name, t] of tensors) {
    const dot = name.indexOf('.');
    const prefix = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    const member = /^finished([1-9][0-9]?)$/.exec(prefix);
    if (prefix === 'current') current.set(rest, t);
    else if (prefix === 'best') best.set(rest, t);
    else if (prefix === 'optimizer') optimizer.tensors.push({ name: rest, shape: t.shape, data: t.data });
    else if (member) (finished[Number(member[1]) - 1] ??= new Map()).set(rest, t);
    else throw damaged(file, `unexpected tensor ${name}`);
  }
  for (let i = 0; i < finished.length; i++) if (finished[i] === undefined) throw damaged(file, `finished member ${i + 1} is missing`);
  return { state: parsed.state, current, best, optimizer, finished };
}

/** Removes the checkpoint of `outDir` (and the folder older versions used); nothing else. */
export function discardCheckpoint(outDir: string): void {
  const paths = [checkpointPath(outDir), ...LEGACY_FILES.map((f) => join(outDir, LEGACY_DIR, f))];
  try {
    for (const path of paths) rmSync(path, { force: true });
  } catch (err) {
    throw fsError(err, outDir, 'cannot discard the training checkpoint');
  }
  try {
    rmdirSync(join(outDir, LEGACY_DIR));
  } catch {
    // absent, or holding other files: left alone
  }
}
