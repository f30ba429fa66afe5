import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MedrexError } from '../errors.js';
import { readTrainingInput } from './corpus-input.js';
import { runCli } from './test-helpers/run-cli.js';

describe('training input', () => {
  let tmp: string;
  const doc = (dir: string, name: string, bad = false): void => {
    mkdirSync(join(tmp, dir), { recursive: true });
    writeFileSync(join(tmp, dir, `${name}.txt`), 'Took Lasix.\n');
    writeFileSync(join(tmp, dir, `${name}.ann`), bad ? 'T1\tDrug 5 10\tLasik\n' : 'T1\tDrug 5 10\tLasix\n');
  };
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-corpus-input-'));
    doc('corpus/Train', 'a');
    doc('corpus/Train', 'b');
    doc('corpus/Test', 'c');
    doc('corpus/Devel', 'd');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('--data with a capitalised split trains on the train part, stops early on the dev part, leaves test out', async () => {
    const input = await readTrainingInput({ data: join(tmp, 'corpus') }, 'r');
    expect(input.train.map((d) => d.id)).toEqual(['Train/a', 'Train/b']);
    expect(input.dev?.map((d) => d.id)).toEqual(['Devel/d']);
    expect(input.note).toContain('training on its 2 train documents, 1 dev documents for early stopping; its 1 test documents are left out');
  });

  it('--train and --dev give the parts; one of --data and --train is required', async () => {
    const input = await readTrainingInput({ train: join(tmp, 'corpus', 'Train'), dev: join(tmp, 'corpus', 'Test') }, 'r');
    expect(input.train.map((d) => d.id)).toEqual(['a', 'b']);
    expect(input.dev?.map((d) => d.id)).toEqual(['c']);
    await expect(readTrainingInput({}, 'r')).rejects.toThrow(MedrexError);
    await expect(readTrainingInput({ data: tmp, train: tmp }, 'r')).rejects.toThrow(/--data DIR or as --train DIR/);
  });

  it('--lenient skips a bad line, reported; strict stops with the hint', async () => {
    doc('corpus/Train', 'e', true);
    const err = await readTrainingInput({ data: join(tmp, 'corpus') }, 'r').catch((e: unknown) => e);
    expect((err as MedrexError).describe()).toMatch(/e\.ann:1: .*\[text-mismatch\]; run `medrex clean .* CLEAN_DIR` for a repaired copy, or pass --lenient/);
    const input = await readTrainingInput({ data: join(tmp, 'corpus'), lenient: true }, 'r');
    expect(input.train).toHaveLength(3);
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringMatching(/^medrex: warning: .*e\.ann:1: .*\[text-mismatch\]\n$/));
  });
});

describe('medrex study: split flags', () => {
  it('--train needs --test, and neither goes with --data (checked before anything is read)', async () => {
    const lone = await runCli(['study', '--out', '/nonexistent/out', '--train', 'x']);
    expect(lone.code).toBe(1);
    expect(lone.stderr).toBe('medrex: error: --train and --test go together (and --dev needs both) [study-bad-flag]\n');
    const both = await runCli(['study', '--out', '/nonexistent/out', '--train', 'x', '--test', 'y', '--data', 'z']);
    expect(both.stderr).toContain('either as --data DIR or as --train DIR --test DIR [--dev DIR]');
  });
});
