/**
 * Runs the matching rule over every document pair, every mode and every row type for one kind of annotation, and
 * keeps the sums the report is built from. Per-type rows are computed the way the script computes them: both sides
 * filtered to the type first, then matched (equality needs equal types, so this also equals splitting the overall
 * counts by type).
 */
import { countMatches } from './matching.js';
import { addCounts, prfOf, zeroCounts, type Counts, type Prf } from './measures.js';
import { ALL_MODES, type ByMode, type MatchMode } from './spans.js';

export interface ScoredItem {
  type: string;
}

export interface KindInput<T extends ScoredItem> {
  /** Annotations of each paired document, in file order. */
  pairs: { gold: readonly T[]; system: readonly T[] }[];
  /** Annotations of documents found only in gold / only in the system output. */
  goldOnly: (readonly T[])[];
  systemOnly: (readonly T[])[];
  rowTypes: readonly string[];
  equals: (gold: T, system: T, mode: MatchMode) => boolean;
}

export interface KindTally {
  rowTypes: string[];
  /** Counts per row type, summed over paired documents. */
  perType: Map<string, ByMode<Counts>>;
  /** Counts over all types, summed over paired documents. */
  paired: ByMode<Counts>;
  /** P/R/F1 of each paired document, in pairing order. */
  pairedDocuments: ByMode<Prf[]>;
  /** `paired` plus the annotations of unpaired documents (gold ones as FN, system ones as FP). */
  withUnpaired: ByMode<Counts>;
  /** `pairedDocuments` followed by one (all-zero) entry per unpaired document. */
  allDocuments: ByMode<Prf[]>;
}

function perMode<T>(make: () => T): ByMode<T> {
  return { strict: make(), lenient: make(), exact: make() };
}

export function tallyKind<T extends ScoredItem>(input: KindInput<T>): KindTally {
  const perType = new Map(input.rowTypes.map((t) => [t, perMode(zeroCounts)]));
  const paired = perMode(zeroCounts);
  const pairedDocuments = perMode((): Prf[] => []);

  for (const { gold, system } of input.pairs) {
    for (const mode of ALL_MODES) {
      const equal = (g: T, s: T) => input.equals(g, s, mode);
      const counts = countMatches(gold, system, equal);
      addCounts(paired[mode], counts);
      pairedDocuments[mode].push(prfOf(counts));
      for (const [type, sums] of perType) {
        const ofType = (item: T) => item.type === type;
        addCounts(sums[mode], countMatches(gold.filter(ofType), system.filter(ofType), equal));
      }
    }
  }

  const withUnpaired = perMode(zeroCounts);
  const allDocuments = perMode((): Prf[] => []);
  const missed = input.goldOnly.reduce((n, items) => n + items.length, 0);
  const spurious = input.systemOnly.reduce((n, items) => n + items.length, 0);
  const unpairedCount = input.goldOnly.length + input.systemOnly.length;
  for (const mode of ALL_MODES) {
    addCounts(addCounts(withUnpaired[mode], paired[mode]), { tp: 0, fp: spurious, fn: missed });
    allDocuments[mode].push(...pairedDocuments[mode]);
    // A document scored against nothing has TP = 0, so its P, R and F1 are all 0.
    for (let i = 0; i < unpairedCount; i++) allDocuments[mode].push(prfOf(zeroCounts()));
  }

  return { rowTypes: [...input.rowTypes], perType, paired, pairedDocuments, withUnpaired, allDocuments };
}

/** Row types with their display labels and counts, in row order. */
export function labelledRows(
  tally: KindTally,
  labelOf: (type: string) => string,
): { type: string; label: string; counts: ByMode<Counts> }[] {
  return tally.rowTypes.map((type) => ({ type, label: labelOf(type), counts: tally.perType.get(type) ?? perMode(zeroCounts) }));
}
