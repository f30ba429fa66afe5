import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';
import { useTinyModel } from '../../server/test-helpers/models.js';

/** Runs the CLI, capturing stderr as it is written (the serve verb prints its URL there, then keeps running). */
function start(args: string[]): { done: Promise<number>; stderr: () => string; restore: () => void } {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  return { done: main(args), stderr: () => stderr, restore: () => err.mockRestore() };
}

const fixture = useTinyModel('medrex-serve-cli-', 4);

describe('medrex serve', () => {
  it('rejects a bad port with a one-line error naming the rule', async () => {
    const run = start(['serve', '--model', fixture.modelDir(), '--port', '80a']);
    try {
      expect(await run.done).toBe(1);
      expect(run.stderr()).toBe('medrex: error: --port must be an integer from 0 to 65535, got "80a" [serve-bad-flag]\n');
    } finally {
      run.restore();
    }
  });

  it.each([
    ['--workers', 'two', 'an integer from 0 to 64'],
    ['--max-text-chars', '0', 'an integer from 1 to'],
    ['--extract-timeout', '0', 'an integer from 1 to 86400'],
    ['--request-timeout', '1.5', 'an integer from 1 to 3600'],
  ])('rejects %s %s with a one-line error', async (flag, value, expected) => {
    const run = start(['serve', '--model', fixture.modelDir(), '--port', '0', flag, value]);
    try {
      expect(await run.done).toBe(1);
      expect(run.stderr().startsWith(`medrex: error: ${flag} must be ${expected}`), run.stderr()).toBe(true);
      expect(run.stderr()).toMatch(/, got "[^"]*" \[serve-bad-flag\]\n$/);
    } finally {
      run.restore();
    }
  });

  it('rejects a missing model directory', async () => {
    const run = start(['serve', '--model', join(fixture.root(), 'absent'), '--port', '0']);
    try {
      expect(await run.done).toBe(1);
      expect(run.stderr()).toContain('model directory does not exist [model-missing-file]');
    } finally {
      run.restore();
    }
  });

  it('serves until SIGTERM, then exits 0', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const run = start(['serve', '--model', fixture.modelDir(), '--port', '0']);
    try {
      await vi.waitFor(() => expect(run.stderr()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/), { timeout: 10_000 });
      const url = /listening on (\S+) /.exec(run.stderr())![1];
      expect(((await (await fetch(`${url}/health`)).json()) as { status: string }).status).toBe('ok');
      const handler = process.listeners('SIGTERM').find((l) => !before.has(l))!;
      handler('SIGTERM');
      expect(await run.done).toBe(0);
      expect(run.stderr()).toContain('SIGTERM: finishing in-flight requests');
    } finally {
      run.restore();
    }
  });
});
