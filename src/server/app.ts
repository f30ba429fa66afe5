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
 * nothing a client sends can stop the server.
 */
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Extraction, MedrexModel } from '../api/types.js';
import { extractionToAnn } from './ann.js';
import { MicroBatcher } from './batcher.js';
import { ANN_MEDIA_TYPE, responseFormat, textOfBody } from './extract-request.js';
import { errorBody, HttpError } from './http-error.js';
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
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_BATCH_WINDOW_MS = 5;
export const DEFAULT_MAX_BATCH = 16;
export const DEFAULT_MAX_BATCH_CHARS = 200_000;
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
}

/** Status and code for errors fastify raises itself (body too large, malformed request line, ...). */
function frameworkError(err: FastifyError): HttpError | null {
  const status = err.statusCode ?? 500;
  if (status >= 500) return null;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new HttpError(413, 'body-too-large', err.message);
  }
  return new HttpError(status, err.code ? err.code.toLowerCase() : 'bad-request', err.message);
}

export function buildServer(options: ServerOptions): MedrexServer {
  const { model } = options;
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({ bodyLimit, logger: options.logger ?? false });
  const batcher = new MicroBatcher<string, Extraction>((texts) => model.extractBatch(texts), {
    windowMs: options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS,
    maxItems: options.maxBatch ?? DEFAULT_MAX_BATCH,
    weight: (text) => text.length,
    maxWeight: options.maxBatchChars ?? DEFAULT_MAX_BATCH_CHARS,
  });

  // Bodies arrive as raw bytes whatever their type: decoding (strict UTF-8) and the content-type check are ours,
  // so each failure gets its own status and message (see extract-request.ts).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // While closing, answers to in-flight requests tell the client to drop the connection: otherwise an idle
  // keep-alive socket would hold close() open until its timeout (72 s by default in fastify).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(ISOLATION_HEADERS);
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = err instanceof HttpError ? err : frameworkError(err);
    if (known) {
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
    const extraction = await batcher.submit(text);
    if (format === 'ann') return reply.type(`${ANN_MEDIA_TYPE}; charset=utf-8`).send(extractionToAnn(text, extraction));
    return reply.send(extraction);
  });

  const sendStatic = async (name: string, reply: import('fastify').FastifyReply) => {
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

  return { app, batcher };
}
