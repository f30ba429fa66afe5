/**
 * Output folders with the user's files in them: a verb writes only into an empty folder or one it wrote before,
 * --force removes only what its manifest lists, and the user's notes.txt and sub/x.ann survive everything.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli/test-helpers/run-cli.js';
import { MedrexError } from './errors.js';
import { claimOutputFolder, MANIFEST_FILE, writeStaged } from './output-folder.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'medrex-outdir-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A folder holding the user's own files. */
function userFolder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'notes.txt'), 'my notes');
  writeFileSync(join(dir, 'sub', 'x.ann'), 'T1\tDrug 0 4\tmine\n');
  return dir;
}

function expectUserFilesKept(dir: string): void {
  expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes');
  expect(readFileSync(join(dir, 'sub', 'x.ann'), 'utf8')).toBe('T1\tDrug 0 4\tmine\n');
}

function errorOf(fn: () => unknown): MedrexError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MedrexError);
    return err as MedrexError;
  }
  throw new Error('expected an error');
}

describe('claimOutputFolder', () => {
  it('takes a new or empty folder and writes its manifest', () => {
    const folder = claimOutputFolder(join(tmp, 'a', 'b'), 'synth');
    expect(JSON.parse(readFileSync(join(tmp, 'a', 'b', MANIFEST_FILE), 'utf8'))).toEqual({ format: 'medrex-output', verb: 'synth', files: [] });
    folder.list(['x.txt', 'd/']);
    expect(folder.files()).toEqual(['d/', 'x.txt']);
  });

  it('refuses a folder holding files medrex did not write, even when forced', () => {
    const dir = userFolder('user');
    for (const options of [{}, { force: true }, { resume: true }]) {
      const err = errorOf(() => claimOutputFolder(dir, 'clean', options));
      expect(err.rule).toBe('output-not-empty');
      expect(err.describe()).toMatch(/not empty and medrex did not write it \(it holds notes\.txt, sub\)/);
    }
    expect(existsSync(join(dir, MANIFEST_FILE))).toBe(false);
    expectUserFilesKept(dir);
  });

  it('refuses another verb\'s folder, and its own without --force or resume', () => {
    const dir = join(tmp, 'out');
    claimOutputFolder(dir, 'synth').list(['a.txt']);
    expect(errorOf(() => claimOutputFolder(dir, 'clean', { force: true })).rule).toBe('output-other-verb');
    expect(errorOf(() => claimOutputFolder(dir, 'synth')).describe()).toMatch(/earlier `medrex synth` \(pass --force/);
    expect(claimOutputFolder(dir, 'synth', { resume: true }).files()).toEqual(['a.txt']);
  });

  it('with force removes only the listed files and listed folders left empty', async () => {
    const dir = join(tmp, 'out');
    const folder = claimOutputFolder(dir, 'synth');
    folder.list(['a.txt', 'sub/', 'sub/b.ann', 'gone/', 'gone/c.txt']);
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, 'gone'));
    for (const f of ['a.txt', 'sub/b.ann', 'gone/c.txt']) writeFileSync(join(dir, f), 'ours');
    // The user adds files afterwards.
    writeFileSync(join(dir, 'notes.txt'), 'my notes');
    writeFileSync(join(dir, 'sub', 'x.ann'), 'T1\tDrug 0 4\tmine\n');
    const again = claimOutputFolder(dir, 'synth', { force: true });
    expect(again.files()).toHaveLength(5); // removed only when the new output is written
    await writeStaged(again, async () => undefined);
    expect(again.files()).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, 'notes.txt', 'sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['x.ann']);
    expectUserFilesKept(dir);
  });

  it('never writes over a file it did not list', () => {
    const dir = join(tmp, 'out');
    const folder = claimOutputFolder(dir, 'predict');
    writeFileSync(join(dir, 'notes.txt'), 'my notes');
    expect(errorOf(() => folder.list(['notes.txt'])).rule).toBe('output-user-file');
    expect(folder.files()).toEqual([]);
  });

  it('leaves the folder as it was when a staged write fails', async () => {
    const dir = join(tmp, 'out');
    const folder = claimOutputFolder(dir, 'synth');
    mkdirSync(join(dir, '.medrex-staging-99999')); // left by a killed run
    writeFileSync(join(dir, '.medrex-staging-99999', 'half.txt'), 'x');
    await writeStaged(folder, async (staging) => writeFileSync(join(staging, 'old.txt'), 'old'));
    await expect(
      writeStaged(folder, async (staging) => {
        writeFileSync(join(staging, 'old.txt'), 'new');
        writeFileSync(join(staging, 'half.txt'), 'x');
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      }),
    ).rejects.toThrow(/no space left on the device \(ENOSPC\); free some space/);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, 'old.txt']);
    expect(readFileSync(join(dir, 'old.txt'), 'utf8')).toBe('old');
  });
});

