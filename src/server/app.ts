/**
 * The HTTP server: `buildServer({ model, ... })` returns a fastify instance (not yet listening) with
 *
 *   POST /extract            text/plain or JSON {text} -> JSON extraction or brat .ann
 *   GET  /health             liveness and queue depth
 *   GET  /model              the model card
 *   GET  /model/files/NAME   model.json / model.safetensors, for the viewer's in-browser mode
 *   GET  /  and  /NAME       the viewer (static files written by web/build.mjs)
 *
 * Every response carries Cross-Origin-Opener-Policy / -Embedder-Policy headers: they make the page
 * cross-origin isolated, which browsers require before they allow the SharedArrayBuffer-backed WebAssembly
 * memory the in-browser engine uses. Every client error is a JSON `{"error": {code, message}}` with a 4xx status;
 * nothing a client sends can stop the server. Hostile clients are bounded: Host check, request timeout, bytes held
 * by unfinished bodies, connections, text length, queue length and extraction time (see README.md).
 */
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Extraction, MedrexModel } from '../api/types.js';
import { extractionToAnn } from './ann.js';
import { MicroBatcher } from './batcher.js';
import { BodyBudget, readBody, RETRY_AFTER_SECONDS } from './body-reader.js';
import { ANN_MEDIA_TYPE, responseFormat, textOfBody } from './extract-request.js';
import { hostCheck } from './host-check.js';
import { errorBody, extractTimeout, HttpError } from './http-error.js';
import { readStaticFile } from './static-files.js';

export interface ServerOptions {
  /** The model answering /extract. */
  model: MedrexModel;
  /**
   * The model's directory, to serve its files at /model/files/ for the viewer's in-browser mode. Omit it to keep
   * the weights private (the in-browser mode then needs the user to open the files).
   */
  modelDir?: string;
  /** Folder of the built viewer (default: `dist/web` of this package). */
  webRoot?: string;
  /** Largest accepted request body in bytes (default 1 MiB); larger ones get 413. */
  bodyLimit?: number;
  /** How long a request waits for others to share its batch, in ms (default 5). */
  batchWindowMs?: number;
  /** Most texts in one batch (default 16). */
  maxBatch?: number;
  /** Most characters in one batch (default 200,000); a longer single text runs alone. */
  maxBatchChars?: number;
  /** Log each request as JSON lines on stdout (default false). */
  logger?: boolean;
  /**
   * Host names accepted besides loopback names and IP addresses (see host-check.ts); `'*'` accepts any. Other
   * Host headers get 403 `host-not-allowed` (a defence against DNS rebinding).
   */
  allowHosts?: readonly string[];
  /**
   * A request (headers and body) must arrive within this many ms (default 30,000), else 408 and the connection is
   * closed: slow or stalled uploads cannot hold the server's memory and connections for ever.
   */
  requestTimeoutMs?: number;
  /** Most bytes held by request bodies still arriving, over all connections (default 64 MiB); beyond it, 503. */
  maxUnfinishedBytes?: number;
  /** Most open connections (default 1024); further ones are closed at once by Node. */
  maxConnections?: number;
  /** Most batches the model runs at once (default 1; the worker pool's size). */
  concurrency?: number;
  /** Most /extract requests waiting for or in extraction (default 64); beyond it, 503 with Retry-After. */
  maxQueue?: number;
  /** Longest text one request may send, in characters (default 200,000); longer ones get 413. */
  maxTextChars?: number;
  /** A request not answered within this many ms after its body arrived gets 503 (default 60,000). */
  extractTimeoutMs?: number;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_BATCH_WINDOW_MS = 5;
export const DEFAULT_MAX_BATCH = 16;
export const DEFAULT_MAX_BATCH_CHARS = 200_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_UNFINISHED_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 1024;
export const DEFAULT_MAX_QUEUE = 64;
export const DEFAULT_MAX_TEXT_CHARS = 200_000;
export const DEFAULT_EXTRACT_TIMEOUT_MS = 60_000;
/** The files of a model directory that /model/files/ serves; nothing else in that directory is exposed. */
const MODEL_FILE_NAMES = new Set(['model.json', 'model.safetensors']);

/** `dist/web` of this package: src/server and dist/server are both two levels below the package root. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
} as const;

export interface MedrexServer {
  app: FastifyInstance;
  /** The batcher in front of the model (its `batches` count shows how requests were grouped). */
  batcher: MicroBatcher<string, Extraction>;
  /** Bytes held by request bodies still arriving. */
  budget: BodyBudget;
}

