/**
 * The server against hostile or unlucky clients, on real loopback sockets (issue 15): foreign Host headers,
 * requests fastify or Node's parser reject before any route runs, ... Every refusal must use the documented
 * error shape `{"error": {"code", "message"}}`.
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type MedrexServer } from './app.js';
import { startServer } from './start.js';
import { rawExchange, rawRequest, type RawResponse } from './test-helpers/raw-http.js';
import { emptyModel, useTinyModel } from './test-helpers/models.js';

// A real (untrained, so fast to make) model directory, for the tests that start the server from a directory.
const fixture = useTinyModel('medrex-hostile-');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HEAD = (length: number) => `POST /extract HTTP/1.1\r\nhost: localhost\r\ncontent-type: text/plain\r\ncontent-length: ${length}\r\n\r\n`;

/** Opens a socket and resolves once connected. */
function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}


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
    server = buildServer({ model: emptyModel, allowHosts: ['notes.example.org'] });
    open = buildServer({ model: emptyModel, allowHosts: ['*'] });
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
    server = buildServer({ model: emptyModel, bodyLimit: 1000 });
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

describe('slow and stalled clients', () => {
  let server: MedrexServer;
  let port: number;
  beforeAll(async () => {
    server = buildServer({ model: emptyModel, bodyLimit: 8000, maxUnfinishedBytes: 10_000, requestTimeoutMs: 1000, maxConnections: 20 });
    port = await listen(server);
  });
  afterAll(() => server.app.close());

  it('times out a body trickling one byte at a time with 408, and frees what it held', async () => {
    let trickle: ReturnType<typeof setInterval> | undefined;
    const res = await rawExchange(port, `${HEAD(1000)}aspirin`, {
      timeoutMs: 5000,
      onSocket: (socket) => {
        trickle = setInterval(() => socket.writable && socket.write('x'), 100);
      },
    });
    clearInterval(trickle);
    expectErrorShape(res, 408, 'request-timeout');
    expect(res.ms).toBeGreaterThan(900);
    expect(res.ms).toBeLessThan(2500);
    // The body's bytes are given back when the server sees its socket close, which comes just after the 408 was
    // flushed: on a loaded machine the client can read the answer first, so wait (briefly) for the release.
    await expect.poll(() => server.budget.held, { timeout: 1000 }).toBe(0);
  });

  it('times out headers that never finish', async () => {
    const res = await rawExchange(port, 'GET /health HTTP/1.1\r\nhost: localhost\r\nx-slow: ', { timeoutMs: 5000 });
    expectErrorShape(res, 408, 'request-timeout');
  });

  it('closes a connection that never sends a byte after the request timeout', async () => {
    const res = await rawExchange(port, '', { timeoutMs: 5000 });
    // Closed by our timer without an answer, or (depending on when Node checks its connections) by Node with 408.
    expect([0, 408]).toContain(res.status);
    expect(res.ms).toBeGreaterThan(900);
    expect(res.ms).toBeLessThan(2500);
  });

  it('caps the bytes held by unfinished bodies over all connections: 503 with Retry-After, then serves again', async () => {
    // A sends 6,000 of its 8,000 bytes and stalls; B's 6,000 would bring the total over 10,000.
    const a = await openSocket(port);
    a.on('error', () => {});
    a.write(HEAD(8000) + 'a'.repeat(6000));
    await expect.poll(() => server.budget.held, { timeout: 2000 }).toBe(6000);
    const b = await rawExchange(port, HEAD(8000) + 'b'.repeat(6000), { timeoutMs: 5000 });
    expectErrorShape(b, 503, 'server-busy');
    expect(b.headers['retry-after']).toBe('5');
    a.destroy();
    await expect.poll(() => server.budget.held, { timeout: 2000 }).toBe(0);
    const ok = await rawRequest(port, 'POST', '/extract', { host: 'localhost', 'content-type': 'text/plain' }, 'c'.repeat(6000));
    expect(ok.status).toBe(200);
  });

  it('caps open connections', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => openSocket(port)));
    await sleep(100);
    // The 21st is accepted by the kernel and closed by Node at once, without an answer.
    const extra = await rawExchange(port, 'GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n', { timeoutMs: 3000 });
    expect(extra.status).toBe(0);
    for (const s of sockets) s.destroy();
    await sleep(100);
    expect((await rawRequest(port, 'GET', '/health', { host: 'localhost' })).status).toBe(200);
  });
});