describe('verbs and the user\'s files', () => {
  it('synth: refuses the user\'s folder (even with --force), and --force replaces only its own output', async () => {
    const user = userFolder('user');
    for (const extra of [[], ['--force']]) {
      const refused = await runCli(['synth', '--out', user, '--docs', '2', ...extra]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^medrex: error: .*user: the output folder is not empty and medrex did not write it .*\[output-not-empty\]\n$/);
    }
    expect(readdirSync(user).sort()).toEqual(['notes.txt', 'sub']);

    const out = join(tmp, 'synth');
    expect((await runCli(['synth', '--out', out, '--docs', '3'])).code).toBe(0);
    mkdirSync(join(out, 'sub'));
    writeFileSync(join(out, 'notes.txt'), 'my notes');
    writeFileSync(join(out, 'sub', 'x.ann'), 'T1\tDrug 0 4\tmine\n');
    const again = await runCli(['synth', '--out', out, '--docs', '1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[output-exists]');
    const forced = await runCli(['synth', '--out', out, '--docs', '1', '--force']);
    expect(forced.code).toBe(0);
    // The three earlier documents were removed (they were listed); the user's files stay.
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, '100001.ann', '100001.txt', 'notes.txt', 'sub']);
    expectUserFilesKept(out);
  });

  it('clean: --force never deletes the user\'s notes.txt or sub/x.ann', async () => {
    const input = join(tmp, 'in');
    expect((await runCli(['synth', '--out', input, '--docs', '3'])).code).toBe(0);
    const user = userFolder('user');
    const refused = await runCli(['clean', input, user, '--force']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[output-not-empty]');
    expectUserFilesKept(user);

    const out = join(tmp, 'cleaned');
    expect((await runCli(['clean', input, out, '--json'])).code).toBe(0);
    mkdirSync(join(out, 'sub'));
    writeFileSync(join(out, 'notes.txt'), 'my notes');
    writeFileSync(join(out, 'sub', 'x.ann'), 'T1\tDrug 0 4\tmine\n');
    const forced = await runCli(['clean', input, out, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout).output).toBe(out);
    expectUserFilesKept(out);
    expect(existsSync(join(out, '100001.ann'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'clean-report.json'), 'utf8')).output).toBe(out);
  });

  it('study and train: refuse a folder holding the user\'s report.md before any work', async () => {
    const dir = join(tmp, 'report');
    mkdirSync(dir);
    writeFileSync(join(dir, 'report.md'), '# my report');
    const study = await runCli(['study', '--out', dir, '--no-progress', '--no-browser']);
    expect(study.code).toBe(1);
    expect(study.stderr).toMatch(/report: the output folder is not empty and medrex did not write it \(it holds report\.md\)/);
    const data = join(tmp, 'data');
    expect((await runCli(['synth', '--out', data, '--docs', '2'])).code).toBe(0);
    const train = await runCli(['train', '--data', data, '--model', 'joint', '--out', dir, '--no-progress']);
    expect(train.code).toBe(1);
    expect(train.stderr).toContain('[output-not-empty]');
    expect(readdirSync(dir)).toEqual(['report.md']);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('# my report');
  });
});
