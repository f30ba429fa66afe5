/**
 * Executes each run in a child process of its own (`child_process.fork` of child.js): per-run CPU time and peak
 * memory, and a crashed run (out of memory, a bug) fails alone while the study goes on.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MedrexError } from '../errors.js';
import type { JobExecutor, JobReply } from './job.js';

/** Last characters of a crashed child's stderr kept for the error message. */
const STDERR_TAIL = 4000;

/**
 * The compiled child entry. From dist/ it is the sibling child.js; when this module runs from its TypeScript
 * source (tests), the compiled one in dist/study/ (Node 20 cannot run .ts files, so `npm run build` must come first).
 */
export function childEntryPath(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  const entry = here.endsWith('.ts')
    ? here.replace(/([\\/])src([\\/]study[\\/])[^\\/]+\.ts$/, '$1dist$2child.js')
    : here.replace(/[^\\/]+\.js$/, 'child.js');
  if (!existsSync(entry)) {
    throw new MedrexError(`the study runs each training in a child process from the built code, and ${entry} is missing: run \`npm run build\` first`, {
      file: entry,
      rule: 'study-not-built',
    });
  }
  return entry;
}

export interface ForkExecutorOptions {
  /** Extra node flags for the child, e.g. `--max-old-space-size=8192`. */
  execArgv?: string[];
  entry?: string;
}

export function forkExecutor(options: ForkExecutorOptions = {}): JobExecutor {
  const entry = options.entry ?? childEntryPath();
  return (job) =>
    new Promise<JobReply>((resolve) => {
      const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: options.execArgv ?? [] });
      let reply: JobReply | null = null;
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
      });
      child.on('message', (message: JobReply) => {
        reply = message;
      });
      child.on('error', (err) => {
        reply ??= { ok: false, error: `could not start the run's process: ${err.message}` };
      });
      child.on('exit', (code, signal) => {
        if (reply) resolve(reply);
        else {
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          resolve({ ok: false, error: `the run's process ${how} without a result${stderr ? `:\n${stderr.trim()}` : ''}` });
        }
      });
      child.send(job);
    });
}
