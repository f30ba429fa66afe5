import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type MedrexServer } from './app.js';
import { runLoadTest } from './loadtest.js';
import { emptyModel } from './test-helpers/models.js';


let server: MedrexServer;
let url: string;
beforeAll(async () => {
  server = buildServer({ model: emptyModel, bodyLimit: 50 });
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => server.app.close());

describe('runLoadTest', () => {
  it('sends exactly the requested number and times each', async () => {
    const result = await runLoadTest({ url, texts: ['a', 'b', 'c'], requests: 20, concurrency: 4, seconds: 30 });
    expect(result.sent).toBe(20);
    expect(result.ok).toBe(20);
    expect(result.failed).toBe(0);
    expect(result.latencyMs.count).toBe(20);
    expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99);
    expect(result.requestsPerSecond).toBeCloseTo(20 / result.seconds, 5);
    // Concurrent requests were batched (each worker keeps one in flight).
    expect(server.batcher.batches).toBeLessThan(20);
  });

  it('counts rejected requests as failures, not latencies', async () => {
    const result = await runLoadTest({ url, texts: ['x'.repeat(60)], requests: 3, concurrency: 1, seconds: 30 });
    expect(result).toMatchObject({ sent: 3, ok: 0, failed: 3 });
  });

  it('stops at the time bound', async () => {
    const result = await runLoadTest({ url, texts: ['a'], requests: 1_000_000, concurrency: 2, seconds: 0.2 });
    expect(result.sent).toBeLessThan(1_000_000);
    expect(result.seconds).toBeLessThan(5);
  });
});
