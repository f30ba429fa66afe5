/**
 * Holding out a dev split for early stopping: a seeded shuffle of whole documents (never sentences of one document
 * on both sides), so the same seed always holds out the same documents. With `groupOf`, whole groups go to one
 * side: an ADE sentence's article (`documentGroup` in src/corpus/unlabelled.ts), so that dev F1 is measured on
 * articles the model has not seen, as the test folds are; sentences of a seen article flatter the dev score and
 * make early stopping late.
 */
import type { Document } from '../corpus/types.js';
import { MedrexError } from '../errors.js';
import { derivedRandom, shuffleInPlace } from '../random.js';
import { groupBy } from '../group-by.js';

export function splitDev<T extends Pick<Document, 'id'>>(
  documents: readonly T[],
  fraction: number,
  seed: number,
  groupOf: (id: string) => string = (id) => id,
): { train: T[]; dev: T[] } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new MedrexError(`the dev fraction must be at least 0 and below 1, got ${fraction}`, { rule: 'dev-fraction' });
  }
  // Rounded, but at least one dev document whenever a fraction is asked for and one can be spared.
  const wanted = fraction === 0 ? 0 : Math.max(1, Math.round(documents.length * fraction));
  const devCount = Math.min(wanted, documents.length - 1);
  // Shuffle groups (in order of first appearance, so the result does not depend on a sort), take whole groups
  // until the dev side is big enough, then keep both sides in corpus order so outputs read naturally.
  const members = groupBy([...documents.keys()], (i) => groupOf(documents[i].id));
  const groups = shuffleInPlace([...members.keys()], derivedRandom(seed, 'dev-split'));
  const devSet = new Set<number>();
  for (const g of groups) {
    if (devSet.size >= devCount) break;
    const list = members.get(g) as number[];
    // Never the whole corpus: a group that would leave no training document is skipped.
    if (devSet.size + list.length > documents.length - 1) continue;
    for (const i of list) devSet.add(i);
  }
  return {
    train: documents.filter((_, i) => !devSet.has(i)),
    dev: documents.filter((_, i) => devSet.has(i)),
  };
}
