/**
 * The code version a worker must share with the study that queued a job: the package version plus a hash of the
 * built code, i.e. the `dist/` tree and the WebAssembly kernels in `build/` (what actually runs, in the worker and
 * in its per-run child process).
 *
 * Why `dist/` and not the git commit: workers may run from a copy without `.git`, and a commit does not see
 * uncommitted edits; why not `src/`: an installed package may have no sources. Two machines that built the same
 * sources with the same TypeScript get byte-identical `dist/` files, so the same fingerprint. Source maps are left
 * out (they hold paths, not behaviour).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MedrexError } from '../../errors.js';
import { medrexVersion } from '../../models/model.js';

/** `dist/` of this installation, whether this module runs from `src/study/queue/*.ts` or `dist/study/queue/*.js`. */
export function distDirectory(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  // Three levels up from study/queue/<file> is the repository root (src/...) or dist/ itself.
  const root = join(here, '..', '..', '..');
  return here.endsWith('.ts') ? join(root, '..', 'dist') : root;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else if (!name.endsWith('.map')) out.push(path);
  }
  return out;
}

/** SHA-256 over (relative path, content) of every file under `dir`, in sorted path order. */
export function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const files = listFiles(dir)
    .map((path) => ({ path, rel: relative(dir, path).split(sep).join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { path, rel } of files) {
    hash.update(`${rel}\n`);
    hash.update(createHash('sha256').update(readFileSync(path)).digest('hex'));
    hash.update('\n');
  }
  return hash.digest('hex');
}

const cache = new Map<string, string>();

/** The built trees that make up the code: compiled JavaScript and the WebAssembly kernels it loads. */
const BUILT_TREES = ['dist', 'build'];

/**
 * `0.1.0+dist.1a2b3c4d5e6f`: package version and the first 12 hex digits of a hash over `dist/` and `build/`
 * (a missing `build/` counts as empty; a missing `dist/` is an error).
 */
export function codeFingerprint(dist: string = distDirectory()): string {
  const cached = cache.get(dist);
  if (cached) return cached;
  if (!existsSync(dist)) {
    throw new MedrexError(`the queue compares code versions by hashing the built code, and ${dist} is missing: run \`npm run build\` first`, {
      file: dist,
      rule: 'queue-not-built',
    });
  }
  const root = join(dist, '..');
  const hash = createHash('sha256');
  for (const tree of BUILT_TREES) {
    const dir = join(root, tree);
    hash.update(`${tree}:${existsSync(dir) ? hashTree(dir) : 'absent'}\n`);
  }
  const fingerprint = `${medrexVersion()}+dist.${hash.digest('hex').slice(0, 12)}`;
  cache.set(dist, fingerprint);
  return fingerprint;
}
