import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptingFileOps, writeFileAtomic } from './atomic-write.js';
import { MedrexError } from './errors.js';

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-atomic-'));
    const file = join(dir, 'sub', 'a.txt');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.txt']);
  });

  it('leaves the old contents or the new ones when interrupted at any step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-atomic-'));
    const file = join(dir, 'a.txt');
    const counting = interruptingFileOps(Infinity);
    writeFileAtomic(join(dir, 'probe.txt'), 'x', counting);
    expect(counting.calls).toBeGreaterThanOrEqual(6);
    for (let step = 0; step < counting.calls; step++) {
      writeFileSync(file, 'old');
      const ops = interruptingFileOps(step);
      try {
        writeFileAtomic(file, 'new contents', ops);
      } catch {
        // interrupted
      }
      expect(['old', 'new contents']).toContain(readFileSync(file, 'utf8'));
    }
  });

  it('turns file-system errors into one line naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-atomic-'));
    writeFileSync(join(dir, 'plain'), 'I am a file');
    const target = join(dir, 'plain', 'a.txt');
    let error: unknown;
    try {
      writeFileAtomic(target, 'x');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MedrexError);
    expect((error as MedrexError).describe()).toMatch(/plain.*cannot write: .*(ENOTDIR|EEXIST)/);
    expect(existsSync(target)).toBe(false);
  });
});
