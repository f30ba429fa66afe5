/**
 * A bump allocator over one WebAssembly.Memory: the only allocator the engine uses.
 *
 * Why a bump allocator: training repeats the same step thousands of times. Parameters and optimiser state are
 * allocated once at the bottom of the arena; everything a step needs (activations, their gradients, kernel
 * scratch) is allocated above a mark and released all at once with `reset(mark)`. Nothing is freed one by one,
 * so a step allocates no JavaScript garbage and the memory never fragments.
 *
 * Memory contents are NOT cleared on allocation or reset: callers fill what they read.
 */
import type { Ptr } from './types.js';

/** All kernel pointers are 16-byte aligned so that SIMD kernels can load whole v128 lanes. */
export const ALIGNMENT = 16;
const PAGE_BYTES = 65_536;

/** Round `bytes` up to the next multiple of 16. */
export function align16(bytes: number): number {
  return Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
}

export class Arena {
  private top: number;
  private peak: number;
  /** First byte the arena owns (16-aligned, never 0 so that pointer 0 can mean "none"). */
  readonly base: number;

  /** One past the last byte the arena may use (Infinity: up to whatever the memory can grow to). */
  readonly limit: number;

  /**
   * @param memory the memory to allocate in (grown on demand).
   * @param base first byte the arena may use; a WebAssembly module passes its heap base so that the arena
   *   never overwrites the module's own static data. Must be > 0: pointer 0 means "no buffer" in kernels.
   * @param limit end of the arena's region: several arenas (one per worker thread) can split one shared memory
   *   into disjoint regions [base, limit), each worker running its shard of a batch in its own scratch.
   */
  constructor(readonly memory: WebAssembly.Memory, base: number = ALIGNMENT, limit = Infinity) {
    if (!Number.isInteger(base) || base <= 0) throw new RangeError(`arena base must be a positive integer, got ${base}`);
    if (!(limit > base)) throw new RangeError(`arena limit ${limit} must be above its base ${base}`);
    this.limit = limit;
    this.base = align16(base);
    this.top = this.base;
    this.peak = this.base;
  }

  /** Allocate `bytes` (rounded up to 16); grows the memory when needed. */
  alloc(bytes: number): Ptr {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${bytes} bytes`);
    const ptr = this.top;
    const end = ptr + align16(bytes);
    if (end > this.limit) {
      throw new RangeError(`out of engine memory: this arena's region ends at ${this.limit}, need ${end}; use a smaller batch`);
    }
    this.ensureCapacity(end);
    this.top = end;
    if (end > this.peak) this.peak = end;
    return ptr;
  }

  /** The current top; pass it to `reset` to free everything allocated after this call. */
  mark(): number {
    return this.top;
  }

  reset(mark: number): void {
    if (mark < this.base || mark > this.top || mark % ALIGNMENT !== 0) {
      throw new RangeError(`arena reset to ${mark} is outside [${this.base}, ${this.top}] or misaligned`);
    }
    this.top = mark;
  }

  /** Most bytes ever in use at once (highest top minus base). */
  peakBytes(): number {
    return this.peak - this.base;
  }

  /** Bytes in use now. */
  usedBytes(): number {
    return this.top - this.base;
  }

  private ensureCapacity(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE_BYTES);
    try {
      this.memory.grow(pages);
    } catch (cause) {
      // A memory with a `maximum` (shared memory always has one) cannot grow past it.
      throw new RangeError(
        `out of engine memory: need ${end} bytes, have ${have}; use a smaller batch or a larger maximum`,
        { cause },
      );
    }
  }
}
