/**
 * `medrex serve` as its own process, stopped by real signals (issue 15): with a stalled upload it still exits at
 * once; a request that outlasts --shutdown-timeout is cut off then; a second SIGTERM exits at once. Runs the
 * compiled CLI (`npm run build`); skipped, saying why, without it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rawExchange } from './test-helpers/raw-http.js';
import { useTinyModel } from './test-helpers/models.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const built = existsSync(MAIN) && existsSync(fileURLToPath(new URL('../../dist/server/extract-worker.js', import.meta.url)));
if (!built) console.warn('serve signal tests skipped: run `npm run build` (they run dist/cli/main.js)');

const fixture = useTinyModel('medrex-signals-');

interface Serve {
  child: ChildProcess;
  port: number;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function serve(...flags: string[]): Promise<Serve> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--model', fixture.modelDir(), '--port', '0', '--workers', '1', ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { child, url, port: Number(new URL(url).port), stderr: () => stderr, exited };
}

const LONG = 'Aspirin 81 mg PO daily for pain. '.repeat(20_000); // several seconds for the tiny model
const longRequest = (url: string) =>
  fetch(`${url}/extract`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: LONG }).then(
    (res) => res.status,
    () => 'cut off',
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!built)('medrex serve and signals', () => {
  it('exits at once on SIGTERM with a stalled upload, which is answered 503', async () => {
    const server = await serve();
    const stalled = rawExchange(server.port, 'POST /extract HTTP/1.1\r\nhost: localhost\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\nAspirin', { timeoutMs: 10_000 });
    await sleep(300);
    const t0 = performance.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(3000);
    const answer = await stalled;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'shutting-down' } });
  });

  it('cuts off a request that outlasts --shutdown-timeout, then exits 0', async () => {
    const server = await serve('--shutdown-timeout', '1', '--max-text-chars', '1000000', '--body-limit', '2000000');
    const long = longRequest(server.url);
    await sleep(500);
    const t0 = performance.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThan(900);
    expect(took).toBeLessThan(4000);
    expect(await long).toBe('cut off');
    expect(server.stderr()).toContain('SIGTERM: finishing in-flight requests (at most 1 s)');
  });

  it('exits at once on a second SIGTERM', async () => {
    const server = await serve('--shutdown-timeout', '60', '--max-text-chars', '1000000', '--body-limit', '2000000');
    const long = longRequest(server.url);
    await sleep(500);
    server.child.kill('SIGTERM');
    await sleep(300);
    const t0 = performance.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(server.stderr()).toContain('second SIGTERM: exiting now');
    await long;
  });
});
