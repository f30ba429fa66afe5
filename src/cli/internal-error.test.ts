import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeInternalError } from './internal-error.js';

describe('describeInternalError', () => {
  it('prints one line with advice and puts the stack in a log file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-internal-'));
    try {
      const line = describeInternalError(new RangeError('out of engine memory: need 2731980528 bytes'), dir);
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toMatch(/^medrex: internal error: out of engine memory.*smaller batchSize/);
      const file = /details in (\S+)\)$/.exec(line)?.[1] ?? '';
      expect(readFileSync(file, 'utf8')).toContain('RangeError: out of engine memory');
      expect(describeInternalError(new TypeError('x is undefined'), dir)).toContain('bug in medrex');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
