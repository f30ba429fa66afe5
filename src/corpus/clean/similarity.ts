/**
 * Near-duplicate detection: Jaccard similarity over word shingles, with MinHash + locality-sensitive hashing to
 * find candidate pairs, so the cost grows with the number of documents times their length rather than with the
 * number of pairs. Candidates are then verified with the exact Jaccard, so LSH can only miss pairs, never invent
 * them; the banding below is chosen so that pairs at the threshold are missed with probability well under 1e-6.
 */

/** Words of three consecutive tokens: short enough for ADE's one-sentence documents, long enough to mean order. */
export const SHINGLE_WORDS = 3;
const NUM_HASHES = 64;

/** FNV-1a, 32 bits: a fast, well-spread string hash (collisions only make Jaccard a tiny bit higher). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The murmur3 finaliser: turns `x ^ seed` into one of NUM_HASHES independent-looking permutations. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const SEEDS = Array.from({ length: NUM_HASHES }, (_, i) => mix(0x9e3779b9 + i * 0x632be5ab));

/** Lower-cased letter and digit runs: punctuation and spacing differences do not make documents different. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Hashed word shingles; a text shorter than one shingle is one shingle of all its words. */
export function shingles(text: string, size = SHINGLE_WORDS): Set<number> {
  const w = words(text);
  const out = new Set<number>();
  if (w.length === 0) return out;
  if (w.length < size) {
    out.add(hashString(w.join(' ')));
    return out;
  }
  for (let i = 0; i + size <= w.length; i += 1) out.add(hashString(w.slice(i, i + size).join(' ')));
  return out;
}

export function jaccard(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let both = 0;
  for (const x of small) if (large.has(x)) both += 1;
  return both / (a.size + b.size - both);
}

function minHash(set: ReadonlySet<number>): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (const x of set) {
    for (let i = 0; i < NUM_HASHES; i += 1) {
      const h = mix(x ^ SEEDS[i]);
      if (h < sig[i]) sig[i] = h;
    }
  }
  return sig;
}

/**
 * Rows per band for a threshold. A pair of similarity s shares at least one band with probability
 * 1 - (1 - s^r)^b; we take the largest r (fewest spurious candidates) for which that is >= 1 - 1e-6 at s = t.
 */
export function rowsPerBand(threshold: number): number {
  for (let r = NUM_HASHES; r >= 1; r -= 1) {
    if (NUM_HASHES % r !== 0) continue;
    const b = NUM_HASHES / r;
    if (1 - (1 - threshold ** r) ** b >= 1 - 1e-6) return r;
  }
  return 1;
}

/** A text's shingles and its LSH band keys, computed once per document. */
export interface Fingerprint {
  shingles: ReadonlySet<number>;
  bandKeys: string[];
}

export interface SimilarityIndex {
  fingerprint(text: string): Fingerprint;
  /** Added items whose exact Jaccard with `fp` is >= the threshold, most similar first. */
  query(fp: Fingerprint): { item: number; similarity: number }[];
  add(item: number, fp: Fingerprint): void;
}

/**
 * An LSH index over shingle sets: `query` returns the added items at least `threshold` similar to a new text.
 * Items are whatever numbers the caller uses (e.g. document indices).
 */
export function createSimilarityIndex(threshold: number): SimilarityIndex {
  const rows = rowsPerBand(threshold);
  const bands = NUM_HASHES / rows;
  const buckets: Map<string, number[]>[] = Array.from({ length: bands }, () => new Map());
  const added = new Map<number, ReadonlySet<number>>();
  return {
    fingerprint(text) {
      const set = shingles(text);
      const sig = minHash(set);
      const bandKeys = Array.from({ length: bands }, (_, b) => sig.subarray(b * rows, (b + 1) * rows).join(','));
      return { shingles: set, bandKeys };
    },
    query(fp) {
      const candidates = new Set<number>();
      fp.bandKeys.forEach((key, b) => {
        for (const item of buckets[b].get(key) ?? []) candidates.add(item);
      });
      const hits: { item: number; similarity: number }[] = [];
      for (const item of candidates) {
        const similarity = jaccard(fp.shingles, added.get(item) as ReadonlySet<number>);
        if (similarity >= threshold) hits.push({ item, similarity });
      }
      return hits.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
    },
    add(item, fp) {
      added.set(item, fp.shingles);
      fp.bandKeys.forEach((key, b) => {
        const list = buckets[b].get(key);
        if (list) list.push(item);
        else buckets[b].set(key, [item]);
      });
    },
  };
}
