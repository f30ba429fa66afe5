/**
 * File-system errors for users: one line naming the path, what failed and what to do, instead of "internal error"
 * and a stack trace. `fsError(err, path, action)` turns a Node error (EACCES, EROFS, ENOSPC, ENOTDIR, EEXIST,
 * ENOENT, EISDIR, ...) into a MedrexError; the CLI also converts any stray one (`isFsError`) before printing.
 */
import { MedrexError } from './errors.js';

const ADVICE: Record<string, { what: string; todo: string }> = {
  EACCES: { what: 'permission denied', todo: 'choose a location you can write to, or change its permissions' },
  EPERM: { what: 'operation not permitted', todo: 'choose a location you can write to, or change its permissions' },
  EROFS: { what: 'the file system is read-only', todo: 'choose a location on a writable file system' },
  ENOSPC: { what: 'no space left on the device', todo: 'free some space or choose another location' },
  EDQUOT: { what: 'disk quota exceeded', todo: 'free some space or choose another location' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', todo: 'choose a path whose parents are folders' },
  EEXIST: { what: 'it already exists', todo: 'remove it or choose another name' },
  ENOENT: { what: 'it does not exist', todo: 'check the path' },
  EISDIR: { what: 'it is a folder, not a file', todo: 'give a file path' },
  ENOTEMPTY: { what: 'the folder is not empty', todo: 'empty it or choose another location' },
  EMFILE: { what: 'too many open files', todo: 'raise the open-file limit (ulimit -n) and run again' },
  EIO: { what: 'input/output error', todo: 'check the disk' },
};

/** A Node file-system error: has a string `code` like `EACCES`. */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((err as NodeJS.ErrnoException).code!);
}

/**
 * One-line MedrexError for a file-system error met while doing `action` (e.g. `cannot write`) on `path` (the error's
 * own path when not given). Other errors (MedrexError included) are returned unchanged.
 */
const ACTIONS: Record<string, string> = {
  open: 'cannot open',
  write: 'cannot write',
  read: 'cannot read',
  mkdir: 'cannot create the folder',
  rename: 'cannot move into place',
  unlink: 'cannot remove',
  rm: 'cannot remove',
  rmdir: 'cannot remove the folder',
  scandir: 'cannot list the folder',
  stat: 'cannot look at',
  copyfile: 'cannot copy',
};

export function fsError(err: unknown, path?: string, action?: string): unknown {
  if (!isFsError(err)) return err;
  action ??= ACTIONS[err.syscall ?? ''] ?? (err.syscall ? `${err.syscall} failed` : 'cannot access');
  const code = err.code!;
  const advice = ADVICE[code] ?? { what: err.message.split('\n')[0], todo: 'check the path and run again' };
  const file = err.path ?? path;
  return new MedrexError(`${action}: ${advice.what} (${code}); ${advice.todo}`, { file, rule: `fs-${code.toLowerCase()}` });
}

/** Runs `fn`, turning file-system errors into one-line MedrexErrors (see fsError). */
export function withFsErrors<T>(path: string, action: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fsError(err, path, action);
  }
}
