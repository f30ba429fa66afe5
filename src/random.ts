/**
 * Every seeded pseudo-random number in medrex comes from here, so that initialisation, dropout, shuffling, sampling,
 * statistical tests and the synthetic corpus are reproducible from integer seeds on every platform and Node
 * version. Math.random is never used. Not for cryptography.
 *
 * Two generators, each kept for the streams already published with it:
 *  - mulberry32 (one 32-bit state): models, the engine, the study's significance tests. `derivedRandom(seed,
 *    ...parts)` gives each use its own stream from (seed, purpose, epoch) instead of one long stream: that is what
 *    makes resuming exact (epoch 7 after a restart sees the numbers of epoch 7 of an uninterrupted run) without
 *    saving any generator state in a checkpoint.
 *  - sfc32 seeded through splitmix32, with independent sub-streams of one seed (`Rng.stream(seed, i)`): the
 *    synthetic corpus, where document i must not depend on how many documents came before it.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number;

const TWO_32 = 4_294_967_296;

/** mulberry32: tiny, fast, and good enough for initialisation, shuffling and sampling. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_32;
  };
}

/** splitmix32: spreads one 32-bit seed over a well-mixed sequence, used only to fill sfc32's state. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32 on sub-stream `stream` of `seed`: different seeds, and different streams of one seed, are unrelated. */
export function sfc32(seed: number, stream = 0): Random {
  const mix = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2d));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // sfc32 needs a few rounds before its output stops resembling the seed.
  for (let i = 0; i < 12; i++) nextUint32();
  return () => nextUint32() / TWO_32;
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

/** Draws of every kind over one generator: `new Rng(seed)` is mulberry32, `Rng.stream(seed, i)` sfc32. */
export class Rng {
  private readonly random: Random;

  constructor(seed: number | Random) {
    this.random = typeof seed === 'number' ? mulberry32(seed) : seed;
  }

  /** Sub-stream `stream` of `seed` (sfc32), independent of every other stream of the same seed. */
  static stream(seed: number, stream = 0): Rng {
    return new Rng(sfc32(seed, stream));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.random();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return Math.floor(this.random() * TWO_32);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next(); // in (0, 1]: log is finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max], both inclusive. */
  between(min: number, max: number): number {
    if (max < min) throw new RangeError(`between(${min}, ${max}): empty range`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One element, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of entries) {
      r -= w;
      if (r < 0) return item;
    }
    return entries[entries.length - 1][0];
  }

  /** k distinct elements (or all of them if there are fewer), in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.max(0, k));
  }

  /** A new generator whose stream is independent of this one's future draws (for per-worker streams). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * TWO_32));
  }
}
