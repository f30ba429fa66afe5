/**
 * Disk and path errors: every verb checks its output location before any heavy work and reports a file, a path under
 * a file, or an unwritable location in one line (path, what failed, what to do), never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli/test-helpers/run-cli.js';
import { MedrexError } from './errors.js';
import { fsError } from './fs-errors.js';

let tmp: string;
let data: string;
let file: string;
let model: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'medrex-fs-errors-'));
  data = join(tmp, 'data');
  expect((await runCli(['synth', '--out', data, '--docs', '2'])).code).toBe(0);
  model = join(tmp, 'model');
  const tiny = join(tmp, 'tiny.json');
  writeFileSync(tiny, JSON.stringify({ hidden: 8, wordDim: 8, charFilters: 4, relHidden: 8 }));
  const trained = await runCli(['train', '--data', data, '--model', 'joint', '--out', model, '--config', tiny, '--epochs', '1', '--no-progress']);
  expect(trained.code).toBe(0);
  file = join(tmp, 'a-file');
  writeFileSync(file, 'not a folder');
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Argument lists of every writing verb with OUT as the output location (cheap inputs; none gets to heavy work). */
function verbs(out: string): string[][] {
  return [
    ['synth', '--out', out, '--docs', '2'],
    ['clean', 'DATA', out],
    ['train', '--data', 'DATA', '--model', 'joint', '--out', out, '--no-progress', '--epochs', '1'],
    ['predict', '--model', 'MODEL', '--in', 'DATA', '--out', out],
    ['study', '--out', out, '--no-progress', '--no-browser'],
  ];
}

/** The arguments with OUT and DATA filled in. */
function fill(args: string[], out: string): string[] {
  return args.map((a) => (a === 'OUT' ? out : a === 'DATA' ? data : a === 'MODEL' ? model : a));
}

function expectOneLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(/^medrex: error: [^\n]*\n$/);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toContain('internal error');
}

describe('output locations', () => {
  it.each(verbs('OUT').map((args) => [args[0], args]))('%s: an --out that is an existing file', async (_verb, args) => {
    const { code, stderr } = await runCli(fill(args, file));
    expect(code).toBe(1);
    expectOneLine(stderr, /a-file: .*(the output path is an existing file, not a folder; choose a folder path|exists and is not a directory) \[output-not-directory\]/);
  });

  it.each(verbs('OUT').map((args) => [args[0], args]))('%s: an --out under an existing file', async (_verb, args) => {
    const started = performance.now();
    const { code, stderr } = await runCli(fill(args, join(file, 'out')));
    expect(code).toBe(1);
    expectOneLine(stderr, /a-file.*: .*a part of the path is a file, not a folder \(ENOTDIR\); choose a path whose parents are folders \[fs-enotdir\]/);
    expect(performance.now() - started).toBeLessThan(5000); // nothing trained first
  });

  // Root may write anywhere, so a read-only location is a path under /sys (and /proc) when running as root.
  const root = process.getuid?.() === 0;
  it.each(verbs('OUT').map((args) => [args[0], args]))('%s: an unwritable --out', async (_verb, args) => {
    let out: string;
    if (root) out = join('/sys', 'medrex-test', 'out');
    else {
      const locked = join(tmp, `locked-${args[0]}`);
      mkdirSync(locked, { mode: 0o555 });
      out = join(locked, 'out');
    }
    const { code, stderr } = await runCli(fill(args, out));
    expect(code).toBe(1);
    expectOneLine(stderr, /cannot create the output folder: (permission denied|operation not permitted|the file system is read-only) \(E[A-Z]+\); choose a location/);
    expect(existsSync(out)).toBe(false);
  });

  it('a path under /proc gives one line instead of hanging (Node\'s recursive mkdir loops there)', async () => {
    const { code, stderr } = await runCli(['synth', '--out', '/proc/medrex-test/out', '--docs', '1']);
    expect(code).toBe(1);
    expectOneLine(stderr, /\/proc\/medrex-test: cannot create a folder here: this file system does not allow it \(ENOENT\)/);
  });
});

/** A tiny tmpfs to fill up, where this process may mount one (root with CAP_SYS_ADMIN); else null. */
function tinyDisk(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'medrex-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', dir]).status === 0;
  if (!mounted) rmSync(dir, { recursive: true });
  return mounted ? dir : null;
}

describe('a full disk', () => {
  const disk = tinyDisk();
  afterAll(() => {
    if (disk) {
      spawnSync('umount', [disk]);
      rmSync(disk, { recursive: true, force: true });
    }
  });
  it.skipIf(!disk)('synth and clean: one line, and the folder is left as it was (no partial output)', async () => {
    const out = join(disk!, 'corpus');
    const synth = await runCli(['synth', '--out', out, '--docs', '400']);
    expect(synth.code).toBe(1);
    expectOneLine(synth.stderr, /no space left on the device \(ENOSPC\); free some space or choose another location \[fs-enospc\]/);
    expect(readdirSync(out)).toEqual(['.medrex-output.json']);
    expect(JSON.parse(readFileSync(join(out, '.medrex-output.json'), 'utf8')).files).toEqual([]);
    // An earlier, smaller output survives a failed --force run whole (it is replaced only after the new one is written).
    expect((await runCli(['synth', '--out', out, '--docs', '2', '--force'])).code).toBe(0);
    const failed = await runCli(['synth', '--out', out, '--docs', '400', '--force']);
    expect(failed.code).toBe(1);
    expect(readdirSync(out).filter((f) => !f.startsWith('.')).sort()).toEqual(['100001.ann', '100001.txt', '100002.ann', '100002.txt']);
    expect(readdirSync(out).some((f) => f.startsWith('.medrex-staging'))).toBe(false);
  });
});

describe('fsError', () => {
  it.each([
    ['EACCES', /permission denied \(EACCES\); choose a location you can write to/],
    ['EROFS', /the file system is read-only \(EROFS\); choose a location on a writable file system/],
    ['ENOSPC', /no space left on the device \(ENOSPC\); free some space or choose another location/],
    ['ENOTDIR', /a part of the path is a file, not a folder \(ENOTDIR\)/],
    ['EEXIST', /it already exists \(EEXIST\); remove it or choose another name/],
    ['ENOENT', /it does not exist \(ENOENT\); check the path/],
  ])('turns %s into one line naming the path and what to do', (code, pattern) => {
    const raw = Object.assign(new Error(`${code}: something, open '/x/y'`), { code, syscall: 'open', path: '/x/y' });
    const err = fsError(raw) as MedrexError;
    expect(err).toBeInstanceOf(MedrexError);
    expect(err.describe()).toMatch(new RegExp(`^/x/y: cannot open: ${pattern.source}`));
    expect(err.rule).toBe(`fs-${code.toLowerCase()}`);
  });

  it('leaves other errors alone', () => {
    const bug = new TypeError('x is undefined');
    expect(fsError(bug)).toBe(bug);
  });
});
