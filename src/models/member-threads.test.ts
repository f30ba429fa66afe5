/**
 * Ensemble members on threads of their own (train with shards >= 2, ./parallel/member-threads.ts): the model is
 * exactly the one a single thread trains, checkpoints live per member and resume, and a member's error reaches the
 * caller as the same one-line error. Needs `npm run build` (the workers run from dist/); skipped, saying why,
 * without it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/synth/index.js';
import type { MedrexError } from '../errors.js';
import { parseConfig, type ModelConfigInput } from './config.js';
import type { EpochRecord } from './model.js';
import type { train as trainFn, TrainOptions } from './train.js';
import { weightsOf } from './weights.js';

const distTrain = new URL('../../dist/models/train.js', import.meta.url);
const built = existsSync(distTrain) && existsSync(new URL('../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('ensemble-on-threads tests skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

const docs = generateCorpus({ docs: 8, seed: 3, length: 'short' });
const dev = generateCorpus({ docs: 3, seed: 4, length: 'short' });
const small: ModelConfigInput = {
  kind: 'joint', sharing: 'encoder', ensemble: 2, hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8, epochs: 3, patience: 0, batchSize: 6,
};

async function trainWith(threads: number, options: TrainOptions = {}, documents = docs) {
  const { train } = (await import(distTrain.href)) as { train: typeof trainFn };
  return train(documents, parseConfig(small), { devDocuments: dev, shards: threads, progress: false, ...options });
}

const withoutSeconds = (history: EpochRecord[]) => history.map(({ seconds: _seconds, ...rest }) => rest);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'medrex-member-threads-'));
  dirs.push(dir);
  return dir;
}

describe.skipIf(!built)('ensemble members on threads of their own', () => {
  it('trains exactly the model one thread trains, and says what arena each member needed', async () => {
    const one = await trainWith(1);
    const two = await trainWith(2);
    expect(weightsOf(two.model.members[1].params)).toEqual(weightsOf(one.model.members[1].params));
    expect(weightsOf(two.model.members[0].params)).toEqual(weightsOf(one.model.members[0].params));
    // The two members differ (their own seeds), so the comparison above is not of two copies of one network.
    expect(weightsOf(two.model.members[1].params)).not.toEqual(weightsOf(two.model.members[0].params));
    expect(withoutSeconds(two.history)).toEqual(withoutSeconds(one.history));
    expect(two.history.map((r) => r.member)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(two.model.training?.bestEpochs).toEqual(one.model.training?.bestEpochs);
    expect(Object.keys(two.model.training?.bestEpochs ?? {})).toEqual(['member1.joint', 'member2.joint']);
    expect(one.memberArenaPeakBytes).toBeNull();
    expect(two.memberArenaPeakBytes).toHaveLength(2);
    for (const bytes of two.memberArenaPeakBytes ?? []) expect(bytes).toBeGreaterThan(0);
  }, 120_000);

  it('keeps a checkpoint per member and resumes from them', async () => {
    const out = tempDir();
    const epochs: EpochRecord[] = [];
    const first = await trainWith(2, { outDir: out, onEpoch: (r) => epochs.push(r) });
    expect(first.resumed).toBe(false);
    expect(epochs.filter((r) => r.member === 2)).toHaveLength(3);
    for (const k of [1, 2]) expect(existsSync(join(out, 'members', `member-${k}`, 'checkpoint.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    const again = await trainWith(2, { outDir: out });
    expect(again.resumed).toBe(true);
    expect(weightsOf(again.model.members[1].params)).toEqual(weightsOf(first.model.members[1].params));
  }, 120_000);

  it('stops when the epoch callback throws, and the next call resumes the members from their checkpoints', async () => {
    const out = tempDir();
    const stop = new Error('interrupted by the caller');
    const error = await trainWith(2, {
      outDir: out,
      onEpoch: (r) => {
        if (r.member === 2 && r.epoch === 2) throw stop;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(stop);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    const resumed = await trainWith(2, { outDir: out });
    expect(resumed.resumed).toBe(true);
    const uninterrupted = await trainWith(1);
    expect(weightsOf(resumed.model.members[1].params)).toEqual(weightsOf(uninterrupted.model.members[1].params));
  }, 120_000);

  it("passes a member's one-line error on, naming the member's checkpoint (whichever member fails first)", async () => {
    const out = tempDir();
    await trainWith(2, { outDir: out });
    const other = generateCorpus({ docs: 8, seed: 9, length: 'short' });
    const error = await trainWith(2, { outDir: out }, other).catch((e: unknown) => e);
    // The dist build's MedrexError (not this file's class): the CLI prints it as one line by its fields.
    expect(error).toMatchObject({ name: 'MedrexError', rule: 'checkpoint-mismatch' });
    expect((error as MedrexError).file).toMatch(/members[/\\]member-[12][/\\]checkpoint\.safetensors$/);
  }, 120_000);
});
