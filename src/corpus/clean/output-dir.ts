/**
 * Where `clean` may write. The input corpus must never be touched, so the output directory may not be the input,
 * lie inside it, or contain it (the writer's relative paths would then land on input files); paths are compared
 * after resolving symbolic links. A non-empty output directory is refused unless forced.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { MedrexError } from '../../errors.js';

/** The real path of `p`, or of its nearest existing ancestor with the rest appended (for paths not yet made). */
function realPathOf(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  if (parent === abs) return abs;
  return resolve(realPathOf(parent), relative(parent, abs));
}

/** True when `inner` is `outer` or below it. */
function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function checkInputDir(inDir: string): void {
  if (!existsSync(inDir)) throw new MedrexError(`input directory ${inDir} does not exist`, { file: inDir, rule: 'input-not-found' });
  if (!statSync(inDir).isDirectory()) {
    throw new MedrexError(`input ${inDir} is not a directory`, { file: inDir, rule: 'input-not-directory' });
  }
}

export function checkOutputDir(inDir: string, outDir: string, force: boolean): void {
  const input = realPathOf(inDir);
  const output = realPathOf(outDir);
  if (input === output) {
    throw new MedrexError(`output directory is the input directory; choose another one`, {
      file: outDir,
      rule: 'clean-output-is-input',
    });
  }
  if (isWithin(output, input)) {
    throw new MedrexError(`output directory is inside the input directory ${inDir}; choose one outside it`, {
      file: outDir,
      rule: 'clean-output-inside-input',
    });
  }
  if (isWithin(input, output)) {
    throw new MedrexError(`output directory contains the input directory ${inDir}; choose another one`, {
      file: outDir,
      rule: 'clean-output-contains-input',
    });
  }
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) {
    throw new MedrexError(`output ${outDir} exists and is not a directory`, { file: outDir, rule: 'output-not-directory' });
  }
  if (!force && readdirSync(outDir).length > 0) {
    throw new MedrexError(`output directory ${outDir} is not empty (use --force to replace its corpus files)`, {
      file: outDir,
      rule: 'clean-output-not-empty',
    });
  }
}
