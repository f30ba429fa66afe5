/**
 * Output folders that are safe for the user's files (synth, clean, train, predict, study).
 *
 * A verb writes only into an empty (or new) folder, or into one it wrote before: such a folder holds a manifest,
 * `.medrex-output.json`, listing every file (and folder, with a trailing `/`) the verb wrote there. `--force`
 * removes only what that manifest lists (once the new output is written); files medrex did not write are never deleted or overwritten (a verb that
 * would write over one stops with one line naming it).
 *
 * `claimOutputFolder` is called before any heavy work: it also checks the location (an existing file, a path under
 * a file, a read-only or full file system each give one line, see src/fs-errors.ts) by creating the folder and
 * writing the manifest. `writeStaged` lets a verb write into a staging folder inside the output folder, then moves
 * the files into place: an error (a full disk, say) while writing leaves the folder as it was.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { makeDirs, writeFileAtomic } from './atomic-write.js';
import { MedrexError } from './errors.js';
import { fsError } from './fs-errors.js';

export const MANIFEST_FILE = '.medrex-output.json';
const STAGING_PREFIX = '.medrex-staging-';
const FORMAT = 'medrex-output';

interface Manifest {
  format: typeof FORMAT;
  verb: string;
  /** Paths relative to the folder, with `/`; folders end with `/`. */
  files: string[];
}

export interface ClaimOptions {
  /** Replace what an earlier run of the same verb wrote (removes only the files its manifest lists). */
  force?: boolean;
  /** Continue in a folder the same verb wrote before (train, study), keeping its files. */
  resume?: boolean;
}

function toPosix(rel: string): string {
  return rel.split(sep).join('/');
}

function readManifest(dir: string): Manifest | null {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw fsError(err, path, 'cannot read the output manifest');
    parsed = null;
  }
  const m = parsed as Partial<Manifest> | null;
  if (!m || m.format !== FORMAT || typeof m.verb !== 'string' || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string')) {
    throw new MedrexError('this output manifest is damaged; choose another output folder (or delete the manifest yourself)', {
      file: path,
      rule: 'output-manifest-damaged',
    });
  }
  return m as Manifest;
}

export class OutputFolder {
  private readonly listed: Set<string>;
  /** The next staged write replaces what the manifest lists (claimed with `force`). */
  replacing = false;

  constructor(
    readonly dir: string,
    readonly verb: string,
    files: readonly string[],
  ) {
    this.listed = new Set(files);
  }

  /** What the manifest lists (relative paths; folders end with `/`). */
  files(): string[] {
    return [...this.listed].sort();
  }

