/**
 * Which documents train and which test in each run: k folds assigned by a hash of the document id (so the
 * assignment depends neither on file order nor on the machine), the corpus's own folds when it has them (ADE), or
 * the corpus's train/test split. Every configuration and seed sees the same splits, so runs pair up for the
 * significance tests.
 */
import { corpusSplit } from '../corpus/split.js';
import { MedrexError } from '../errors.js';
import { groupBy } from '../group-by.js';

export interface Split {
  /** Fold index, or -1 for the train/test split. */
  fold: number;
  trainIds: string[];
  testIds: string[];
  /** The corpus's own dev part (among `trainIds`), used for early stopping instead of a held-out share. */
  devIds?: string[];
}

/** 32-bit FNV-1a of a string: small, stable across platforms and Node versions. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Ids ordered by the hash of `salt + id` (ties by id), a deterministic shuffle. */
function hashOrder(ids: readonly string[], salt: string): string[] {
  return [...ids].sort((a, b) => fnv1a(salt + a) - fnv1a(salt + b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * k folds of (nearly) equal size: ids in hash order, the one of rank r in fold r mod k. Balanced, unlike
 * `hash mod k`, which on 60 documents can give one fold twice the size of another.
 */
export function hashFolds(ids: readonly string[], k: number): string[][] {
  if (ids.length < k) {
    throw new MedrexError(`${k}-fold cross-validation needs at least ${k} documents, the corpus has ${ids.length}`, {
      rule: 'study-too-few-documents',
    });
  }
  const folds: string[][] = Array.from({ length: k }, () => []);
  hashOrder(ids, 'fold:').forEach((id, rank) => folds[rank % k].push(id));
  return folds;
}

/** Splits from folds: fold i tests, all others train. */
export function splitsFromFolds(folds: readonly (readonly string[])[]): Split[] {
  return folds.map((testIds, fold) => ({
    fold,
    testIds: [...testIds],
    trainIds: folds.flatMap((other, j) => (j === fold ? [] : [...other])),
  }));
}

/**
 * The corpus's own train/test split (top-level folders `train`/`training` and `test`/`testing`, any case, as n2c2,
 * other shared tasks and `medrex synth --split` lay out; `dev`/`devel`/`valid`... is the dev part), or null.
 */
export function trainTestSplit(ids: readonly string[]): { train: string[]; test: string[]; dev: string[] } | null {
  const split = corpusSplit(ids);
  return split ? { train: split.train, test: split.test, dev: split.dev } : null;
}

export interface SplitPlanOptions {
  k: number;
  useTestSet: boolean;
  useCorpusFolds: boolean;
  /** The corpus's own folds (lists of document ids), when the reader provides them. */
  corpusFolds?: readonly (readonly string[])[];
  /** The unit documents belong to (an ADE sentence's article), so the plan can say when hash folds split one. */
  groupOf?: (id: string) => string;
}

export interface SplitPlan {
  splits: Split[];
  /** One line for the report: how the splits were made. */
  description: string;
}

/**
 * The splits of a study. With `useTestSet` and a train/test corpus: one split. Otherwise cross-validation over
 * the training part (the test part, if any, stays untouched), on the corpus's folds when asked and present, else
 * on k hash folds.
 */
export function planSplits(ids: readonly string[], opts: SplitPlanOptions): SplitPlan {
  const known = new Set(ids);
  const split = trainTestSplit(ids);
  if (opts.useTestSet && split) {
    const dev = split.dev.length > 0 ? { devIds: split.dev } : {};
    const devNote = split.dev.length > 0 ? ` (its ${split.dev.length} dev documents for early stopping)` : '';
    return {
      splits: [{ fold: -1, trainIds: [...split.train, ...split.dev], testIds: split.test, ...dev }],
      description: `the corpus's train/test split: trained on ${split.train.length + split.dev.length} documents${devNote}, scored on ${split.test.length}`,
    };
  }
  const pool = split ? [...split.train, ...split.dev] : [...ids];
  const poolNote = split
    ? ` over the ${pool.length} training documents (the corpus has a train/test split: its ${split.test.length} test documents are not used; set useTestSet to train on train and score on test)`
    : ` over ${pool.length} documents`;
  if (opts.useCorpusFolds && opts.corpusFolds && opts.corpusFolds.length >= 2) {
    // Keep only documents that are still in the corpus (cleaning may have dropped some).
    const folds = opts.corpusFolds.map((f) => f.filter((id) => known.has(id)));
    return {
      splits: splitsFromFolds(folds),
      description: `${folds.length}-fold cross-validation on the corpus's own folds${poolNote}`,
    };
  }
  if (split && pool.length < opts.k) {
    throw new MedrexError(
      `${opts.k}-fold cross-validation needs at least ${opts.k} documents, the corpus's train part has ${pool.length}`,
      { rule: 'study-too-few-documents', hint: 'set "useTestSet": true in the study config to train on the train part and score on the test part' },
    );
  }
  const folds = hashFolds(pool, opts.k);
  return {
    splits: splitsFromFolds(folds),
    description: `${opts.k}-fold cross-validation, documents assigned to folds by a hash of their id${poolNote}${splitGroupsNote(folds, opts.groupOf)}`,
  };
}

/**
 * When documents come in groups (an ADE article's sentences) and hash folds put one group's documents in several
 * folds, say how many: such a split tests on sentences whose neighbours were trained on, an easier test than
 * holding groups out whole, and a reader comparing figures must know which one they see.
 */
function splitGroupsNote(folds: readonly (readonly string[])[], groupOf?: (id: string) => string): string {
  if (!groupOf) return '';
  const foldsOfGroup = new Map<string, Set<number>>();
  folds.forEach((ids, fold) => {
    for (const id of ids) {
      const group = groupOf(id);
      const seen = foldsOfGroup.get(group) ?? new Set<number>();
      seen.add(fold);
      foldsOfGroup.set(group, seen);
    }
  });
  const spread = [...foldsOfGroup.values()].filter((f) => f.size > 1).length;
  if (spread === 0) return '';
  return `; ${spread} of ${foldsOfGroup.size} groups (e.g. an article's sentences) have documents in more than one fold, so test documents have training neighbours (the corpus's own folds, when it has them, keep groups whole)`;
}

/**
 * Hold out a dev set from a training part for early stopping: the first `share` of the ids in hash order (at least
 * one when share > 0 and there are two or more). The same for every configuration and seed of a fold.
 */
export function holdOutDev(
  trainIds: readonly string[],
  share: number,
  groupOf: (id: string) => string = (id) => id,
): { train: string[]; dev: string[] } {
  if (share <= 0 || trainIds.length < 2) return { train: [...trainIds], dev: [] };
  const n = Math.min(trainIds.length - 1, Math.max(1, Math.round(trainIds.length * share)));
  // Whole groups (an ADE article's sentences) go to one side, in hash order of the groups.
  const members = groupBy(trainIds, groupOf);
  const dev = new Set<string>();
  for (const g of hashOrder([...members.keys()], 'dev:')) {
    if (dev.size >= n) break;
    const list = members.get(g) as string[];
    if (dev.size + list.length > trainIds.length - 1) continue;
    for (const id of list) dev.add(id);
  }
  return { train: trainIds.filter((id) => !dev.has(id)), dev: trainIds.filter((id) => dev.has(id)) };
}
