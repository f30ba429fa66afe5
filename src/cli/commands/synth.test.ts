import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../output-folder.js';
import { runCli } from '../test-helpers/run-cli.js';

const run = runCli;

describe('medrex synth', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-synth-cli-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes N documents as .txt/.ann pairs and prints one summary line', async () => {
    const out = join(tmp, 'corpus');
    const { code, stdout, stderr } = await run(['synth', '--out', out, '--docs', '3', '--seed', '5']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readdirSync(out).filter((f) => f !== MANIFEST_FILE).sort()).toEqual([
      '100001.ann', '100001.txt', '100002.ann', '100002.txt', '100003.ann', '100003.txt',
    ]);
    expect(stdout).toMatch(/^medrex synth: wrote 3 documents to .*corpus with seed 5: \d+ entities, \d+ relations\n$/);
    expect(readFileSync(join(out, '100001.ann'), 'utf8')).toMatch(/^T1\t\w+ \d+ \d+/);
  });

  it('writes long notes by default and short ones with --length short', async () => {
    const long = await run(['synth', '--out', join(tmp, 'long'), '--docs', '1']);
    const short = await run(['synth', '--out', join(tmp, 'short'), '--docs', '1', '--length', 'short']);
    const entities = (out: string) => Number(/(\d+) entities/.exec(out)?.[1]);
    expect(entities(long.stdout)).toBeGreaterThan(200);
    expect(entities(short.stdout)).toBeLessThan(200);
  });

  it('writes the same bytes for the same seed', async () => {
    await run(['synth', '--out', join(tmp, 'a'), '--docs', '2', '--seed', '9']);
    await run(['synth', '--out', join(tmp, 'b'), '--docs', '2', '--seed', '9']);
    for (const f of ['100001.txt', '100001.ann', '100002.ann']) {
      expect(readFileSync(join(tmp, 'b', f), 'utf8')).toBe(readFileSync(join(tmp, 'a', f), 'utf8'));
    }
  });

  it('splits 80/20 into train/ and test/ with --split', async () => {
    const out = join(tmp, 'split');
    const { code, stdout } = await run(['synth', '--out', out, '--docs', '10', '--split']);
    expect(code).toBe(0);
    expect(readdirSync(out).filter((f) => f !== MANIFEST_FILE).sort()).toEqual(['test', 'train']);
    expect(readdirSync(join(out, 'train')).filter((f) => f.endsWith('.txt'))).toHaveLength(8);
    expect(readdirSync(join(out, 'test')).sort()).toEqual(['100009.ann', '100009.txt', '100010.ann', '100010.txt']);
    expect(stdout).toMatch(/wrote 10 documents \(train 8, test 2\)/);
  });

  it('refuses a folder holding files it did not write, even with --force', async () => {
    const out = join(tmp, 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    for (const extra of [[], ['--force']]) {
      const refused = await run(['synth', '--out', out, '--docs', '1', ...extra]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^medrex: error: .*busy: the output folder is not empty and medrex did not write it .*\[output-not-empty\]\n$/);
    }
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it.each([
    [['--docs', 'ten'], /--docs must be a whole number from 1 to 1000000, got "ten" \[synth-bad-flag\]/],
    [['--docs', '2.5'], /--docs must be a whole number .* got "2\.5"/],
    [['--docs', '0'], /--docs must be a whole number from 1 /],
    [['--seed', '-3'], /--seed must be a whole number from 0 to 4294967295, got "-3"/],
    [['--docs', '1', '--split'], /--split needs at least 2 documents .*\[synth-split-too-small\]/],
    [['--length', 'medium'], /--length must be long or short, got "medium" \[synth-bad-flag\]/],
  ])('rejects bad flags %j with a one-line error and writes nothing', async (flags, message) => {
    const out = join(tmp, 'never');
    const { code, stderr } = await run(['synth', '--out', out, ...flags]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')).toHaveLength(2); // one line plus the final newline: no stack trace
    expect(() => readdirSync(out)).toThrow();
  });
});
