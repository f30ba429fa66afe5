/**
 * `medrex study --queue URL --status`: how many runs are queued, running, done and failed on the queue, why the
 * failed ones failed, and what each live worker (one whose heartbeat has not expired) is doing. With the study's
 * report folder, "done" counts the valid records in its runs/ (the truth the report is made from), not Redis's
 * finished jobs, which Redis may have lost (restart without persistence) or may share with other studies.
 */
import { join } from 'node:path';
import Table from 'cli-table3';
import { MedrexError } from '../../errors.js';
import { readAllRecords, RUNS_DIR } from '../record.js';
import { checkQueueName, checkQueueUrl, DEFAULT_QUEUE_NAME, heartbeatPattern } from './keys.js';
import { HeartbeatSchema, type Heartbeat } from './protocol.js';

export interface QueueStatus {
  queueName: string;
  counts: { queued: number; running: number; done: number; failed: number };
  /** Runs being trained, by run id. */
  running: string[];
  /** The most recent failures (all attempts used), newest first. */
  failures: { run: string; attempts: number; reason: string }[];
  workers: Heartbeat[];
  /** With a report folder: the valid records in its runs/, which "done" shows instead of the queue's count. */
  records?: { dir: string; done: number };
}

const MAX_FAILURES_SHOWN = 10;

function runIdOf(data: unknown, fallback: string): string {
  const spec = (data as { spec?: { id?: unknown } } | null)?.spec;
  return typeof spec?.id === 'string' ? spec.id : fallback;
}

export async function readQueueStatus(options: { url: string; queueName?: string; reportDir?: string }): Promise<QueueStatus> {
  checkQueueUrl(options.url);
  const records = options.reportDir === undefined
    ? undefined
    : { dir: join(options.reportDir, RUNS_DIR), done: readAllRecords(options.reportDir).records.length };
  const queueName = checkQueueName(options.queueName ?? DEFAULT_QUEUE_NAME);
  const { Queue } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: (times) => (times > 2 ? null : 200) });
  redis.on('error', () => undefined); // the failed command below says what went wrong
  const queue = new Queue(queueName, { connection: redis });
  queue.on('error', () => undefined);
  try {
    const c = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'paused', 'waiting-children', 'active', 'completed', 'failed');
    const active = await queue.getActive();
    const failed = await queue.getFailed(0, MAX_FAILURES_SHOWN - 1);
    const workers: Heartbeat[] = [];
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', heartbeatPattern(queueName), 'COUNT', 200);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const values = keys.length > 0 ? await redis.mget(...keys) : [];
    for (const value of values) {
      if (value === null) continue; // expired between SCAN and MGET
      try {
        const parsed = HeartbeatSchema.safeParse(JSON.parse(value));
        if (parsed.success) workers.push(parsed.data);
      } catch {
        // Not ours or half written: a status display skips it.
      }
    }
    workers.sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0));
    return {
      queueName,
      counts: {
        queued: c.waiting + c.delayed + c.prioritized + c.paused + c['waiting-children'],
        running: c.active,
        done: c.completed,
        failed: c.failed,
      },
      running: active.map((j) => runIdOf(j.data, j.id ?? '?')).sort(),
      failures: failed.map((j) => ({ run: runIdOf(j.data, j.id ?? '?'), attempts: j.attemptsMade, reason: j.failedReason ?? '' })),
      workers,
      records,
    };
  } catch (err) {
    throw new MedrexError(`cannot read the queue at ${options.url}: ${err instanceof Error ? err.message : String(err)}`, { rule: 'queue-unreachable' });
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

function age(since: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

export function formatQueueStatus(status: QueueStatus, now: number = Date.now()): string {
  const { counts } = status;
  const done = status.records ? `${status.records.done} done (records in ${status.records.dir})` : `${counts.done} done`;
  const lines = [`queue ${status.queueName}: ${counts.queued} queued, ${counts.running} running, ${done}, ${counts.failed} failed`];
  if (status.records && status.records.done !== counts.done) {
    lines.push(`(the queue itself lists ${counts.done} finished runs: Redis may have lost some, or holds other studies' runs)`);
  }
  if (status.running.length > 0) lines.push(`running: ${status.running.join(', ')}`);
  if (status.workers.length === 0) lines.push('workers: none alive (start one with `medrex worker --queue URL`)');
  else {
    const table = new Table({ head: ['worker', 'code', 'doing', 'done', 'failed attempts', 'up'], style: { head: [], border: [], compact: true } });
    for (const w of status.workers) {
      const doing = w.active.length === 0 ? 'idle' : w.active.map((a) => `${a.run} (attempt ${a.attempt}, ${age(a.since, now)})`).join('; ');
      table.push([w.workerId, w.codeFingerprint, doing, String(w.runsDone), String(w.attemptsFailed), age(w.startedAt, now)]);
    }
    lines.push(table.toString());
  }
  for (const f of status.failures) lines.push(`FAILED ${f.run} after ${f.attempts} attempt(s): ${f.reason.split('\n')[0]}`);
  return `${lines.join('\n')}\n`;
}
