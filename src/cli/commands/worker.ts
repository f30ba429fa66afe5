/**
 * `medrex worker --queue redis://HOST:PORT`: take study runs from the queue, train and evaluate them, return
 * their records. Runs until SIGINT/SIGTERM (first signal: finish the current run; second: stop now, the queue gives
 * the run to another worker). Logic lives in src/study/queue.
 */
import type { Command } from 'commander';
import { MedrexError } from '../../errors.js';

interface WorkerFlags {
  queue: string;
  queueName?: string;
  cache?: string;
  id?: string;
  concurrency: string;
  lockMs: string;
  stalledMs: string;
}

function wholeNumber(raw: string, flag: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new MedrexError(`${flag} must be a whole number >= ${min}, got ${JSON.stringify(raw)}`, { rule: 'worker-bad-flag' });
  return n;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('Train study runs queued by `medrex study --queue URL` (start one per machine, or per core to spare)')
    .requiredOption('--queue <url>', 'Redis URL of the queue, e.g. redis://10.0.0.5:6379')
    .option('--queue-name <name>', 'queue name (default medrex-study); must match the study\'s')
    .option('--cache <dir>', 'where fetched corpora are kept (default ~/.cache/medrex/corpora)')
    .option('--id <name>', 'worker name shown by --status (default HOST-PID)')
    .option('--concurrency <n>', 'runs trained at once, each in its own process', '1')
    // Defaults: DEFAULT_LOCK_MS and DEFAULT_STALLED_MS of src/study/queue/worker.ts (not imported here: bullmq loads lazily).
    .option('--lock-ms <ms>', 'a run whose worker stops renewing its lock this long is given to another worker', '15000')
    .option('--stalled-ms <ms>', 'how often to look for runs whose worker died', '5000')
    .action(async (flags: WorkerFlags) => {
      const { startWorker } = await import('../../study/queue/worker.js');
      const worker = await startWorker({
        url: flags.queue,
        queueName: flags.queueName,
        cacheDir: flags.cache,
        workerId: flags.id,
        concurrency: wholeNumber(flags.concurrency, '--concurrency', 1),
        lockDurationMs: wholeNumber(flags.lockMs, '--lock-ms', 1000),
        stalledIntervalMs: wholeNumber(flags.stalledMs, '--stalled-ms', 500),
      });
      await new Promise<void>((resolve) => {
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals): void => {
          signals++;
          if (signals > 1) {
            process.stderr.write(`worker ${worker.id}: ${signal} again: stopping now; the queue will give the run to another worker\n`);
            process.exit(130);
          }
          process.stderr.write(`worker ${worker.id}: ${signal}: finishing the current run, then stopping (${signal} again to stop now)\n`);
          void worker.close().then(resolve);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
    });
}
