/** The medrex HTTP server (see README.md in this folder). */
export { buildServer, DEFAULT_BODY_LIMIT, DEFAULT_BATCH_WINDOW_MS, DEFAULT_MAX_BATCH, DEFAULT_MAX_BATCH_CHARS, type MedrexServer, type ServerOptions } from './app.js';
export { startServer, type RunningServer, type StartOptions } from './start.js';
export { MicroBatcher, type MicroBatcherOptions } from './batcher.js';
