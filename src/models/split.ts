/**
 * Holding out a dev split for early stopping: a seeded shuffle of whole documents (never sentences of one document
 * on both sides), so the same seed always holds out the same documents.
 */
import type { Document } from '../corpus/types.js';
import { MedrexError } from '../errors.js';
import { derivedRandom, shuffleInPlace } from '../random.js';

export function splitDev<T extends Pick<Document, 'id'>>(
  documents: readonly T[],
  fraction: number,
  seed: number,
): { train: T[]; dev: T[] } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new MedrexError(`the dev fraction must be at least 0 and below 1, got ${fraction}`, { rule: 'dev-fraction' });
  }
  // Rounded, but at least one dev document whenever a fraction is asked for and one can be spared.
  const wanted = fraction === 0 ? 0 : Math.max(1, Math.round(documents.length * fraction));
  const devCount = Math.min(wanted, documents.length - 1);
  // Shuffle indices, then keep both sides in corpus order so outputs read naturally.
  const order = shuffleInPlace([...documents.keys()], derivedRandom(seed, 'dev-split'));
  const devSet = new Set(order.slice(0, Math.max(devCount, 0)));
  return {
    train: documents.filter((_, i) => !devSet.has(i)),
    dev: documents.filter((_, i) => devSet.has(i)),
  };
}
