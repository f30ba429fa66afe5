/**
 * Word vectors from unlabelled text: skip-gram with negative sampling (Mikolov et al. 2013, the word2vec
 * algorithm), written for the sizes medrex meets (a few million tokens at most) on one CPU thread.
 *
 * Why here and not a package: no npm or Debian package trains word2vec offline from JavaScript without native
 * binaries downloaded at install time, and the algorithm is one loop over sparse rows. It runs on plain
 * Float32Arrays rather than the engine's tape, because every step touches only 1 + negatives rows of each table:
 * a dense autograd step would cost the whole vocabulary.
 *
 * Deterministic: every random draw (subsampling, window shrink, negatives, initial vectors) comes from one seeded
 * generator, and the pass over the units is in the order given, so a seed gives the same vectors.
 */
import { Rng } from '../../random.js';

export interface SkipGramOptions {
  /** Vector width. */
  dim: number;
  /** Largest context distance; each centre word draws its own width in [1, window] (word2vec's shrink). */
  window: number;
  /** Negative samples per (centre, context) pair, drawn from unigram counts to the power 0.75. */
  negatives: number;
  epochs: number;
  /** Words seen fewer times get no vector (they stay UNK or keep a random vector in the model). */
  minCount: number;
  /** Starting learning rate; decays linearly to 1/10,000 of it over all epochs. */
  learningRate: number;
  /** Frequent-word subsampling threshold (word2vec's `sample`; 0 = off). */
  subsample: number;
  seed: number;
}

export const SKIP_GRAM_DEFAULTS: SkipGramOptions = {
  dim: 100,
  window: 5,
  negatives: 5,
  epochs: 5,
  minCount: 2,
  learningRate: 0.025,
  subsample: 1e-4,
  seed: 1,
};

export interface SkipGramResult {
  words: string[];
  /** words.length x dim, row-major: the input ("syn0") vectors, as word2vec writes them. */
  vectors: Float32Array;
  dim: number;
  /** Tokens in the input, and (centre, context) pairs trained on over all epochs. */
  tokens: number;
  pairs: number;
}

const UNIGRAM_TABLE_SIZE = 1_000_000;

/** Train vectors on `sentences`, each a list of (already normalised) words. */
export function trainSkipGram(
  sentences: readonly (readonly string[])[],
  options: Partial<SkipGramOptions> = {},
  onEpoch?: (epoch: number, pairs: number) => void,
): SkipGramResult {
  const o = { ...SKIP_GRAM_DEFAULTS, ...options };
  const counts = new Map<string, number>();
  let tokens = 0;
  for (const s of sentences) {
    for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
    tokens += s.length;
  }
  // Most frequent first, ties alphabetically: the order (and so the file) does not depend on input order.
  const words = [...counts].filter(([, n]) => n >= o.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const index = new Map(words.map((w, i) => [w, i]));
  const V = words.length;
  const D = o.dim;
  const rng = new Rng(o.seed);
  const input = new Float32Array(V * D);
  for (let i = 0; i < input.length; i++) input[i] = (rng.next() - 0.5) / D;
  const output = new Float32Array(V * D);
  if (V === 0) return { words, vectors: input, dim: D, tokens, pairs: 0 };

  const frequency = Float64Array.from(words, (w) => counts.get(w) ?? 0);
  const kept = frequency.reduce((a, b) => a + b, 0);
  const keepProbability = Float64Array.from(frequency, (f) => {
    if (o.subsample <= 0) return 1;
    const ratio = f / (o.subsample * kept);
    return Math.min(1, (Math.sqrt(ratio) + 1) / ratio);
  });
  const table = unigramTable(frequency);
  const ids = sentences.map((s) => Int32Array.from(s.map((w) => index.get(w) ?? -1).filter((id) => id >= 0)));

  const totalSteps = o.epochs * kept;
  let processed = 0;
  let pairs = 0;
  const gradient = new Float32Array(D);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (const sentence of ids) {
      const sampled: number[] = [];
      for (const id of sentence) if (keepProbability[id] >= 1 || rng.next() < keepProbability[id]) sampled.push(id);
      processed += sentence.length;
      const lr = Math.max(o.learningRate * 1e-4, o.learningRate * (1 - processed / (totalSteps + 1)));
      for (let c = 0; c < sampled.length; c++) {
        const width = 1 + rng.int(o.window);
        const from = Math.max(0, c - width);
        const to = Math.min(sampled.length - 1, c + width);
        for (let j = from; j <= to; j++) {
          if (j === c) continue;
          // word2vec's arrangement: the context word's input vector is updated against the centre word's
          // output vector and the negatives' output vectors.
          const contextRow = sampled[j] * D;
          gradient.fill(0);
          for (let k = 0; k <= o.negatives; k++) {
            let target: number;
            let label: number;
            if (k === 0) {
              target = sampled[c];
              label = 1;
            } else {
              target = table[rng.int(UNIGRAM_TABLE_SIZE)];
              if (target === sampled[c]) continue;
              label = 0;
            }
            const targetRow = target * D;
            let dot = 0;
            for (let d = 0; d < D; d++) dot += input[contextRow + d] * output[targetRow + d];
            const g = (label - sigmoid(dot)) * lr;
            for (let d = 0; d < D; d++) {
              gradient[d] += g * output[targetRow + d];
              output[targetRow + d] += g * input[contextRow + d];
            }
          }
          for (let d = 0; d < D; d++) input[contextRow + d] += gradient[d];
          pairs++;
        }
      }
    }
    onEpoch?.(epoch, pairs);
  }
  return { words, vectors: input, dim: D, tokens, pairs };
}

function sigmoid(x: number): number {
  if (x > 6) return 1;
  if (x < -6) return 0;
  return 1 / (1 + Math.exp(-x));
}

/** Word ids laid out in proportion to count^0.75, so a uniform index draws a negative as word2vec does. */
function unigramTable(frequency: Float64Array): Int32Array {
  const table = new Int32Array(UNIGRAM_TABLE_SIZE);
  const powered = Array.from(frequency, (f) => Math.pow(f, 0.75));
  const total = powered.reduce((a, b) => a + b, 0);
  let word = 0;
  let cumulative = powered[0] / total;
  for (let i = 0; i < UNIGRAM_TABLE_SIZE; i++) {
    table[i] = word;
    if (i / UNIGRAM_TABLE_SIZE > cumulative && word < powered.length - 1) {
      word++;
      cumulative += powered[word] / total;
    }
  }
  return table;
}

/** The word2vec text format: a `count dim` header, then `word v1 ... vd` per line (what `readWordVectors` reads). */
export function formatWordVectors(result: Pick<SkipGramResult, 'words' | 'vectors' | 'dim'>): string {
  const lines = [`${result.words.length} ${result.dim}`];
  result.words.forEach((w, i) => {
    const row = result.vectors.subarray(i * result.dim, (i + 1) * result.dim);
    lines.push(`${w} ${Array.from(row, (v) => Number(v.toPrecision(6))).join(' ')}`);
  });
  return `${lines.join('\n')}\n`;
}
