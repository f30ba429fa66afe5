/**
 * The server against hostile or unlucky clients, on real loopback sockets (issue 15): foreign Host headers,
 * requests fastify or Node's parser reject before any route runs, ... Every refusal must use the documented
 * error shape `{"error": {"code", "message"}}`.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedrexModel } from '../api/types.js';
import { buildServer, type MedrexServer } from './app.js';
import { rawExchange, rawRequest, type RawResponse } from './test-helpers/raw-http.js';

// TEST DOUBLE: a model that finds nothing (these tests are about the HTTP layer).
const nothing: MedrexModel = {
  card: {
    format: 'medrex-model', formatVersion: 1, medrexVersion: 'test', config: {},
    labels: { entityTypes: [], relationTypes: [] }, vocabulary: { words: 0, chars: 0 }, parameters: 0, training: null,
  },
  extract: async () => ({ entities: [], relations: [] }),
  extractBatch: async (texts) => texts.map(() => ({ entities: [], relations: [] })),
};

async function listen(server: MedrexServer): Promise<number> {
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  return (server.app.server.address() as AddressInfo).port;
}

function expectErrorShape(res: RawResponse, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe('Host header check (DNS rebinding)', () => {
  let server: MedrexServer;
  let open: MedrexServer;
  let port: number;
  let openPort: number;
  beforeAll(async () => {
    server = buildServer({ model: nothing, allowHosts: ['notes.example.org'] });
    open = buildServer({ model: nothing, allowHosts: ['*'] });
    port = await listen(server);
    openPort = await listen(open);
  });
  afterAll(() => Promise.all([server.app.close(), open.app.close()]));

  it('refuses a foreign Host with 403 host-not-allowed, before reading the body', async () => {
    for (const host of ['attacker.example', 'attacker.example:8080', 'localhost.attacker.example', 'Attacker.Example.']) {
      const res = await rawRequest(port, 'POST', '/extract', { host, 'content-type': 'text/plain' }, 'Aspirin 81 mg');
      expectErrorShape(res, 403, 'host-not-allowed');
      const get = await rawRequest(port, 'GET', '/health', { host });
      expectErrorShape(get, 403, 'host-not-allowed');
    }
  });

  it('answers loopback names, IP addresses and names allowed with --allow-host', async () => {
    const port80 = String(port);
    for (const host of ['localhost', `localhost:${port80}`, `127.0.0.1:${port80}`, '[::1]:8080', 'viewer.localhost', '10.1.2.3', 'NOTES.example.org:443']) {
      const res = await rawRequest(port, 'GET', '/health', { host });
      expect(res.status, host).toBe(200);
    }
  });

  it('answers any Host with --allow-host *', async () => {
    expect((await rawRequest(openPort, 'GET', '/health', { host: 'attacker.example' })).status).toBe(200);
  });
});

describe('every client error uses the documented shape', () => {
  let server: MedrexServer;
  let port: number;
  beforeAll(async () => {
    server = buildServer({ model: nothing, bodyLimit: 1000 });
    port = await listen(server);
  });
  afterAll(() => server.app.close());

  it('a URL that does not decode (fastify rejects it while routing)', async () => {
    const res = await rawRequest(port, 'GET', '/%c0%ae%c0%ae/etc/passwd', { host: 'localhost' });
    expectErrorShape(res, 400, 'bad-url');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('an unknown route, and a body over the limit (by its Content-Length)', async () => {
    expectErrorShape(await rawRequest(port, 'GET', '/etc/passwd/x', { host: 'localhost' }), 404, 'not-found');
    const big = await rawRequest(port, 'POST', '/extract', { host: 'localhost', 'content-type': 'text/plain' }, 'x'.repeat(1001));
    expectErrorShape(big, 413, 'body-too-large');
  });

  it('a malformed request line or headers (Node rejects them before fastify sees a request)', async () => {
    expectErrorShape(await rawExchange(port, 'GET /health HTTP/1.1\r\nhost localhost\r\n\r\n'), 400, 'bad-request');
    expectErrorShape(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n'), 400, 'bad-request');
    const huge = `GET /health HTTP/1.1\r\nhost: localhost\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expectErrorShape(await rawExchange(port, huge), 431, 'headers-too-large');
  });

  it('keeps serving after all of them', async () => {
    expect((await rawRequest(port, 'GET', '/health', { host: 'localhost' })).status).toBe(200);
  });
});
