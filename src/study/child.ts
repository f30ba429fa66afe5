/**
 * Entry point of a run's child process (forked by fork-executor.ts): receive one job over IPC, run it, write its
 * record, report back, exit. One process per run makes `process.cpuUsage()` and the peak resident memory that
 * run's own, and a crash (out of memory, a bug) ends this process only, not the study.
 */
import { executeJob, type RunJob } from './job.js';
import { watchParent } from './parent-watch.js';
import { runOne } from './run-one.js';

if (process.send) {
  // Dies with the study (or worker) that forked it, even mid-epoch.
  watchParent();
  process.once('message', (job: RunJob) => {
    void executeJob(job, runOne).then((reply) => {
      process.send!(reply, () => process.exit(reply.ok ? 0 : 1));
    });
  });
}
