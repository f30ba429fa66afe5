/**
 * `medrex serve --model MODEL_DIR [--port 8080] [--host 127.0.0.1] [--body-limit BYTES] [--batch-window MS]
 * [--max-batch N] [--no-model-files] [--log] [--allow-host NAME]... [--request-timeout S]
 * [--max-unfinished-bytes BYTES] [--max-connections N] [--shutdown-timeout S] [--workers N] [--max-queue N]
 * [--max-text-chars N] [--extract-timeout S]`:
 * serves a trained model over HTTP (POST /extract) together with the annotation viewer (see src/server/README.md).
 */
import type { Command } from 'commander';
import { MedrexError } from '../../errors.js';
import { defaultWorkers, startServer } from '../../server/start.js';

interface ServeFlags {
  model: string;
  port: string;
  host: string;
  bodyLimit: string;
  batchWindow: string;
  maxBatch: string;
  modelFiles: boolean;
  log?: boolean;
  allowHost: string[];
  requestTimeout: string;
  maxUnfinishedBytes: string;
  maxConnections: string;
  shutdownTimeout: string;
  workers?: string;
  maxQueue: string;
  maxTextChars: string;
  extractTimeout: string;
}

function integerFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new MedrexError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`, {
      rule: 'serve-bad-flag',
    });
  }
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve a trained model over HTTP, with the annotation viewer at /')
    .requiredOption('--model <dir>', 'model directory written by medrex train')
    .option('--port <n>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--body-limit <bytes>', 'largest accepted request body', String(1024 * 1024))
    .option('--batch-window <ms>', 'how long a request waits to share a batch with others', '5')
    .option('--max-batch <n>', 'most texts per batch', '16')
    .option('--no-model-files', 'do not serve the model files (the viewer\'s in-browser mode then needs them opened)')
    .option('--log', 'log every request (JSON lines on stdout)')
    .option('--workers <n>', `worker threads running the model, each with its own copy (default ${defaultWorkers()} here: cores - 1, 1 to 4); 0 runs it on the main thread`)
    .option('--max-queue <n>', 'most /extract requests waiting for or in extraction (then 503 with Retry-After)', '64')
    .option('--max-text-chars <n>', 'longest text one request may send (then 413)', '200000')
    .option('--extract-timeout <seconds>', 'a request not answered within this time after its body arrived gets 503', '60')
    .option('--request-timeout <seconds>', 'a request (headers and body) must arrive within this time, else 408', '30')
    .option('--max-unfinished-bytes <bytes>', 'most bytes held by request bodies still arriving, over all connections (then 503)', String(64 * 1024 * 1024))
    .option('--max-connections <n>', 'most open connections', '1024')
    .option('--shutdown-timeout <seconds>', 'on SIGTERM/SIGINT, how long in-flight requests may finish before their connections are closed', '10')
    .option(
      '--allow-host <name>',
      'also answer requests for this Host name (repeatable; loopback names and IP addresses are always answered; * answers any)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(async (flags: ServeFlags) => {
      const server = await startServer({
        modelDir: flags.model,
        port: integerFlag('port', flags.port, 0, 65535),
        host: flags.host,
        bodyLimit: integerFlag('body-limit', flags.bodyLimit, 1, 2 ** 30),
        batchWindowMs: integerFlag('batch-window', flags.batchWindow, 0, 10_000),
        maxBatch: integerFlag('max-batch', flags.maxBatch, 1, 10_000),
        serveModelFiles: flags.modelFiles,
        logger: flags.log ?? false,
        allowHosts: flags.allowHost,
        requestTimeoutMs: integerFlag('request-timeout', flags.requestTimeout, 1, 3600) * 1000,
        maxUnfinishedBytes: integerFlag('max-unfinished-bytes', flags.maxUnfinishedBytes, 1, 2 ** 40),
        maxConnections: integerFlag('max-connections', flags.maxConnections, 1, 1_000_000),
        shutdownTimeoutMs: integerFlag('shutdown-timeout', flags.shutdownTimeout, 0, 3600) * 1000,
        workers: flags.workers === undefined ? undefined : integerFlag('workers', flags.workers, 0, 64),
        maxQueue: integerFlag('max-queue', flags.maxQueue, 1, 1_000_000),
        maxTextChars: integerFlag('max-text-chars', flags.maxTextChars, 1, 2 ** 30),
        extractTimeoutMs: integerFlag('extract-timeout', flags.extractTimeout, 1, 86_400) * 1000,
      });
      process.stderr.write(`medrex serve: listening on ${server.url} (viewer at ${server.url}/)\n`);
      await server.closed;
    });
}
