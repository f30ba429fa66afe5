/**
 * Seeded pseudo-random numbers for everything stochastic in training (shuffling, negative sampling, word dropout).
 *
 * Each use derives its own generator from (seed, purpose, epoch) instead of drawing from one long stream. That is
 * what makes resuming exact: epoch 7 after a restart sees the same random numbers as epoch 7 of an uninterrupted
 * run, without saving any generator state in the checkpoint.
 */

/** A generator of floats in [0, 1) (mulberry32: tiny, fast, and good enough for shuffling and sampling). */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator for one purpose: the same (seed, parts) always gives the same stream; different parts differ. */
export function derivedRandom(seed: number, ...parts: (string | number)[]): Random {
  // FNV-1a over the decimal seed and the parts; collisions only cost independence, never correctness.
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0x2c;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  mix(String(seed));
  for (const part of parts) mix(String(part));
  return mulberry32(h);
}

/** Fisher-Yates shuffle in place; returns the array. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
