/**
 * A queue worker: takes study runs from the BullMQ queue, trains and evaluates each in a child process of its own
 * (same code and same record as the local runner), and returns the run's record as the job's result. Publishes a
 * heartbeat key with what it is doing, for `medrex study --status`.
 *
 * Training runs in a child process, not here, so this process's event loop stays free to renew the job's lock: a
 * live worker is never mistaken for a dead one, and a dead one (killed, machine lost) stops renewing, so BullMQ's
 * stalled-job check hands its run to another worker after `lockDurationMs`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { readJsonCorpus } from '../../corpus/json.js';
import { corpusHash } from '../corpus.js';
import { forkExecutor } from '../fork-executor.js';
import type { JobExecutor } from '../job.js';
import { readRecord, type RunRecord } from '../record.js';
import type { RunSpec } from '../run-one.js';
import { workerChildEntry } from './child-entry.js';
import { codeFingerprint } from './code-version.js';
import { CorpusUnavailableError, fetchCorpus } from './corpus-store.js';
import { checkQueueName, checkQueueUrl, DEFAULT_QUEUE_NAME, heartbeatKey } from './keys.js';
import { parseRunJobData, RUN_JOB_NAME, type Heartbeat } from './protocol.js';

/**
 * A killed worker's run goes back on the queue after at most about lock + stalled interval (defaults: 15 s + 5 s).
 * The lock is renewed every half lock by this process, whose event loop stays free (training runs in a child), so a
 * short lock does not make a live worker look dead; the stalled check is one small Redis script per interval.
 */
export const DEFAULT_LOCK_MS = 15_000;
export const DEFAULT_STALLED_MS = 5_000;

/** Longest `close()` waits for BullMQ to let go once no run is in hand. */
const CLOSE_TIMEOUT_MS = 10_000;

export interface WorkerOptions {
  url: string;
  queueName?: string;
  /** Default `<hostname>-<pid>`. */
  workerId?: string;
  /** Where fetched corpora are kept; default `~/.cache/medrex/corpora`. */
  cacheDir?: string;
  /** Runs trained at once on this machine (each in its own process). Default 1. */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a killed worker's run is retried after about this long (15 s). */
  lockDurationMs?: number;
  /** How often workers look for runs whose worker died (5 s). */
  stalledIntervalMs?: number;
  /** How many times a run may lose its worker before it counts as failed. */
  maxStalledCount?: number;
  heartbeatMs?: number;
  /** Once no run is in hand, how long `close()` waits for BullMQ before disconnecting anyway (default 10 s). */
  closeTimeoutMs?: number;
  /** Overrides the code fingerprint (tests of the refusal). */
  codeFingerprint?: string;
  /** Executes the run (default: a child process of worker-child.js). */
  execute?: JobExecutor;
  log?: (line: string) => void;
}

