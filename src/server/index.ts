/** The medrex HTTP server (see README.md in this folder). */
export {
  buildServer, DEFAULT_BODY_LIMIT, DEFAULT_BATCH_WINDOW_MS, DEFAULT_MAX_BATCH, DEFAULT_MAX_BATCH_CHARS, DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_UNFINISHED_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_QUEUE, DEFAULT_MAX_TEXT_CHARS, DEFAULT_EXTRACT_TIMEOUT_MS,
  type MedrexServer, type ServerOptions,
} from './app.js';
export { startServer, defaultWorkers, DEFAULT_SHUTDOWN_TIMEOUT_MS, type RunningServer, type StartOptions } from './start.js';
export { MicroBatcher, type MicroBatcherOptions } from './batcher.js';
export { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
