/**
 * Checkpoints are one unit: a training run whose checkpoint write is interrupted at every step (through the
 * FileOps seam) resumes to exactly the model of an uninterrupted run; a damaged checkpoint gives one line naming
 * the file and --restart; `restart` discards it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { interruptingFileOps } from '../atomic-write.js';
import { generateCorpus } from '../corpus/synth/index.js';
import type { Kernels } from '../engine/kernels/types.js';
import { MedrexError } from '../errors.js';
import { checkpointPath, hasCheckpoint, readCheckpoint } from './checkpoint.js';
import { parseConfig } from './config.js';
import { WEIGHTS_FILE } from './model.js';
import { defaultKernels } from '../engine/kernels/load.js';
import { train } from './train.js';

const docs = generateCorpus({ docs: 5, seed: 4 });
const trainDocs = docs.slice(0, 4);
const dev = docs.slice(4);
const config = parseConfig({
  kind: 'pipeline',
  sharing: 'none',
  hidden: 8,
  wordDim: 8,
  charFilters: 4,
  relHidden: 8,
  epochs: 1,
  patience: 0,
  // One network: these tests count its checkpoint writes (ensemble.test.ts interrupts an ensemble's).
  ensemble: 1,
});

let kernels: Kernels;
let wholeDir: string;
let opsPerRun: number;
beforeAll(async () => {
  kernels = await defaultKernels();
  wholeDir = mkdtempSync(join(tmpdir(), 'medrex-ckpt-whole-'));
  const counting = interruptingFileOps(Infinity);
  await train(trainDocs, config, { kernels, devDocuments: dev, outDir: wholeDir, progress: false, checkpointFileOps: counting });
  opsPerRun = counting.calls;
});

function expectOneLine(err: unknown, pattern: RegExp): void {
  expect(err).toBeInstanceOf(MedrexError);
  const line = (err as MedrexError).describe();
  expect(line).not.toContain('\n');
  expect(line).toMatch(pattern);
}

describe('training checkpoints', () => {
  it('resume to the uninterrupted model after an interruption at every step of every checkpoint write', async () => {
    // NER epoch, the phase boundary, RE epoch: 3 writes of 9 operations (mkdir, open, write, fsync, close, rename,
    // and open, fsync, close of the folder).
    expect(opsPerRun).toBe(27);
    const expected = readFileSync(join(wholeDir, WEIGHTS_FILE));
    for (let step = 0; step < opsPerRun; step++) {
      const dir = mkdtempSync(join(tmpdir(), 'medrex-ckpt-cut-'));
      const ops = interruptingFileOps(step);
      const outcome = await train(trainDocs, config, { kernels, devDocuments: dev, outDir: dir, progress: false, checkpointFileOps: ops }).then(
        () => null,
        (e: unknown) => e,
      );
      // Only a cut in the last write's folder flush (open, fsync, close; after its rename) lets the run finish.
      if (outcome === null) expect(step).toBeGreaterThanOrEqual(opsPerRun - 3);
      else expect(String(outcome)).toMatch(/simulated interruption/);
      // What is on disk now is a whole checkpoint (the old or the new one) or none at all.
      if (hasCheckpoint(dir)) expect(readCheckpoint(dir)).not.toBeNull();
      const resumed = await train(trainDocs, config, { kernels, devDocuments: dev, outDir: dir, progress: false });
      expect(readFileSync(join(dir, WEIGHTS_FILE)).equals(expected), `interrupted at operation ${step}`).toBe(true);
      expect(resumed.history.map((r) => `${r.phase}${r.epoch}`)).toEqual(['ner1', 're1']);
    }
  }, 300_000);

  it('refuses a damaged checkpoint with one line naming the file and --restart, and --restart discards it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-ckpt-bad-'));
    await expect(
      train(trainDocs, config, {
        kernels,
        outDir: dir,
        progress: false,
        onEpoch: () => {
          throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
    const file = checkpointPath(dir);
    const bytes = readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0xff;
    for (const damaged of [flipped, bytes.subarray(0, bytes.length - 100), Buffer.from('{"state": 1}')]) {
      writeFileSync(file, damaged);
      const err = await train(trainDocs, config, { kernels, outDir: dir, progress: false }).catch((e: unknown) => e);
      expectOneLine(err, /checkpoint\.safetensors: the training checkpoint is damaged .*--restart.*\[checkpoint-damaged\]/);
    }
    const fresh = await train(trainDocs, config, { kernels, outDir: dir, progress: false, restart: true });
    expect(fresh.resumed).toBe(false);
    expect(fresh.history).toHaveLength(2);
  }, 60_000);

  it('refuses a checkpoint made with another config, pointing at --restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-ckpt-other-'));
    const one = parseConfig({ ...config, epochs: 1, kind: 'joint', sharing: 'encoder' });
    await train(trainDocs.slice(0, 2), one, { kernels, outDir: dir, progress: false });
    const err = await train(trainDocs.slice(0, 2), { ...one, hidden: 4 }, { kernels, outDir: dir, progress: false }).catch(
      (e: unknown) => e,
    );
    expectOneLine(err, /other data or another config.*--restart/);
  }, 60_000);

  it('resumes the weight average too: an interrupted run with averaging ends on the uninterrupted model', async () => {
    const averaged = parseConfig({ ...config, kind: 'joint', sharing: 'encoder', epochs: 3, averageDecay: 0.9 });
    const whole = mkdtempSync(join(tmpdir(), 'medrex-ckpt-avg-whole-'));
    await train(trainDocs, averaged, { kernels, devDocuments: dev, outDir: whole, progress: false });
    const dir = mkdtempSync(join(tmpdir(), 'medrex-ckpt-avg-cut-'));
    // Epoch 1's checkpoint write (9 operations) completes; epoch 2's is cut in the middle.
    const err = await train(trainDocs, averaged, { kernels, devDocuments: dev, outDir: dir, progress: false, checkpointFileOps: interruptingFileOps(13) }).catch(
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/simulated interruption/);
    expect(readCheckpoint(dir)).not.toBeNull();
    const resumed = await train(trainDocs, averaged, { kernels, devDocuments: dev, outDir: dir, progress: false });
    expect(resumed.resumed).toBe(true);
    expect(readFileSync(join(dir, WEIGHTS_FILE)).equals(readFileSync(join(whole, WEIGHTS_FILE)))).toBe(true);
  }, 60_000);

  it('averaging never feeds back into training: the live weights are those of a run without it', async () => {
    const live = async (averageDecay: number) => {
      const dir = mkdtempSync(join(tmpdir(), 'medrex-ckpt-avg-live-'));
      const joint = parseConfig({ ...config, kind: 'joint', sharing: 'encoder', epochs: 2, averageDecay });
      await train(trainDocs, joint, { kernels, devDocuments: dev, outDir: dir, progress: false });
      return readCheckpoint(dir)!.current;
    };
    const [plain, averaged] = [await live(0), await live(0.9)];
    expect([...averaged.keys()]).toEqual([...plain.keys()]);
    for (const [name, t] of plain) expect(Buffer.from(averaged.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
  }, 60_000);
});
