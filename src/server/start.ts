/**
 * Starting and stopping the server for real: load the model, listen, and shut down gracefully on SIGTERM/SIGINT:
 * stop accepting connections, let in-flight requests finish for at most `shutdownTimeoutMs` (10 s by default),
 * then close every connection still open (a stalled upload cannot keep the server up) and resolve `closed`. A
 * second signal exits at once.
 */
import { availableParallelism } from 'node:os';
import { loadModel } from '../api/load.js';
import type { MedrexModel } from '../api/types.js';
import { MedrexError } from '../errors.js';
import { buildServer, DEFAULT_EXTRACT_TIMEOUT_MS, type MedrexServer, type ServerOptions } from './app.js';
import { WorkerPool } from './worker-pool.js';

export interface StartOptions extends Omit<ServerOptions, 'model'> {
  modelDir: string;
  port: number;
  host?: string;
  /** Serve model.json / model.safetensors at /model/files/ for the in-browser mode (default true). */
  serveModelFiles?: boolean;
  /** Install SIGTERM/SIGINT handlers that close the server (default true). */
  handleSignals?: boolean;
  /** How long closing waits for in-flight requests before it closes their connections, in ms (default 10,000). */
  shutdownTimeoutMs?: number;
  /**
   * Worker threads running the model, each with its own copy (default: one less than the cores, at least 1, at
   * most 4). 0 runs the model on the main thread, which then cannot answer anything else while a batch runs.
   */
  workers?: number;
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export interface RunningServer extends MedrexServer {
  /** `http://host:port` the server listens on. */
  url: string;
  /** Resolves once the server has closed (after a signal or `close()`). */
  closed: Promise<void>;
  /**
   * Stops accepting connections and resolves when in-flight requests have been answered, or when the shutdown
   * timeout has passed and the connections still open have been closed.
   */
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new MedrexError(`port must be an integer from 0 to 65535, got ${options.port}`, { rule: 'serve-bad-flag' });
  }
  const workers = options.workers ?? defaultWorkers();
  const pool =
    workers > 0
      ? await WorkerPool.start({ modelDir: options.modelDir, workers, batchTimeoutMs: options.extractTimeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS })
      : null;
  const model: MedrexModel = pool ?? (await loadModel(options.modelDir));
  const server = buildServer({
    ...options,
    model,
    concurrency: pool?.size ?? 1,
    modelDir: options.serveModelFiles === false ? undefined : options.modelDir,
  });
  if (pool) server.app.addHook('onClose', () => pool.close());
  const host = options.host ?? '127.0.0.1';
  let address: string;
  try {
    address = await server.app.listen({ port: options.port, host });
  } catch (err) {
    await pool?.close();
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new MedrexError(`cannot listen on ${host}:${options.port} (${code})`, { rule: 'serve-listen' });
    }
    throw err;
  }

  let closing: Promise<void> | null = null;
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const shutdownMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Past the drain time, whatever is still open (a stalled upload, a client that never reads) is cut off.
      const force = setTimeout(() => server.app.server.closeAllConnections(), shutdownMs);
      try {
        await server.app.close();
      } finally {
        clearTimeout(force);
      }
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      markClosed();
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      process.stderr.write(`medrex serve: second ${signal}: exiting now\n`);
      process.exit(1);
    }
    process.stderr.write(
      `medrex serve: ${signal}: finishing in-flight requests (at most ${shutdownMs / 1000} s), then exiting; ` +
        `send ${signal} again to exit at once\n`,
    );
    void close();
  };
  if (options.handleSignals ?? true) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { ...server, url: address, closed, close };
}