/** Codes for the client errors fastify raises itself; any other 4xx of fastify's becomes `bad-request`. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-content-length',
  FST_ERR_BAD_URL: 'bad-url',
  FST_ERR_MAX_PARAM_LENGTH: 'bad-url',
};

/** Status and code for errors fastify raises itself (body too large, malformed URL, ...). */
function frameworkError(err: FastifyError): HttpError | null {
  const status = err.statusCode ?? 500;
  if (status >= 500) return null;
  const code = (err.code && FRAMEWORK_CODES[err.code]) ?? 'bad-request';
  return new HttpError(status, code, err.message);
}

/**
 * Errors Node's HTTP parser finds before there is a request (malformed request line or headers, headers too
 * large, a request not received in time): answered on the raw socket, in the same JSON shape, then the connection
 * is closed.
 */
function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request-timeout', 'the request was not received in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'headers-too-large', 'the request headers are too large']
        : [400, 'Bad Request', 'bad-request', 'malformed HTTP request'];
  const body = JSON.stringify(errorBody(code, message));
  // Only when nothing was written yet: otherwise a response is already under way on this socket.
  if (socket.writable && socket.bytesWritten === 0) {
    const headers = Object.entries(ISOLATION_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n${headers}connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

export function buildServer(options: ServerOptions): MedrexServer {
  const { model } = options;
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    bodyLimit,
    logger: options.logger ?? false,
    // Node enforces the request timeout (headers and body) itself, checking its connections every
    // connectionsCheckingInterval ms (30 s by default, far too coarse for short timeouts); a timed-out request
    // reaches clientErrorHandler, which answers 408 and closes the connection.
    requestTimeout,
    // An idle keep-alive connection is closed after 5 s (Node's default; fastify's 72 s would let idle clients
    // hold --max-connections for over a minute).
    keepAliveTimeout: 5000,
    http: {
      headersTimeout: Math.min(requestTimeout, 20_000),
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4))),
    },
    clientErrorHandler,
    // Errors found while routing (a URL that does not decode, such as /%c0%ae%c0%ae/etc/passwd) skip the hooks
    // and the error handler; answer them in the documented shape too.
    frameworkErrors: (err, _request, reply) => {
      const known = frameworkError(err) ?? new HttpError(400, 'bad-request', err.message);
      void (reply as FastifyReply).status(known.status).headers(ISOLATION_HEADERS).send(errorBody(known.code, known.message));
    },
  });
  const hosts = hostCheck(options.allowHosts);
  app.server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // Node's header timeout starts with the first byte: a connection that never sends one would hold its place
  // under --max-connections for ever. Close it after the request timeout.
  app.server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, requestTimeout);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
  const budget = new BodyBudget(Math.max(options.maxUnfinishedBytes ?? DEFAULT_MAX_UNFINISHED_BYTES, bodyLimit));
  const batcher = new MicroBatcher<string, Extraction>((texts) => model.extractBatch(texts), {
    windowMs: options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS,
    maxItems: options.maxBatch ?? DEFAULT_MAX_BATCH,
    weight: (text) => text.length,
    maxWeight: options.maxBatchChars ?? DEFAULT_MAX_BATCH_CHARS,
    concurrency: options.concurrency ?? 1,
  });
  const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
  const maxTextChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const extractTimeoutMs = options.extractTimeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS;
  const timeout = { ms: extractTimeoutMs, error: () => extractTimeout(extractTimeoutMs / 1000) };

  // Bodies arrive as raw bytes whatever their type: decoding (strict UTF-8) and the content-type check are ours,
  // so each failure gets its own status and message (see extract-request.ts).
  app.removeAllContentTypeParsers();
  // The bytes are read by readBody, under the body limit and the budget shared by all unfinished bodies.
  app.addContentTypeParser('*', (request, payload, done) => {
    readBody(payload, request.headers, bodyLimit, budget).then(
      (body) => done(null, body),
      (err: Error) => done(err as FastifyError, undefined),
    );
  });

  // While closing, answers to in-flight requests tell the client to drop the connection: otherwise an idle
  // keep-alive socket would hold close() open until its timeout (72 s by default in fastify).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    // Bodies still arriving (slow or stalled uploads) are answered 503 now rather than held through the drain:
    // the client can send them again to a server that stays up.
    budget.abortAll(() => {
      const err = new HttpError(503, 'shutting-down', 'the server is shutting down; send the request again');
      err.retryAfterSeconds = RETRY_AFTER_SECONDS;
      return err;
    });
  });
  // First of all, before the body is read: refuse Host headers that are not ours (DNS rebinding).
  app.addHook('onRequest', async (request) => {
    const refused = hosts.refused(request.headers.host);
    if (refused !== null) {
      throw new HttpError(403, 'host-not-allowed', `this server does not answer for host ${JSON.stringify(refused)} (start it with --allow-host ${refused} to allow it)`);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(ISOLATION_HEADERS);
    // While closing, or when the request's body was not read to its end (an early error answer), the connection
    // is not reused: the client is told, and Node closes the socket after the answer.
    if (closing || request.raw.complete === false) reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = err instanceof HttpError ? err : frameworkError(err);
    if (known) {
      if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
      return reply.status(known.status).send(errorBody(known.code, known.message));
    }
    request.log.error(err);
    return reply.status(500).send(errorBody('internal-error', 'the server failed to answer this request'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('not-found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.get('/health', async () => ({ status: 'ok', pending: batcher.pending, batches: batcher.batches }));

  app.get('/model', async () => model.card);

  app.get<{ Params: { name: string } }>('/model/files/:name', async (request, reply) => {
    const { name } = request.params;
    const file = options.modelDir && MODEL_FILE_NAMES.has(name) ? await readStaticFile(options.modelDir, name) : null;
    if (!file) throw new HttpError(404, 'not-found', `no model file ${name}`);
    return reply.type(file.contentType).send(file.bytes);
  });

  app.post<{ Querystring: { format?: string } }>('/extract', async (request, reply) => {
    const format = responseFormat(request.query.format, request.headers.accept);
    const text = textOfBody(request.headers['content-type'], request.body as Buffer | undefined);
    if (text.length > maxTextChars) {
      throw new HttpError(
        413,
        'text-too-long',
        `the text has ${text.length} characters; this server analyses at most ${maxTextChars} per request ` +
          '(--max-text-chars): split the note into parts',
      );
    }
    if (batcher.pending >= maxQueue) {
      const busy = new HttpError(503, 'queue-full', `${batcher.pending} requests are already waiting for the model; retry in a few seconds`);
      busy.retryAfterSeconds = RETRY_AFTER_SECONDS;
      throw busy;
    }
    const extraction = await batcher.submit(text, timeout);
    if (format === 'ann') return reply.type(`${ANN_MEDIA_TYPE}; charset=utf-8`).send(extractionToAnn(text, extraction));
    return reply.send(extraction);
  });

  const sendStatic = async (name: string, reply: FastifyReply) => {
    const file = await readStaticFile(webRoot, name);
    if (!file) {
      if (name === 'index.html') {
        throw new HttpError(404, 'viewer-not-built', `the viewer is not built (no index.html in ${webRoot}): run npm run build:web`);
      }
      throw new HttpError(404, 'not-found', `no file ${name}`);
    }
    return reply.type(file.contentType).send(file.bytes);
  };
  app.get('/', async (_request, reply) => sendStatic('index.html', reply));
  app.get<{ Params: { name: string } }>('/:name', async (request, reply) => sendStatic(request.params.name, reply));

  return { app, batcher, budget };
}