export interface RunningWorker {
  id: string;
  codeFingerprint: string;
  /** Finish the runs in hand, then disconnect. */
  close(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  checkQueueUrl(options.url);
  const queueName = checkQueueName(options.queueName ?? DEFAULT_QUEUE_NAME);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workerId = options.workerId ?? `${hostname()}-${process.pid}`;
  const fingerprint = options.codeFingerprint ?? codeFingerprint();
  const { Worker: BullWorker, UnrecoverableError } = await import('bullmq');
  const redis = await connect(options.url, (message) => log(`worker ${workerId}: Redis: ${message} (reconnecting)`));
  const beat = await startHeartbeat(redis.commands, queueName, workerId, fingerprint, options.heartbeatMs ?? 2000);
  const admit = runAdmission({
    workerId, fingerprint, commands: redis.commands, UnrecoverableError,
    cacheDir: options.cacheDir ?? join(homedir(), '.cache', 'medrex', 'corpora'),
  });
  const execute = options.execute ?? forkExecutor({ entry: workerChildEntry() });

  const processRun = async (job: Job): Promise<RunRecord> => {
    const { spec, corpusPath } = await admit(job);
    const entry = { run: spec.id, attempt: job.attemptsMade + 1, since: new Date().toISOString() };
    beat.begin(entry);
    log(`worker ${workerId}: start ${spec.id} (attempt ${entry.attempt})`);
    try {
      return await executeRun(execute, spec, corpusPath);
    } finally {
      beat.end(entry);
    }
  };

  const worker: Worker = new BullWorker(
    queueName,
    async (job: Job) => {
      if (job.name !== RUN_JOB_NAME) throw new UnrecoverableError(`unknown job kind ${JSON.stringify(job.name)}`);
      return processRun(job);
    },
    {
      connection: redis.bullConnection,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_MS,
      stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_MS,
      maxStalledCount: options.maxStalledCount ?? 2,
    },
  );
  reportEvents(worker, workerId, beat.heartbeat, log, redis.onError);
  await worker.waitUntilReady();
  log(`worker ${workerId}: waiting for runs on queue ${queueName} (code ${fingerprint})`);

  let closing: Promise<void> | null = null;
  return {
    id: workerId,
    codeFingerprint: fingerprint,
    close: () =>
      (closing ??= (async () => {
        // Graceful: wait for the runs in hand. BullMQ's close can wait forever on a connection that Redis dropped
        // (restarted empty while we trained), so after the runs are done it gets a bounded time to say goodbye.
        const closed = worker.close();
        while (beat.heartbeat.active.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS).unref())]);
        await beat.stop();
        redis.commands.disconnect();
        redis.bullConnection.disconnect();
      })()),
  };
}

interface WorkerRedis {
  /** BullMQ's blocking connection. */
  bullConnection: Redis;
  /** Our own commands: heartbeat and corpus. */
  commands: Redis;
  /** Reports a connection problem once per distinct message. */
  onError(err: Error): void;
}

/** The worker's two Redis connections, reporting each distinct connection problem once. */
async function connect(url: string, report: (message: string) => void): Promise<WorkerRedis> {
  const { Redis: RedisClient } = await import('ioredis');
  // BullMQ's blocking connection must retry forever (maxRetriesPerRequest: null); our own commands (heartbeat,
  // corpus) fail after a few retries instead of piling up while Redis is away.
  const bullConnection = new RedisClient(url, { maxRetriesPerRequest: null });
  const commands = new RedisClient(url, { maxRetriesPerRequest: 3 });
  let lastConnectionError = '';
  const onError = (err: Error): void => {
    // ioredis reconnects by itself; say so once per distinct problem rather than on every retry.
    if (err.message !== lastConnectionError) report(err.message);
    lastConnectionError = err.message;
  };
  bullConnection.on('error', onError);
  commands.on('error', onError);
  bullConnection.on('ready', () => (lastConnectionError = ''));
  return { bullConnection, commands, onError };
}

type ActiveRun = Heartbeat['active'][number];

interface HeartbeatPublisher {
  readonly heartbeat: Heartbeat;
  /** A run started / ended: published at once. */
  begin(run: ActiveRun): void;
  end(run: ActiveRun): void;
  /** Stop publishing and remove the key. */
  stop(): Promise<void>;
}

/** Publishes what the worker is doing every `heartbeatMs` under a key that expires when it stops (`--status`). */
async function startHeartbeat(
  commands: Redis, queueName: string, workerId: string, fingerprint: string, heartbeatMs: number,
): Promise<HeartbeatPublisher> {
  const heartbeat: Heartbeat = {
    workerId,
    host: hostname(),
    pid: process.pid,
    codeFingerprint: fingerprint,
    startedAt: new Date().toISOString(),
    active: [],
    runsDone: 0,
    attemptsFailed: 0,
  };
  const key = heartbeatKey(queueName, workerId);
  const publish = async (): Promise<void> => {
    try {
      await commands.set(key, JSON.stringify(heartbeat), 'PX', heartbeatMs * 3);
    } catch {
      // Redis away: the heartbeat expires and --status shows the worker gone, which is the truth as Redis sees it.
    }
  };
  const timer = setInterval(() => void publish(), heartbeatMs);
  await publish();
  return {
    heartbeat,
    begin(run) {
      heartbeat.active.push(run);
      void publish();
    },
    end(run) {
      heartbeat.active = heartbeat.active.filter((a) => a !== run);
      void publish();
    },
    async stop() {
      clearInterval(timer);
      try {
        await commands.del(key);
      } catch {
        // The heartbeat expires by itself.
      }
    },
  };
}

