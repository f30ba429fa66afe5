import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MedrexError } from '../errors.js';
import { startServer } from './start.js';
import { useTinyModel } from './test-helpers/models.js';

// A real (untrained, so fast to make) model on real loopback sockets: the wiring from model directory to HTTP.
const fixture = useTinyModel('medrex-start-');

describe('startServer', () => {
  it('serves a model directory on loopback and finishes in-flight requests when closed', async () => {
    const server = await startServer({ modelDir: fixture.modelDir(), port: 0, handleSignals: false, batchWindowMs: 300 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const card = (await (await fetch(`${server.url}/model`)).json()) as { labels: { entityTypes: string[] } };
    expect(card.labels.entityTypes.length).toBeGreaterThan(0);

    // This request waits 300 ms in the batcher; close() is called while it waits and must not cut it off.
    const inFlight = fetch(`${server.url}/extract`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'Aspirin 81 mg daily.',
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.batcher.pending).toBe(1);
    const closing = server.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { entities: unknown[]; relations: unknown[] };
    expect(Array.isArray(body.entities) && Array.isArray(body.relations)).toBe(true);
    await closing;
    await server.closed;
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('serves the model files for the in-browser mode unless told not to', async () => {
    const open = await startServer({ modelDir: fixture.modelDir(), port: 0, handleSignals: false });
    const closed = await startServer({ modelDir: fixture.modelDir(), port: 0, handleSignals: false, serveModelFiles: false });
    try {
      const weights = await fetch(`${open.url}/model/files/model.safetensors`);
      expect(weights.status).toBe(200);
      expect(weights.headers.get('content-type')).toBe('application/octet-stream');
      expect((await weights.arrayBuffer()).byteLength).toBe(statSync(join(fixture.modelDir(), 'model.safetensors')).size);
      expect((await fetch(`${closed.url}/model/files/model.safetensors`)).status).toBe(404);
    } finally {
      await Promise.all([open.close(), closed.close()]);
    }
  });

  it('closes on SIGTERM through its signal handler', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const server = await startServer({ modelDir: fixture.modelDir(), port: 0 });
    const added = process.listeners('SIGTERM').filter((l) => !before.has(l));
    expect(added).toHaveLength(1);
    // Call the handler directly: emitting a real signal would also reach the test runner's own handlers.
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      added[0]('SIGTERM');
    } finally {
      process.stderr.write = stderr;
    }
    await server.closed;
    expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toHaveLength(0);
  });

  it('reports a port in use as a user error', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startServer({ modelDir: fixture.modelDir(), port, handleSignals: false })).rejects.toThrow(MedrexError);
    } finally {
      blocker.close();
    }
  });

  it('reports a missing model directory as a user error', async () => {
    await expect(startServer({ modelDir: join(fixture.root(), 'none'), port: 0, handleSignals: false })).rejects.toThrow(
      /model directory does not exist/,
    );
  });
});
