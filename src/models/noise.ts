/**
 * Training noise (dropout masks, word dropout) keyed to the ROWS of a batch rather than to the batch as a whole.
 *
 * Why: data-parallel training cuts a batch into shards, one per thread. If the noise came from one stream per
 * batch, a sentence's dropout mask would depend on which shard it landed in, and so on the thread count. Here
 * every sentence row and every relation-pair row draws from its own stream, derived from (seed, phase, epoch,
 * batch, purpose, row index within the whole batch), so the same sentence gets the same mask however the batch is
 * cut. A shard only needs to know where its rows start in the batch (`rowOffset`, `pairOffset`).
 */
import type { DropoutNoise } from '../engine/ops/dropout.js';
import type { Shape } from '../engine/tensor.js';
import { derivedRandom, type Random } from '../random.js';
import { PAD_ID, UNK_ID } from './vocab.js';

/** Where a network's dropout masks come from. */
export interface NoiseSource {
  /** For a time-major tensor [T, B, ...]: draws for batch row b come from row b's own stream. */
  timeMajor(purpose: string): DropoutNoise;
  /** For a tensor [pairs, ...] of relation-pair rows: each pair row draws from its own stream. */
  pairRows(purpose: string): DropoutNoise;
}

/** Per-row streams for one shard of one training batch. */
export class RowNoise implements NoiseSource {
  /**
   * @param seed the model's seed
   * @param key what identifies the batch (phase, epoch, batch index)
   * @param rowOffset index, within the whole batch, of this shard's first sentence row
   * @param pairOffset index, within the whole batch, of this shard's first relation pair
   */
  constructor(
    private readonly seed: number,
    private readonly key: readonly (string | number)[],
    private readonly rowOffset = 0,
    private readonly pairOffset = 0,
  ) {}

  /** The stream of one row (global index) for one purpose. */
  stream(purpose: string, kind: 'row' | 'pair', index: number): Random {
    return derivedRandom(this.seed, ...this.key, purpose, kind, index);
  }

  timeMajor(purpose: string): DropoutNoise {
    return (uniforms: Float32Array, shape: Shape) => {
      const [steps, batch] = shape;
      const width = uniforms.length / (steps * batch);
      for (let b = 0; b < batch; b++) {
        // Drawn in time order, so a shard padded to fewer steps sees a prefix of the same stream.
        const next = this.stream(purpose, 'row', this.rowOffset + b);
        for (let t = 0; t < steps; t++) {
          const base = (t * batch + b) * width;
          for (let d = 0; d < width; d++) uniforms[base + d] = next();
        }
      }
    };
  }

  pairRows(purpose: string): DropoutNoise {
    return (uniforms: Float32Array, shape: Shape) => {
      const rows = shape[0];
      const width = rows === 0 ? 0 : uniforms.length / rows;
      for (let r = 0; r < rows; r++) {
        const next = this.stream(purpose, 'pair', this.pairOffset + r);
        for (let d = 0; d < width; d++) uniforms[r * width + d] = next();
      }
    };
  }

  /**
   * Word dropout on time-major word ids [steps x batch]: each real token becomes UNK with probability p, drawn
   * from its row's stream (padding draws nothing).
   */
  dropWords(words: Int32Array, steps: number, batch: number, p: number): Int32Array {
    const out = Int32Array.from(words);
    if (p <= 0) return out;
    for (let b = 0; b < batch; b++) {
      const next = this.stream('word-dropout', 'row', this.rowOffset + b);
      for (let t = 0; t < steps; t++) {
        const i = t * batch + b;
        if (out[i] !== PAD_ID && next() < p) out[i] = UNK_ID;
      }
    }
    return out;
  }
}

/** One stream for everything, in draw order (prediction graphs, where dropout is off and nothing is drawn). */
export function streamNoise(noise: DropoutNoise): NoiseSource {
  return { timeMajor: () => noise, pairRows: () => noise };
}
