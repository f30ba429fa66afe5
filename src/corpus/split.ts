/**
 * Train/test(/dev) splits of a corpus laid out in folders. A document's role is the name of its top-level folder,
 * matched case-insensitively under the common names: `train`/`training`, `test`/`testing`,
 * `dev`/`devel`/`development`/`valid`/`validation`. A corpus has a split when it has both a train part and a test
 * part; the dev part is optional. `withSplitFolders` builds such a corpus from separate directories (`--train DIR
 * --test DIR --dev DIR`), so both layouts go through the same code.
 */
import type { Document } from './types.js';

export type SplitRole = 'train' | 'test' | 'dev';

const ROLE_BY_NAME: Record<string, SplitRole> = {
  train: 'train',
  training: 'train',
  test: 'test',
  testing: 'test',
  dev: 'dev',
  devel: 'dev',
  development: 'dev',
  valid: 'dev',
  validation: 'dev',
};

/** The names recognised, for messages and help. */
export const SPLIT_FOLDER_NAMES: Record<SplitRole, string[]> = { train: [], test: [], dev: [] };
for (const [name, role] of Object.entries(ROLE_BY_NAME)) SPLIT_FOLDER_NAMES[role].push(name);

export function topFolder(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? '' : id.slice(0, slash);
}

/** The role a folder name stands for (any case), or undefined. */
export function splitRoleOfFolder(folder: string): SplitRole | undefined {
  return Object.hasOwn(ROLE_BY_NAME, folder.toLowerCase()) ? ROLE_BY_NAME[folder.toLowerCase()] : undefined;
}

/** The role of a document id by its top-level folder, or undefined. */
export function splitRoleOf(id: string): SplitRole | undefined {
  return splitRoleOfFolder(topFolder(id));
}

export interface CorpusSplit {
  train: string[];
  test: string[];
  /** Empty when the corpus has no dev part. */
  dev: string[];
  /** Ids in none of the parts (other top-level folders or none): not used by the split. */
  other: string[];
}

/** The corpus's split by top-level folders, or null when it has no train part or no test part. */
export function corpusSplit(ids: readonly string[]): CorpusSplit | null {
  const split: CorpusSplit = { train: [], test: [], dev: [], other: [] };
  for (const id of ids) split[splitRoleOf(id) ?? 'other'].push(id);
  return split.train.length > 0 && split.test.length > 0 ? split : null;
}

/** Documents of separate part directories as one corpus: ids become `train/ID`, `test/ID`, `dev/ID`. */
export function withSplitFolders(parts: Partial<Record<SplitRole, readonly Document[]>>): Document[] {
  const out: Document[] = [];
  for (const role of ['train', 'dev', 'test'] as const) {
    for (const d of parts[role] ?? []) out.push({ ...d, id: `${role}/${d.id}` });
  }
  return out;
}
