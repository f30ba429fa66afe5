import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MedrexError } from '../errors.js';
import { childEntryPath, forkExecutor } from './fork-executor.js';
import type { RunJob } from './job.js';

/** Child entries written as plain .mjs files, so these tests need no build. */
function entry(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'medrex-fork-'));
  const path = join(dir, 'child.mjs');
  writeFileSync(path, source);
  return path;
}

const job = { spec: { id: 'x' }, corpusPath: '/nonexistent', reportDir: '/nonexistent' } as unknown as RunJob;

describe('forkExecutor', () => {
  it("passes the job to a child process and returns the child's reply", async () => {
    const path = entry(`process.once('message', (job) => process.send({ ok: true, recordPath: 'got ' + job.spec.id + ' in ' + process.pid }, () => process.exit(0)));`);
    const reply = await forkExecutor({ entry: path })(job);
    expect(reply.ok).toBe(true);
    // A different process did the work.
    expect(reply.ok && reply.recordPath).toMatch(/^got x in \d+$/);
    expect(reply.ok && reply.recordPath).not.toBe(`got x in ${process.pid}`);
  });

  it('a child that dies without replying is a failed run with its exit code and stderr, not a crashed study', async () => {
    const path = entry(`process.once('message', () => { process.stderr.write('out of memory, say\\n'); process.exit(3); });`);
    const reply = await forkExecutor({ entry: path })(job);
    expect(reply).toEqual({ ok: false, error: "the run's process exited with code 3 without a result:\nout of memory, say" });
  });

  it('finds the built child entry, or says to build first', () => {
    const fake = 'file:///repo/src/study/fork-executor.ts';
    const err = (() => {
      try {
        childEntryPath(fake);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(MedrexError);
    expect((err as MedrexError).file).toBe('/repo/dist/study/child.js');
    expect((err as MedrexError).rule).toBe('study-not-built');
  });
});
