/**
 * The study side of the queue: a JobExecutor (the runner's seam, see ../job.ts) that, instead of training a run
 * here, adds it as a BullMQ job and waits for a worker's record, then writes it to `REPORT_DIR/runs/` exactly as a
 * local run would. So resuming, the report and `--report-only` work the same with or without a queue.
 *
 * Waiting polls the job's state rather than listening to events: a poll also notices when the job has vanished
 * (Redis restarted without persistence) and then uploads the corpus again and re-adds the job, and a record that
 * reached Redis while the study was stopped is picked up on the next start. A run is counted once: the job id is
 * the run key, a finished job's result is reused, and records are keyed by run id.
 */
import { readFileSync } from 'node:fs';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobExecutor, JobReply } from '../job.js';
import type { RunSpec } from '../run-one.js';
import { RunRecordSchema, writeRecord, type RunRecord } from '../record.js';
import { codeFingerprint } from './code-version.js';
import { uploadCorpus } from './corpus-store.js';
import { checkQueueName, checkQueueUrl, DEFAULT_QUEUE_NAME, runKey } from './keys.js';
import { RUN_JOB_NAME, type RunJobData } from './protocol.js';

export interface QueueExecutorOptions {
  url: string;
  queueName?: string;
  /** Tries per run, including the first (default 3). */
  attempts?: number;
  /** First retry delay; doubles on each retry (default 5 s). */
  backoffMs?: number;
  /** How often a waiting run checks its job (default 1 s). */
  pollMs?: number;
  /** Give a run up when Redis has been unreachable this long (default 60 s). */
  unreachableTimeoutMs?: number;
  codeFingerprint?: string;
  log?: (line: string) => void;
}

export interface QueueExecutor {
  /**
   * Queue a run ahead of time and start collecting it: every run is on the queue at once (all workers busy) and
   * each record is written to `reportDir/runs/` as soon as it arrives, while the runner asks for them one by one.
   */
  enqueue(spec: RunSpec, corpus: Buffer, reportDir: string): Promise<void>;
  /** Wait for the run's record (queueing it if needed) and write it to `REPORT_DIR/runs/`. */
  execute: JobExecutor;
  close(): Promise<void>;
}

const FINISHED_JOB_RETENTION_SECONDS = 7 * 24 * 3600;

/** Longest a single Redis step may take: BullMQ waits for the connection without limit while ioredis reconnects. */
const STEP_TIMEOUT_MS = 10_000;

/** `promise`, or a rejection after `ms` (the step itself is idempotent, so letting it finish later is harmless). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis for ${Math.round(ms / 1000)} s (${what})`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function openQueueExecutor(options: QueueExecutorOptions): Promise<QueueExecutor> {
  checkQueueUrl(options.url);
  const queueName = checkQueueName(options.queueName ?? DEFAULT_QUEUE_NAME);
  const log = options.log ?? (() => undefined);
  const unreachableTimeoutMs = options.unreachableTimeoutMs ?? 60_000;
  const { redis, queue, Job } = await connectQueue(options.url, queueName, log);
  const jobs = runJobs({
    redis, queue, Job, log,
    fingerprint: options.codeFingerprint ?? codeFingerprint(),
    attempts: options.attempts ?? 3,
    backoffMs: options.backoffMs ?? 5000,
  });
  const corpusBytes = fileCache();

  // A collected record is written only once the runner has asked for its first run: the runner first looks for
  // records already in runs/ and counts those as "already done", which a record that just arrived is not.
  let startRunner: () => void = () => undefined;
  const runnerStarted = new Promise<void>((resolve) => (startRunner = resolve));
  let closed = false;
  const waiting: WaitContext = {
    poll: jobs.poll, runnerStarted, isClosed: () => closed, url: options.url,
    pollMs: options.pollMs ?? 1000, unreachableTimeoutMs,
  };

  // Runs queued ahead by `enqueue`, collected (records written) as they finish, whatever order the runner asks in.
  const collecting = new Map<string, Promise<JobReply>>();

  const enqueue = async (spec: RunSpec, corpus: Buffer, reportDir: string): Promise<void> => {
    const id = runKey(spec);
    const state = await within(queue.getJobState(id), STEP_TIMEOUT_MS, `queueing ${spec.id}`);
    if (state === 'unknown') await within(jobs.add(spec, corpus), STEP_TIMEOUT_MS, `queueing ${spec.id}`);
    if (!collecting.has(id)) collecting.set(id, collect(waiting, spec, () => corpus, reportDir));
  };

  const execute: JobExecutor = (job) => {
    startRunner();
    const id = runKey(job.spec);
    const pending = collecting.get(id);
    collecting.delete(id);
    return pending ?? collect(waiting, job.spec, () => corpusBytes(job.corpusPath), job.reportDir);
  };

  return {
    enqueue,
    execute,
    close: async () => {
      closed = true;
      startRunner();
      await Promise.all(collecting.values());
      // Closing waits for Redis; when it is gone, give up after a while rather than hang the study's exit.
      redis.disconnect();
      await within(queue.close(), STEP_TIMEOUT_MS, 'closing the queue').catch(() => undefined);
    },
  };
}

type JobClass = typeof import('bullmq').Job;

/** The study's Redis connection (commands fail after a few reconnects, so a poll can tell how long Redis is away) and queue. */
async function connectQueue(url: string, queueName: string, log: (line: string) => void): Promise<{ redis: Redis; queue: Queue; Job: JobClass }> {
  const { Queue: BullQueue, Job } = await import('bullmq');
  const { Redis: RedisClient } = await import('ioredis');
  const redis: Redis = new RedisClient(url, { maxRetriesPerRequest: 2 });
  let lastError = '';
  redis.on('error', (err: Error) => {
    if (err.message !== lastError) log(`queue: Redis: ${err.message} (reconnecting)`);
    lastError = err.message;
  });
  redis.on('ready', () => {
    if (lastError) log('queue: Redis is back');
    lastError = '';
  });
  const queue: Queue = new BullQueue(queueName, { connection: redis });
  queue.on('error', () => undefined); // reported by the connection's handler above
  return { redis, queue, Job };
}

