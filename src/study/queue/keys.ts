/**
 * Names shared by the study (producer), the workers and `--status`: the BullMQ queue, the Redis keys of stored
 * corpora and worker heartbeats, and the job id of a run. Pure functions, no Redis: the local study path may load
 * this module without bullmq.
 */
import { createHash } from 'node:crypto';
import { MedrexError } from '../../errors.js';
import type { RunSpec } from '../run-one.js';

export const DEFAULT_QUEUE_NAME = 'medrex-study';

/** Every key we write ourselves starts with this, next to BullMQ's own `bull:<queue>:*` keys. */
const PREFIX = 'medrex';

/** A stored corpus, by the SHA-256 of its bytes (content-addressed: two studies on the same corpus share it). */
export function corpusKey(contentHash: string): string {
  return `${PREFIX}:corpus:${contentHash}`;
}

/** One worker's heartbeat (expires when the worker stops refreshing it). */
export function heartbeatKey(queueName: string, workerId: string): string {
  return `${PREFIX}:worker:${queueName}:${workerId}`;
}

export function heartbeatPattern(queueName: string): string {
  return `${PREFIX}:worker:${queueName}:*`;
}

/**
 * The job id of a run, unique per (run id, spec, corpus): the same run queued twice (a study started again, two
 * studies of the same plan) is one job, so a run is trained and counted once; a changed config or corpus is a
 * new job. BullMQ forbids `:` in custom ids and integer-looking ids; run ids never contain `:` and this one has
 * letters.
 */
export function runKey(spec: Pick<RunSpec, 'id' | 'specKey' | 'corpusHash'>): string {
  const digest = createHash('sha256').update(`${spec.specKey}\n${spec.corpusHash}`).digest('hex').slice(0, 16);
  return `${spec.id.replaceAll(':', '_')}@${digest}`;
}

/** Checks a queue URL early so a typo is a one-line error, not a reconnect loop. */
export function checkQueueUrl(url: string, flag = '--queue'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MedrexError(`${flag} ${JSON.stringify(url)} is not a URL; expected redis://HOST:PORT`, { rule: 'queue-url-invalid' });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new MedrexError(`${flag} ${JSON.stringify(url)} must start with redis:// or rediss://`, { rule: 'queue-url-invalid' });
  }
  return parsed;
}

export function checkQueueName(name: string): string {
  if (name.length === 0 || name.includes(':')) {
    throw new MedrexError(`queue name ${JSON.stringify(name)} must be non-empty and must not contain ":"`, { rule: 'queue-name-invalid' });
  }
  return name;
}
