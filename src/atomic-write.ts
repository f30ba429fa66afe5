/**
 * Atomic file writes: the bytes go to a temp file in the same folder, are flushed to disk (fsync), and the temp file
 * is renamed over the target (then the folder is flushed too). A reader, or a run resumed after a crash at any
 * point, sees either the old file or the new one, never a mix. Stale temp files (`.NAME.*.tmp`) from a crash are
 * harmless and are replaced by the next write.
 *
 * `FileOps` is the seam to the file system: tests pass `interruptingFileOps(n)` to stop the write at every step.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MedrexError } from './errors.js';
import { fsError } from './fs-errors.js';

export interface FileOps {
  mkdir(dir: string): void;
  open(path: string, flags: string): number;
  write(fd: number, bytes: Uint8Array): void;
  fsync(fd: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

/**
 * `mkdir -p` that always ends: Node's recursive mkdirSync loops forever where the file system answers ENOENT to
 * every mkdir (under /proc, say). Creates the missing folders from the nearest existing ancestor down; errors are
 * the file system's own (EACCES, EROFS, ENOTDIR, ...), and ENOENT below an existing folder becomes one line.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT' && existsSync(dirname(folder))) {
        throw new MedrexError('cannot create a folder here: this file system does not allow it (ENOENT); choose another location', {
          file: folder,
          rule: 'fs-enoent',
        });
      }
      throw err;
    }
  }
}

export const realFileOps: FileOps = {
  mkdir: (dir) => makeDirs(dir),
  open: (path, flags) => openSync(path, flags),
  write: (fd, bytes) => {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  },
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
};

/** The temp file a write of `path` goes through. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Writes `data` to `path` atomically (see the module comment); file-system errors become one-line MedrexErrors. */
export function writeFileAtomic(path: string, data: Uint8Array | string, ops: FileOps = realFileOps): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const dir = dirname(path);
  const temp = tempPathFor(path);
  let fd: number | null = null;
  try {
    ops.mkdir(dir);
    fd = ops.open(temp, 'w');
    ops.write(fd, bytes);
    ops.fsync(fd);
    const open = fd;
    fd = null;
    ops.close(open);
    ops.rename(temp, path);
  } catch (err) {
    try {
      if (fd !== null) ops.close(fd);
      ops.unlink(temp);
    } catch {
      // best effort: a stale temp file does no harm
    }
    throw fsError(err, path, 'cannot write');
  }
  syncFolder(dir, ops);
}

/** Flushes a folder's entries (so a rename survives a power cut); file systems that cannot do it are skipped. */
function syncFolder(dir: string, ops: FileOps): void {
  let fd: number | null = null;
  try {
    fd = ops.open(dir, 'r');
    ops.fsync(fd);
  } catch {
    // not supported here (or interrupted): the rename itself is already done
  } finally {
    if (fd !== null) {
      try {
        ops.close(fd);
      } catch {
        // ignore
      }
    }
  }
}

/**
 * Test seam: real file operations that fail at the `failAt`-th call (0-based) and at every call after it, like a
 * process killed at that point (no clean-up runs). `calls` counts the calls made.
 */
export function interruptingFileOps(failAt: number): FileOps & { calls: number; interrupted: boolean } {
  const ops = {
    calls: 0,
    interrupted: false,
  } as FileOps & { calls: number; interrupted: boolean };
  for (const key of Object.keys(realFileOps) as (keyof FileOps)[]) {
    const real = realFileOps[key] as (...args: unknown[]) => unknown;
    (ops as unknown as Record<string, unknown>)[key] = (...args: unknown[]) => {
      if (ops.calls++ >= failAt) {
        ops.interrupted = true;
        throw new Error(`simulated interruption at ${key}`);
      }
      return real(...args);
    };
  }
  return ops;
}
