/**
 * Seeded parameter initialisers. Each fills a Float32Array in place from an `Rng`, so that a seed fixes every
 * initial weight. Pass them to `ParameterStore.create` as `(v) => xavierUniform(v, fanIn, fanOut, rng)`.
 */
import type { Rng } from '../random.js';

/** U(-range, range). */
export function uniform(values: Float32Array, range: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-range, range);
}

/** N(0, std^2). */
export function normal(values: Float32Array, std: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = std * rng.normal();
}

/**
 * Xavier/Glorot uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), which keeps activation variance about
 * constant across tanh/sigmoid layers (Glorot & Bengio 2010). A weight [in, out] has fanIn = in, fanOut = out.
 */
export function xavierUniform(values: Float32Array, fanIn: number, fanOut: number, rng: Rng): void {
  uniform(values, Math.sqrt(6 / (fanIn + fanOut)), rng);
}

/**
 * Orthogonal blocks for recurrent weights [H, blocks * H] (blocks = 4 for an LSTM): each H x H gate block is an
 * orthogonal matrix (Gram-Schmidt on a Gaussian matrix), which keeps the recurrence from exploding or vanishing
 * at the start of training (Saxe et al. 2014). `cols` must be a multiple of `rows`.
 */
export function orthogonalBlocks(values: Float32Array, rows: number, cols: number, rng: Rng): void {
  if (rows * cols !== values.length || cols % rows !== 0) throw new RangeError(`orthogonalBlocks: bad shape ${rows} x ${cols}`);
  const n = rows;
  for (let block = 0; block < cols / n; block++) {
    // Rows of q are orthonormal vectors of length n, built one by one.
    const q: Float64Array[] = [];
    while (q.length < n) {
      const v = Float64Array.from({ length: n }, () => rng.normal());
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      if (norm < 1e-6) continue; // nearly dependent draw: try again
      q.push(v.map((x) => x / norm));
    }
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) values[r * cols + block * n + c] = q[r][c];
  }
}

/** LSTM gate bias [4H] in order i, f, g, o: zeros, with the forget gate at `forget` (1 by default, Jozefowicz et al. 2015). */
export function lstmBias(values: Float32Array, hidden: number, forget = 1): void {
  if (values.length !== 4 * hidden) throw new RangeError(`lstmBias: expected ${4 * hidden} values, got ${values.length}`);
  values.fill(0);
  values.fill(forget, hidden, 2 * hidden);
}