describe('bounded shutdown', () => {
  it('answers stalled uploads 503 at once and cuts off what is still open after the drain time', async () => {
    const server = await startServer({ modelDir: fixture.modelDir(), port: 0, handleSignals: false, shutdownTimeoutMs: 500, requestTimeoutMs: 60_000 });
    const port = Number(new URL(server.url).port);
    // A client that stalls half way through its body, one that stalls in its headers, and an idle keep-alive one.
    const stalledBody = rawExchange(port, `${HEAD(1000)}Aspirin`, { timeoutMs: 10_000 });
    const stalledHeaders = rawExchange(port, 'GET /health HTTP/1.1\r\nhost: localhost\r\nx-slow: ', { timeoutMs: 10_000 });
    const idle = await openSocket(port);
    await expect.poll(() => server.budget.held, { timeout: 2000 }).toBe(7);
    const t0 = performance.now();
    const closing = server.close();
    const body = await stalledBody;
    expectErrorShape(body, 503, 'shutting-down');
    expect(body.headers['retry-after']).toBe('5');
    expect(performance.now() - t0).toBeLessThan(300);
    await closing;
    const took = performance.now() - t0;
    expect(took).toBeGreaterThan(400);
    expect(took).toBeLessThan(2000);
    expect((await stalledHeaders).status).toBe(0); // cut off without an answer
    expect(idle.destroyed || idle.readableEnded).toBe(true);
    idle.destroy();
  });
});

describe('long texts run on worker threads', () => {
  // ~2.5 s for the tiny model on a loaded 2-core machine; the main thread must stay free meanwhile.
  const LONG = 'Aspirin 81 mg PO daily for pain. '.repeat(10_000);
  const post = (url: string, text: string) =>
    fetch(`${url}/extract`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });

  it('answers /health and small requests quickly while a long text is analysed', async () => {
    const server = await startServer({ modelDir: fixture.modelDir(), port: 0, handleSignals: false, workers: 2, maxTextChars: 400_000, bodyLimit: 1_000_000 });
    try {
      let longDone = false;
      const long = post(server.url, LONG).then(async (res) => {
        longDone = true;
        return res;
      });
      await expect.poll(() => server.batcher.running, { timeout: 5000 }).toBe(1);
      const healthMs: number[] = [];
      let small = 0;
      while (!longDone) {
        const t0 = performance.now();
        const health = await fetch(`${server.url}/health`);
        expect(health.status).toBe(200);
        if (!longDone) healthMs.push(performance.now() - t0);
        if (small < 2 && (await post(server.url, 'Aspirin 81 mg daily.')).status === 200) small++;
        await sleep(50);
      }
      expect((await long).status).toBe(200);
      // Without worker threads no /health could be answered while the long text ran.
      expect(healthMs.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...healthMs)).toBeLessThan(1000);
      expect(small).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('refuses a text over --max-text-chars with 413, a full queue with 503 + Retry-After, a slow one with 503', async () => {
    const server = await startServer({
      modelDir: fixture.modelDir(), port: 0, handleSignals: false, workers: 1, maxTextChars: 400_000, bodyLimit: 1_000_000, maxQueue: 1, extractTimeoutMs: 400,
    });
    try {
      const tooLong = await post(server.url, 'x'.repeat(400_001));
      expect(tooLong.status).toBe(413);
      expect(((await tooLong.json()) as { error: { code: string; message: string } }).error).toEqual({
        code: 'text-too-long',
        message: 'the text has 400001 characters; this server analyses at most 400000 per request (--max-text-chars): split the note into parts',
      });
      const long = post(server.url, LONG);
      await expect.poll(() => server.batcher.pending, { timeout: 5000 }).toBe(1);
      const full = await post(server.url, 'Aspirin 81 mg daily.');
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBe('5');
      expect(((await full.json()) as { error: { code: string } }).error.code).toBe('queue-full');
      // The long text takes far more than 400 ms: its worker is stopped and replaced.
      const slow = await long;
      expect(slow.status).toBe(503);
      expect(((await slow.json()) as { error: { code: string } }).error.code).toBe('extract-timeout');
      const t0 = performance.now();
      // The next short text waits for the replacement worker to load the model, then is answered.
      await expect.poll(async () => (await post(server.url, 'Aspirin 81 mg daily.')).status, { timeout: 10_000, interval: 200 }).toBe(200);
      expect(performance.now() - t0).toBeLessThan(10_000);
    } finally {
      await server.close();
    }
  });
});
