/**
 * A run as a job: the spec, where the corpus file is, where the record goes. Executing a job means loading the
 * documents it names, calling a RunOne and writing the record atomically. The child process (child.ts) executes
 * jobs with the real RunOne; tests execute them in process with a fake one.
 */
import { readJsonCorpus } from '../corpus/json.js';
import type { Document } from '../corpus/types.js';
import { writeRecord } from './record.js';
import type { RunOne, RunSpec } from './run-one.js';

/** What the parent sends. */
export interface RunJob {
  spec: RunSpec;
  /** medrex JSON corpus holding (at least) every document the spec names. */
  corpusPath: string;
  reportDir: string;
}

/** What the executor reports back. */
export type JobReply = { ok: true; recordPath: string } | { ok: false; error: string };

/** Runs a job somewhere (a child process, or in process for tests). */
export type JobExecutor = (job: RunJob) => Promise<JobReply>;

function pick(byId: Map<string, Document>, ids: readonly string[]): Document[] {
  return ids.map((id) => {
    const doc = byId.get(id);
    if (!doc) throw new Error(`document ${id} is not in the study corpus`);
    return doc;
  });
}

/** Load the job's documents, run it and write its record; errors become `{ ok: false }`. */
export async function executeJob(job: RunJob, run: RunOne): Promise<JobReply> {
  try {
    const { documents } = await readJsonCorpus(job.corpusPath);
    const byId = new Map(documents.map((d) => [d.id, d]));
    const record = await run(job.spec, pick(byId, job.spec.trainIds), pick(byId, job.spec.testIds));
    return { ok: true, recordPath: writeRecord(job.reportDir, record) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

/** An executor that runs jobs in this process (tests; no per-run memory or CPU isolation). */
export function inProcessExecutor(run: RunOne): JobExecutor {
  return (job) => executeJob(job, run);
}
