/**
 * Entry point of the child process in which a queue worker trains one run. Same as ../child.ts, except that the
 * child stops when its worker goes away: a worker killed mid-run leaves no orphan training for a result nobody
 * will read (the queue gives the run to another worker).
 */
import { executeJob, type RunJob } from '../job.js';
import { watchParent } from '../parent-watch.js';
import { runOne } from '../run-one.js';

if (process.send) {
  // Within half a second of the worker's death, even mid-epoch (../parent-watch.ts).
  watchParent();
  process.once('message', (job: RunJob) => {
    void executeJob(job, runOne).then((reply) => {
      process.send!(reply, () => process.exit(reply.ok ? 0 : 1));
    });
  });
}