interface AdmissionContext {
  workerId: string;
  fingerprint: string;
  commands: Redis;
  cacheDir: string;
  UnrecoverableError: typeof import('bullmq').UnrecoverableError;
}

/**
 * The checks before a run is trained here: a well-formed job from the same code, and the corpus it was planned on
 * (fetched into the cache, its semantic hash computed once per file). Throws why a run is refused: unrecoverable
 * where no worker could run it, an ordinary error where another worker (other code, other cache) might.
 */
function runAdmission(ctx: AdmissionContext): (job: Job) => Promise<{ spec: RunSpec; corpusPath: string }> {
  const { workerId, fingerprint, UnrecoverableError } = ctx;
  const checkedCorpora = new Map<string, string>();
  /** The semantic hash of a cached corpus file (what the study's records are keyed by), computed once per file. */
  const semanticHash = async (path: string): Promise<string> => {
    let hash = checkedCorpora.get(path);
    if (!hash) {
      hash = corpusHash((await readJsonCorpus(path)).documents);
      checkedCorpora.set(path, hash);
    }
    return hash;
  };
  return async (job) => {
    const data = parseRunJobData(job.data);
    if (typeof data === 'string') throw new UnrecoverableError(data);
    const { spec } = data;
    if (data.codeFingerprint !== fingerprint) {
      // Not unrecoverable: a worker with the right code may take the next attempt.
      throw new Error(
        `worker ${workerId} refuses run ${spec.id}: it runs medrex code ${fingerprint}, the study queued it with ${data.codeFingerprint}; ` +
          'build the same sources on both machines (npm run build) and restart the worker',
      );
    }
    let corpusPath: string;
    try {
      corpusPath = await fetchCorpus(ctx.commands, data.corpusContent, ctx.cacheDir);
    } catch (err) {
      if (err instanceof CorpusUnavailableError) throw new Error(`worker ${workerId} refuses run ${spec.id}: ${err.message}`);
      throw err;
    }
    const got = await semanticHash(corpusPath);
    if (got !== spec.corpusHash) {
      throw new UnrecoverableError(
        `worker ${workerId} refuses run ${spec.id}: the stored corpus has hash ${got.slice(0, 12)}, the run was planned on ${spec.corpusHash.slice(0, 12)}`,
      );
    }
    return { spec, corpusPath };
  };
}

/** Trains and evaluates one run in a scratch report folder (removed afterwards) and returns its record. */
async function executeRun(execute: JobExecutor, spec: RunSpec, corpusPath: string): Promise<RunRecord> {
  const reportDir = mkdtempSync(join(tmpdir(), 'medrex-worker-run-'));
  try {
    const reply = await execute({ spec, corpusPath, reportDir });
    if (!reply.ok) throw new Error(reply.error);
    const record = readRecord(reply.recordPath);
    if (!record) throw new Error(`the run's process reported ${reply.recordPath} but it is not a valid record`);
    return record;
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Logs what BullMQ reports and counts finished and failed attempts in the heartbeat. */
function reportEvents(worker: Worker, workerId: string, heartbeat: Heartbeat, log: (line: string) => void, onConnectionError: (err: Error) => void): void {
  worker.on('error', (err) => {
    // A finished run whose job is gone (Redis restarted empty, or its lock expired and another worker took it):
    // the result cannot be delivered, and the study queues the run again or already has it from the other worker.
    if (/^Missing (key|lock) for job/.test(err.message)) log(`worker ${workerId}: ${err.message}: result dropped, the queue no longer holds this run for us`);
    else onConnectionError(err);
  });
  worker.on('completed', (job) => {
    heartbeat.runsDone++;
    log(`worker ${workerId}: done ${job.id}`);
  });
  worker.on('failed', (job, err) => {
    heartbeat.attemptsFailed++;
    log(`worker ${workerId}: FAILED ${job?.id ?? '?'}: ${err.message.split('\n')[0]}`);
  });
}
