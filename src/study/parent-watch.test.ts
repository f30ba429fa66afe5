/**
 * A run's child process dies with its parent, promptly, even while it computes without yielding (mid-epoch): the
 * parent is SIGKILLed (no clean-up can run) and the child must be gone within a few seconds. Uses the compiled
 * dist/study/parent-watch.js (`npm run build`); skipped, saying why, without it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dist = new URL('../../dist/study/parent-watch.js', import.meta.url);
const built = existsSync(dist);
if (!built) console.warn('parent-watch test skipped: run `npm run build` (needs dist/study/parent-watch.js)');

/** Alive and not a zombie (a re-parented zombie may never be reaped in a container). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return process.platform !== 'linux';
    } catch {
      return false;
    }
  }
}

async function childOutlivesParentBy(thread: boolean): Promise<{ kind: string; ms: number }> {
  const child = `
    import { watchParent } from ${JSON.stringify(dist.href)};
    const watch = watchParent(100, { thread: ${thread} });
    process.send({ pid: process.pid, kind: watch.kind });
    const end = Date.now() + 60_000;
    while (Date.now() < end) {} // busy, like an epoch: the event loop never turns
  `;
  const parent = `
    import { spawn } from 'node:child_process';
    const c = spawn(process.execPath, ['--input-type=module', '-e', ${JSON.stringify(child)}], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    c.on('message', (m) => process.stdout.write(JSON.stringify(m) + '\\n'));
    setInterval(() => undefined, 1000);
  `;
  const p = spawn(process.execPath, ['--input-type=module', '-e', parent], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<{ pid: number; kind: string }>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
    });
    p.on('exit', () => reject(new Error('parent exited early')));
  });
  p.kill('SIGKILL');
  const killed = performance.now();
  while (alive(first.pid) && performance.now() - killed < 10_000) await new Promise((r) => setTimeout(r, 50));
  const ms = performance.now() - killed;
  if (alive(first.pid)) process.kill(first.pid, 'SIGKILL');
  return { kind: first.kind, ms };
}

describe.skipIf(!built)('a run\'s child process', () => {
  it.skipIf(process.platform !== 'linux')('dies within a second or two of its SIGKILLed parent, mid-computation (/proc watch)', async () => {
    const { kind, ms } = await childOutlivesParentBy(false);
    expect(kind).toBe('proc');
    expect(ms).toBeLessThan(3000);
  }, 20_000);

  it('dies with its parent through the worker-thread watch too', async () => {
    const { kind, ms } = await childOutlivesParentBy(true);
    expect(kind).toBe('thread');
    expect(ms).toBeLessThan(3000);
  }, 20_000);
});
