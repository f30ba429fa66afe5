/**
 * Where tests find the real public data that lies beside the repository (`../shared/data/`, see DEVELOPERS.md):
 * never in the repository, never needed by CI. Tests that use it skip cleanly, saying so, when it is absent.
 *
 * Looked up, in order: $MEDREX_ADE_DIR; `../shared/data/ade-corpus-v2` next to the repository root; the
 * workplace's `/work/shared/data/ade-corpus-v2` (so that a clone elsewhere, such as CI's, still finds it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  process.env.MEDREX_ADE_DIR,
  fileURLToPath(new URL('../../../shared/data/ade-corpus-v2', import.meta.url)),
  '/work/shared/data/ade-corpus-v2',
].filter((dir): dir is string => dir !== undefined && dir !== '');

/** The ADE corpus directory (holding DRUG-AE.rel), or the first candidate if none exists (then `ADE_PRESENT` is false). */
export const ADE_DIR: string = candidates.find((dir) => existsSync(`${dir}/DRUG-AE.rel`)) ?? candidates[0];

export const ADE_PRESENT: boolean = existsSync(`${ADE_DIR}/DRUG-AE.rel`);