/** Each file's bytes, read once. */
function fileCache(): (path: string) => Buffer {
  const files = new Map<string, Buffer>();
  return (path) => {
    let bytes = files.get(path);
    if (!bytes) {
      bytes = readFileSync(path);
      files.set(path, bytes);
    }
    return bytes;
  };
}

type PollOutcome = { value: unknown } | { failed: string } | null;

interface RunJobs {
  /** Upload the corpus (again, if Redis lost it) and add the run's job; a job with this id already there is kept. */
  add(spec: RunSpec, corpus: Buffer): Promise<void>;
  /** One look at the run's job: its result, its final failure, or null (still to come; re-queued if lost). */
  poll(spec: RunSpec, corpus: () => Buffer): Promise<PollOutcome>;
}

/** Adding and polling the runs' jobs, remembering which this study added itself. */
function runJobs(ctx: {
  redis: Redis; queue: Queue; Job: JobClass; log: (line: string) => void; fingerprint: string; attempts: number; backoffMs: number;
}): RunJobs {
  const { queue, Job, log, attempts } = ctx;
  // Jobs this study added (or re-added) itself: when one of them fails on every attempt, that is reported; a job
  // found failed that we did not add is a leftover of an earlier study and is tried afresh.
  const added = new Set<string>();
  const add = async (spec: RunSpec, corpus: Buffer): Promise<void> => {
    const data: RunJobData = { spec, corpusContent: await uploadCorpus(ctx.redis, corpus), codeFingerprint: ctx.fingerprint };
    await queue.add(RUN_JOB_NAME, data, {
      jobId: runKey(spec),
      attempts,
      backoff: { type: 'exponential', delay: ctx.backoffMs },
      // Kept for a week so a study started again finds results that arrived while it was stopped.
      removeOnComplete: { age: FINISHED_JOB_RETENTION_SECONDS },
      removeOnFail: { age: FINISHED_JOB_RETENTION_SECONDS },
    });
    added.add(runKey(spec));
  };
  const poll = async (spec: RunSpec, corpus: () => Buffer): Promise<PollOutcome> => {
    const id = runKey(spec);
    const state = await queue.getJobState(id);
    if (state === 'unknown') {
      if (added.has(id)) log(`queue: run ${spec.id} vanished from Redis (restarted without its data?); queueing it again`);
      await add(spec, corpus());
    } else if (state === 'completed') {
      const done = await Job.fromId(queue, id);
      if (done) return { value: done.returnvalue };
    } else if (state === 'failed') {
      const failed = await Job.fromId(queue, id);
      if (added.has(id)) {
        return { failed: `failed on every attempt (${failed?.attemptsMade ?? attempts}): ${failed?.failedReason ?? 'no reason recorded'}` };
      }
      // Left over from an earlier study: try it afresh.
      await failed?.remove();
      await add(spec, corpus());
    }
    return null;
  };
  return { add, poll };
}

interface WaitContext {
  poll: RunJobs['poll'];
  /** Resolves once the runner has asked for its first run. */
  runnerStarted: Promise<void>;
  isClosed(): boolean;
  url: string;
  pollMs: number;
  unreachableTimeoutMs: number;
}

/**
 * Poll the run's job until it has a result: write the record when it completes, queue the run again when Redis
 * lost it, retry a failure left over from an earlier study, give up when Redis stays away too long.
 */
async function collect(ctx: WaitContext, spec: RunSpec, corpus: () => Buffer, reportDir: string): Promise<JobReply> {
  let unreachableSince: number | null = null;
  while (!ctx.isClosed()) {
    let result: { value: unknown } | null = null;
    try {
      const outcome = await within(ctx.poll(spec, corpus), Math.min(STEP_TIMEOUT_MS, ctx.unreachableTimeoutMs), `polling ${spec.id}`);
      unreachableSince = null;
      if (outcome && 'failed' in outcome) return { ok: false, error: outcome.failed };
      result = outcome;
    } catch (err) {
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > ctx.unreachableTimeoutMs) {
        const message = err instanceof Error ? err.message : String(err);
        return {
          ok: false,
          error: `lost the queue at ${ctx.url} for ${Math.round(ctx.unreachableTimeoutMs / 1000)} s (${message}); finished runs are kept in runs/, start the study again to resume`,
        };
      }
    }
    if (result) {
      await ctx.runnerStarted;
      try {
        return acceptRecord(spec, reportDir, result.value);
      } catch (err) {
        return { ok: false, error: `could not write the record of ${spec.id}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, ctx.pollMs));
  }
  return { ok: false, error: 'the study stopped waiting for this run (queue closed)' };
}

/** A worker's result, checked to be this run's record, written to `reportDir/runs/`. */
function acceptRecord(spec: RunSpec, reportDir: string, value: unknown): JobReply {
  const parsed = RunRecordSchema.safeParse(value);
  if (!parsed.success) return { ok: false, error: `the worker returned something that is not a run record: ${parsed.error.issues[0]?.message}` };
  const record: RunRecord = parsed.data;
  if (record.id !== spec.id || record.specKey !== spec.specKey || record.corpusHash !== spec.corpusHash) {
    return { ok: false, error: `the worker returned the record of another run (${record.id}, spec ${record.specKey.slice(0, 12)})` };
  }
  return { ok: true, recordPath: writeRecord(reportDir, record) };
}
