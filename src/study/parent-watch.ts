/**
 * A run's child process dies with its parent (the study or the worker), promptly, even in the middle of an epoch.
 *
 * The IPC channel's `disconnect` event is not enough on its own: training runs synchronously for a whole epoch,
 * so the event loop (and that event) waits until the epoch ends. The watch therefore runs outside the child's main
 * thread: on Linux a tiny shell loop (a separate process, so it adds nothing to the run's measured memory or CPU)
 * that reads the child's parent pid from /proc twice a second and SIGKILLs the child once it changes (the parent
 * died and the child was re-parented); elsewhere a small worker thread doing the same with `process.ppid`.
 * The watcher ends by itself when the child ends.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface ParentWatch {
  /** How it watches: `proc` (shell loop over /proc), `thread`, or `none` (no parent to watch). */
  kind: 'proc' | 'thread' | 'none';
}

/**
 * Starts watching the parent of this process (see the module comment). `intervalMs` defaults to 500; `thread`
 * forces the worker-thread watch (tests).
 */
export function watchParent(intervalMs = 500, options: { thread?: boolean } = {}): ParentWatch {
  const parent = process.ppid;
  if (parent <= 1) return { kind: 'none' };
  if (process.platform !== 'win32' && process.send) process.on('disconnect', () => process.exit(1));
  const seconds = (Math.max(50, intervalMs) / 1000).toFixed(3);
  if (!options.thread && process.platform === 'linux' && existsSync(`/proc/${process.pid}/stat`) && existsSync('/bin/sh')) {
    const pid = process.pid;
    // After the pid and the command name (in parentheses, may hold spaces) are cut off /proc/PID/stat, field 2 is
    // the parent pid and field 20 the start time: a different start time means the pid now names another process.
    const script =
      `started=; while :; do { read -r s < /proc/${pid}/stat; } 2>/dev/null || exit 0; s=\${s##*) }; set -- $s; ` +
      `[ -n "$started" ] || started=\${20}; [ "\${20}" = "$started" ] || exit 0; ` +
      `[ "$2" = "${parent}" ] || break; sleep ${seconds}; done; kill -9 ${pid} 2>/dev/null`;
    const watcher = spawn('/bin/sh', ['-c', script], { stdio: 'ignore', detached: false });
    watcher.on('error', () => undefined);
    watcher.unref();
    return { kind: 'proc' };
  }
  const code =
    "const { workerData } = require('node:worker_threads');" +
    "setInterval(() => { if (process.ppid !== workerData.parent) process.kill(workerData.pid, 'SIGKILL'); }, workerData.intervalMs);";
  const thread = new Worker(code, {
    eval: true,
    // Not the process's own flags: with --input-type=module the eval'd code would be ESM, without `require`.
    execArgv: [],
    workerData: { parent, pid: process.pid, intervalMs },
    resourceLimits: { maxOldGenerationSizeMb: 16 },
  });
  thread.on('error', () => undefined);
  thread.unref();
  return { kind: 'thread' };
}