  private save(): void {
    const manifest: Manifest = { format: FORMAT, verb: this.verb, files: this.files() };
    writeFileAtomic(join(this.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  }

  /**
   * Records paths (relative to the folder) before they are written. Refuses, before anything is written, a path
   * where a file medrex did not write already exists.
   */
  list(paths: readonly string[]): void {
    const fresh = paths.map(toPosix).filter((p) => !this.listed.has(p));
    for (const rel of fresh) {
      const full = join(this.dir, rel);
      if (!rel.endsWith('/') && existsSync(full)) {
        throw new MedrexError(
          `${this.verb} would overwrite a file it did not write; move it away or choose another output folder`,
          { file: full, rule: 'output-user-file' },
        );
      }
    }
    if (fresh.length === 0) return;
    for (const rel of fresh) this.listed.add(rel);
    this.save();
  }

  /** Removes every file the manifest lists, then its listed folders that are left empty; nothing else. */
  removeListed(): void {
    const entries = this.files();
    for (const rel of entries.filter((p) => !p.endsWith('/'))) {
      const full = join(this.dir, rel);
      try {
        if (existsSync(full) && lstatSync(full).isFile()) rmSync(full);
      } catch (err) {
        throw fsError(err, full, 'cannot remove an earlier output file');
      }
    }
    // Deepest first, and only when empty: a folder holding the user's files stays.
    for (const rel of entries.filter((p) => p.endsWith('/')).sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(join(this.dir, rel));
      } catch {
        // absent or not empty
      }
    }
    this.listed.clear();
    this.save();
  }
}

/**
 * Checks and takes the output folder for `verb` (see the module comment). Throws one-line errors: the path is a
 * file, it cannot be created or written, it holds files medrex did not write, it holds another verb's output, or
 * it holds this verb's output and neither `force` nor `resume` is given.
 */
export function claimOutputFolder(dir: string, verb: string, options: ClaimOptions = {}): OutputFolder {
  let exists = false;
  try {
    const stats = statSync(dir);
    exists = true;
    if (!stats.isDirectory()) {
      throw new MedrexError('the output path is an existing file, not a folder; choose a folder path', {
        file: dir,
        rule: 'output-not-directory',
      });
    }
  } catch (err) {
    if (err instanceof MedrexError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw fsError(err, dir, 'cannot use the output folder');
  }
  if (!exists) {
    try {
      makeDirs(dir);
    } catch (err) {
      throw fsError(err, dir, 'cannot create the output folder');
    }
  }
  const manifest = readManifest(dir);
  if (!manifest) {
    const others = readdirSync(dir).filter((name) => !name.startsWith(STAGING_PREFIX));
    if (others.length > 0) {
      const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ', ...' : '');
      throw new MedrexError(
        `the output folder is not empty and medrex did not write it (it holds ${shown}); medrex writes only into an ` +
          'empty folder or one it wrote before: choose another one',
        { file: dir, rule: 'output-not-empty' },
      );
    }
    const folder = new OutputFolder(dir, verb, []);
    // Writing the manifest is the check that the folder can be written.
    writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify({ format: FORMAT, verb, files: [] }, null, 1)}\n`);
    return folder;
  }
  if (manifest.verb !== verb) {
    throw new MedrexError(`the output folder holds the output of \`medrex ${manifest.verb}\`; choose another one`, {
      file: dir,
      rule: 'output-other-verb',
    });
  }
  const folder = new OutputFolder(dir, verb, manifest.files);
  // With force the earlier output is removed only once the new one is written (writeStaged), so a failed run
  // leaves it whole.
  if (options.force) folder.replacing = true;
  else if (!options.resume && manifest.files.length > 0) {
    throw new MedrexError(`the output folder already holds the output of an earlier \`medrex ${verb}\` (pass --force to replace it)`, {
      file: dir,
      rule: 'output-exists',
    });
  }
  return folder;
}

/** Every file below `dir`, relative to it (with `/`). */
function filesBelow(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(full, base));
    else out.push(toPosix(relative(base, full)));
  }
  return out;
}

/**
 * Runs `write(staging)` with a new staging folder inside the output folder, then lists every file it wrote and
 * moves them into place (renames: no extra space needed). If `write` fails, the staging folder is removed and the
 * output folder is as it was.
 */
export async function writeStaged<T>(folder: OutputFolder, write: (staging: string) => Promise<T>): Promise<T> {
  const staging = join(folder.dir, `${STAGING_PREFIX}${process.pid}`);
  const cleanUp = () => rmSync(staging, { recursive: true, force: true });
  let result: T;
  try {
    // Staging folders left by a killed run (any pid) hold nothing anyone needs.
    for (const name of readdirSync(folder.dir)) {
      if (name.startsWith(STAGING_PREFIX)) rmSync(join(folder.dir, name), { recursive: true, force: true });
    }
    mkdirSync(staging);
    result = await write(staging);
    if (folder.replacing) {
      folder.removeListed();
      folder.replacing = false;
    }
    const written = filesBelow(staging);
    const folders = new Set<string>();
    for (const rel of written) {
      for (let d = dirname(rel); d !== '.'; d = dirname(d)) folders.add(`${d}/`);
    }
    folder.list([...written, ...folders]);
    for (const rel of written) {
      const target = join(folder.dir, rel);
      makeDirs(dirname(target));
      renameSync(join(staging, rel), target);
    }
  } catch (err) {
    try {
      cleanUp();
    } catch {
      // best effort
    }
    // Name the file where it was going, not the staging copy (which is gone).
    const path = (err as NodeJS.ErrnoException | undefined)?.path;
    if (typeof path === 'string' && path.startsWith(staging)) {
      (err as NodeJS.ErrnoException).path = join(folder.dir, relative(staging, path));
    }
    throw fsError(err, folder.dir, 'cannot write the output');
  }
  cleanUp();
  return result;
}
