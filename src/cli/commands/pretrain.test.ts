import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWordVectors } from '../../models/vectors.js';
import { runCli } from '../test-helpers/run-cli.js';

describe('medrex pretrain', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-pretrain-'));
    mkdirSync(join(tmp, 'notes', 'sub'), { recursive: true });
    // Unannotated notes are welcome: pretraining reads text only.
    writeFileSync(join(tmp, 'notes', 'a.txt'), 'Aspirin 81 mg daily.\nHeparin 5000 units daily.\n'.repeat(20));
    writeFileSync(join(tmp, 'notes', 'sub', 'b.txt'), 'Warfarin 5 mg daily.\n'.repeat(20));
    writeFileSync(join(tmp, 'lines.txt'), 'Insulin 10 units daily.\n\nMetformin 500 mg daily.\n');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes normalised word vectors from folders and plain files, the same for the same seed', async () => {
    const run = (out: string) =>
      runCli(['pretrain', '--text', join(tmp, 'notes'), join(tmp, 'lines.txt'), '--out', out, '--dim', '8', '--epochs', '2', '--min-count', '1']);
    const first = await run(join(tmp, 'v1.txt'));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/wrote \d+ vectors of 8 dimensions .* from 4 text units/);
    const vectors = readWordVectors(join(tmp, 'v1.txt'));
    expect(vectors.dim).toBe(8);
    // The model's normalisation: lowercase, digits to 0.
    expect(vectors.vectors.has('aspirin')).toBe(true);
    expect(vectors.vectors.has('00')).toBe(true);
    expect(vectors.vectors.has('Aspirin')).toBe(false);
    await run(join(tmp, 'v2.txt'));
    expect(readFileSync(join(tmp, 'v2.txt'), 'utf8')).toBe(readFileSync(join(tmp, 'v1.txt'), 'utf8'));
  });

  it('keeps excluded documents out', async () => {
    writeFileSync(join(tmp, 'exclude.txt'), '# test documents\nsub/b\n');
    const out = join(tmp, 'v.txt');
    const result = await runCli(['pretrain', '--text', join(tmp, 'notes'), '--out', out, '--exclude', join(tmp, 'exclude.txt'), '--min-count', '1', '--dim', '4', '--epochs', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 excluded');
    expect(readWordVectors(out).vectors.has('warfarin')).toBe(false);
  });

  it('refuses to replace a file without --force and names a missing source', async () => {
    writeFileSync(join(tmp, 'mine.txt'), 'keep me');
    const refused = await runCli(['pretrain', '--text', join(tmp, 'notes'), '--out', join(tmp, 'mine.txt')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(tmp, 'mine.txt'), 'utf8')).toBe('keep me');
    const missing = await runCli(['pretrain', '--text', join(tmp, 'nowhere'), '--out', join(tmp, 'v.txt')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nowhere');
    expect(existsSync(join(tmp, 'v.txt'))).toBe(false);
  });

  it('names a bad flag value in one line', async () => {
    const bad = await runCli(['pretrain', '--text', join(tmp, 'notes'), '--out', join(tmp, 'v.txt'), '--dim', 'wide']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toBe('medrex: error: --dim must be a whole number from 1 to 4096, got "wide" [pretrain-bad-flag]\n');
  });
});
