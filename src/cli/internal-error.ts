/**
 * What the user sees when medrex itself fails (a bug or an exhausted resource, not a user error): one line saying
 * what happened and what to do, with the stack trace in a log file rather than on the screen.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Advice for failures a user can work around without a fix in medrex. */
function adviceFor(message: string): string {
  if (/out of engine memory|Array buffer allocation failed|WebAssembly\.Memory/i.test(message)) {
    return 'the model ran out of memory: try a smaller batchSize or hidden size, or --threads 1';
  }
  return 'this is a bug in medrex; please report it with the log file';
}

/** Write the details to a log file and return the one line to print. */
export function describeInternalError(err: unknown, logDir = tmpdir()): string {
  const message = err instanceof Error ? err.message : String(err);
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  const file = join(logDir, `medrex-error-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  let where: string;
  try {
    writeFileSync(file, `medrex ${process.argv.slice(2).join(' ')}\n${detail}\n`);
    where = `details in ${file}`;
  } catch {
    where = 'no log file could be written';
  }
  return `medrex: internal error: ${message.split('\n')[0]} (${adviceFor(message)}; ${where})`;
}
