/**
 * Where tests find the real public data that lies beside the repository (`../shared/data/`, see DEVELOPERS.md):
 * never in the repository, never needed by CI. Tests that use it skip cleanly, saying so, when it is absent.
 *
 * Looked up, in order: $MEDREX_ADE_DIR (set it where the data lies elsewhere, e.g. in a clone such as CI's), then
 * `../shared/data/ade-corpus-v2` beside the repository root. No machine's absolute path is written here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  process.env.MEDREX_ADE_DIR,
  fileURLToPath(new URL('../../../shared/data/ade-corpus-v2', import.meta.url)),
].filter((dir): dir is string => dir !== undefined && dir !== '');

/** The ADE corpus directory (holding DRUG-AE.rel), or the first candidate if none exists (then `ADE_PRESENT` is false). */
export const ADE_DIR: string = candidates.find((dir) => existsSync(`${dir}/DRUG-AE.rel`)) ?? candidates[0];

export const ADE_PRESENT: boolean = existsSync(`${ADE_DIR}/DRUG-AE.rel`);
