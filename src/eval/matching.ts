/**
 * The n2c2 2018 Track 2 matching rule for one document and one kind of annotation (entities or relations).
 *
 * The script first "pares down" the system annotations so that several system annotations matching one gold
 * annotation score once: it walks the system annotations in file order and, for each, the gold annotations in file
 * order; a gold annotation the system one equals is marked if unmarked, and if it was already marked the system
 * annotation is dropped. Dropping does not stop the inner walk, so a dropped annotation still marks any later gold it
 * equals (which then no later system annotation can claim). What remains is scored without any one-to-one
 * alignment: TP = remaining system annotations equal to at least one gold, FP = remaining - TP, FN = gold - TP.
 */
import type { Counts } from './measures.js';

export function countMatches<T>(
  gold: readonly T[],
  system: readonly T[],
  equals: (goldItem: T, systemItem: T) => boolean,
): Counts {
  const goldMarked = new Array<boolean>(gold.length).fill(false);
  const systemKept = new Array<boolean>(system.length).fill(true);
  for (let s = 0; s < system.length; s++) {
    for (let g = 0; g < gold.length; g++) {
      if (!equals(gold[g], system[s])) continue;
      if (!goldMarked[g]) goldMarked[g] = true;
      else systemKept[s] = false;
    }
  }

  let kept = 0;
  let tp = 0;
  for (let s = 0; s < system.length; s++) {
    if (!systemKept[s]) continue;
    kept++;
    if (gold.some((g) => equals(g, system[s]))) tp++;
  }
  return { tp, fp: kept - tp, fn: gold.length - tp };
}
