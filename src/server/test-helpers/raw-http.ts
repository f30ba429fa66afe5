/**
 * Raw HTTP over a TCP socket, for tests that must send what fetch will not (a foreign Host header, a malformed
 * request line, a body that stalls half way) and see exactly what the server answers.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the first byte sent to the connection's close. */
  ms: number;
}

/** Parses the first HTTP response in `text` (content-length framed; the body is whatever follows the headers). */
export function parseResponse(text: string, ms: number): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  let body = split < 0 ? '' : text.slice(split + 4);
  const length = headers['content-length'];
  if (length !== undefined) body = Buffer.from(body).subarray(0, Number(length)).toString();
  return { status, headers, body, ms };
}

/**
 * Opens a connection, writes `first`, and resolves with the response once the server closes the connection (or
 * `timeoutMs` passes, which rejects). `socket` lets the test write more or keep it open.
 */
export function rawExchange(
  port: number,
  first: string | Buffer,
  options: { timeoutMs?: number; onSocket?: (socket: Socket) => void; host?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    const socket = connect(port, options.host ?? '127.0.0.1', () => {
      socket.write(first);
      options.onSocket?.(socket);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${options.timeoutMs} ms; got ${JSON.stringify(Buffer.concat(chunks).toString().slice(0, 200))}`));
    }, options.timeoutMs ?? 10_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {}); // a reset after the answer is fine: the answer is what is checked
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks).toString(), performance.now() - started));
    });
  });
}

/** One complete request that closes the connection after the answer. */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<RawResponse> {
  const lines = Object.entries({ connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const length = body ? `content-length: ${Buffer.byteLength(body)}\r\n` : '';
  return rawExchange(port, `${method} ${path} HTTP/1.1\r\n${lines}${length}\r\n${body}`);
}
