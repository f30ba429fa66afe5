import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MedrexError } from '../../errors.js';
import { cleanBratDirectory, type CleanDirectoryReport } from './run.js';

/** Every file under `dir` with its bytes, as a sha256 over sorted paths and contents. */
function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(`${relative(dir, p)}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

//              0123456789012345678901234567
const NOTE = 'Gave aspirin, 81 mg for pain.\n';
const LEAK = 'Stopped warfarin after the bleed.\n';

/** A tiny split corpus with one case per file-level concern (line numbers below are the .ann lines). */
const CORPUS: Record<string, string> = {
  'annotation.conf': '[entities]\nDrug\nStrength\n',
  'train/1.txt': NOTE,
  'train/1.ann': [
    'T1\tDrug 5 13\taspirin,', // line 1: trailing comma trimmed
    'T2\tStrength 14 19\t81 mg',
    'T3\tDrug 5 12\taspirn', // line 3: text field wrong; then a duplicate of T1
    'R1\tStrength-Drug Arg1:T2 Arg2:T1',
    'R2\tStrength-Drug Arg1:T2 Arg2:T3', // line 5: duplicate of R1 once T3 is merged into T1
    '',
  ].join('\n'),
  'train/2.txt': LEAK,
  'train/2.ann': 'T1\tDrug 8 16\twarfarin\n',
  'test/1.txt': LEAK,
  'test/1.ann': 'T1\tDrug 8 16\twarfarin\n',
};

describe('cleanBratDirectory', () => {
  let tmp: string;
  let input: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-clean-'));
    input = join(tmp, 'in');
    write(input, CORPUS);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the cleaned copy, the config and the report, and leaves the input unchanged', async () => {
    const before = hashTree(input);
    const out = join(tmp, 'out');
    const report = await cleanBratDirectory(input, out);
    expect(hashTree(input)).toBe(before);

    expect(readFileSync(join(out, 'train/1.ann'), 'utf8')).toBe(
      'T1\tDrug 5 12\taspirin\nT2\tStrength 14 19\t81 mg\nR1\tStrength-Drug Arg1:T2 Arg2:T1\n',
    );
    expect(readFileSync(join(out, 'train/1.txt'), 'utf8')).toBe(NOTE);
    expect(readFileSync(join(out, 'test/1.ann'), 'utf8')).toBe(CORPUS['test/1.ann']);
    expect(readFileSync(join(out, 'annotation.conf'), 'utf8')).toBe(CORPUS['annotation.conf']);
    expect(readdirSync(join(out, 'train')).sort()).toEqual(['1.ann', '1.txt']); // the leaked train/2 is gone

    const where = (c: CleanDirectoryReport['changes'][number]): string =>
      `${c.rule} ${relative(input, c.file ?? '')}:${c.line ?? '-'} ${c.annotation ?? '-'}`;
    expect(report.changes.map(where)).toEqual([
      'text-mismatch train/1.ann:3 T3',
      'train-test-leak train/2.txt:- -',
      'trim-spans train/1.ann:1 T1',
      'duplicate-entities train/1.ann:3 T3',
      'duplicate-relations train/1.ann:5 R2',
    ]);
    expect(report.documentsIn).toBe(3);
    expect(report.documentsOut).toBe(2);
    const onDisk = JSON.parse(readFileSync(join(out, 'clean-report.json'), 'utf8')) as CleanDirectoryReport;
    expect(onDisk.totals).toEqual(report.totals);
    expect(onDisk.changes).toHaveLength(5);
  });

  it('is idempotent on disk: cleaning the output again changes nothing', async () => {
    const once = join(tmp, 'once');
    const twice = join(tmp, 'twice');
    await cleanBratDirectory(input, once);
    const again = await cleanBratDirectory(once, twice);
    expect(again.changes).toEqual([]);
    rmSync(join(once, 'clean-report.json'));
    rmSync(join(twice, 'clean-report.json'));
    expect(hashTree(twice)).toBe(hashTree(once));
  });

  it('respects disabled rules', async () => {
    const out = join(tmp, 'out');
    const report = await cleanBratDirectory(input, out, { disabled: ['train-test-leak', 'text-mismatch'] });
    expect(readdirSync(join(out, 'train')).sort()).toEqual(['1.ann', '1.txt', '2.ann', '2.txt']);
    expect(report.totals['train-test-leak']).toBe(0);
    expect(report.totals['text-mismatch']).toBe(0);
  });

  it('refuses an output directory that is, is inside, or contains the input', async () => {
    const before = hashTree(input);
    const rule = async (out: string): Promise<string | undefined> => {
      try {
        await cleanBratDirectory(input, out, { force: true });
      } catch (err) {
        if (err instanceof MedrexError) return err.rule;
        throw err;
      }
      return undefined;
    };
    expect(await rule(input)).toBe('clean-output-is-input');
    expect(await rule(join(input, 'cleaned'))).toBe('clean-output-inside-input');
    expect(await rule(tmp)).toBe('clean-output-contains-input');
    symlinkSync(input, join(tmp, 'alias'));
    expect(await rule(join(tmp, 'alias', 'sub'))).toBe('clean-output-inside-input');
    expect(hashTree(input)).toBe(before);
  });

  it('refuses a non-empty output directory unless forced, and then deletes nothing', async () => {
    // (medrex clean removes an earlier run's stale files through its manifest: src/output-folder.ts.)
    const out = join(tmp, 'out');
    write(out, { 'train/old.txt': 'stale', 'train/old.ann': '', 'notes.md': 'mine' });
    await expect(cleanBratDirectory(input, out)).rejects.toThrow(/not empty \(use --force/);
    await cleanBratDirectory(input, out, { force: true });
    expect(readdirSync(join(out, 'train')).sort()).toEqual(['1.ann', '1.txt', 'old.ann', 'old.txt']);
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toBe('mine');
  });

  it('names a missing input directory', async () => {
    await expect(cleanBratDirectory(join(tmp, 'nope'), join(tmp, 'out'))).rejects.toMatchObject({
      rule: 'input-not-found',
    });
  });
});
