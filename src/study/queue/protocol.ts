/**
 * What travels through the queue: the job a study adds for each run, and the heartbeat a worker publishes.
 * Both are validated on receipt: a queue may be shared with other (older, newer) medrex versions.
 */
import { z } from 'zod';
import type { RunSpec } from '../run-one.js';

/** BullMQ job name of a study run. */
export const RUN_JOB_NAME = 'study-run';

export interface RunJobData {
  spec: RunSpec;
  /** SHA-256 of the stored JSON corpus bytes (see corpus-store.ts). */
  corpusContent: string;
  /** Code fingerprint of the study that queued the run (see code-version.ts); a worker refuses any other. */
  codeFingerprint: string;
}

// The spec is checked for what the worker itself reads; the rest is passed on to the run unchanged.
const specSchema = z
  .object({
    id: z.string(),
    specKey: z.string(),
    corpusHash: z.string(),
    trainIds: z.array(z.string()),
    devIds: z.array(z.string()),
    testIds: z.array(z.string()),
  })
  .passthrough();

const runJobDataSchema = z.object({ spec: specSchema, corpusContent: z.string(), codeFingerprint: z.string() });

export function parseRunJobData(data: unknown): RunJobData | string {
  const result = runJobDataSchema.safeParse(data);
  if (!result.success) return `malformed study job: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  return result.data as unknown as RunJobData;
}

export const HeartbeatSchema = z.object({
  workerId: z.string(),
  host: z.string(),
  pid: z.number().int(),
  codeFingerprint: z.string(),
  startedAt: z.string(),
  /** The runs this worker is training now (one unless started with a higher concurrency). */
  active: z.array(z.object({ run: z.string(), attempt: z.number().int(), since: z.string() })),
  runsDone: z.number().int(),
  attemptsFailed: z.number().int(),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;
