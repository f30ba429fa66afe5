/**
 * Reference kernels: plain JavaScript loops implementing `Kernels` exactly as documented in `types.ts`.
 *
 * This is the oracle the WebAssembly kernels are tested against, so it is written to be obviously right, not
 * fast: one loop nest per kernel, the formula in a comment, reductions accumulated in float64 (JS numbers)
 * and stored as float32. It is also a fallback backend where WebAssembly SIMD is missing.
 */
import { Arena } from './arena.js';
import type { Kernels, Ptr } from './types.js';

/** Default initial memory: 16 pages = 1 MiB; the arena grows it on demand. */
const DEFAULT_PAGES = 16;

/** log(sum(exp(values))) that is -Infinity (not NaN) when every value is -Infinity. */
function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function createReferenceKernels(memory?: WebAssembly.Memory): Kernels {
  const mem = memory ?? new WebAssembly.Memory({ initial: DEFAULT_PAGES });
  const arena = new Arena(mem);

  // Whole-memory views, rebuilt when the memory grows (growth detaches the old buffer).
  let viewBuffer: ArrayBufferLike | undefined;
  let F = new Float32Array(0);
  let I = new Int32Array(0);
  const heap = (): void => {
    if (viewBuffer !== mem.buffer) {
      viewBuffer = mem.buffer;
      F = new Float32Array(mem.buffer);
      I = new Int32Array(mem.buffer);
    }
  };
  /** Element index of a byte pointer. */
  const at = (ptr: Ptr): number => ptr >> 2;

  /** Transition score from tag i to tag j, -Infinity where `allowed` forbids it. */
  const transitionScore = (transitions: Ptr, allowed: Ptr, numTags: number, i: number, j: number): number => {
    if (allowed !== 0 && F[at(allowed) + i * numTags + j] === 0) return -Infinity;
    return F[at(transitions) + i * numTags + j];
  };

  return {
    name: 'reference',
    memory: mem,

    alloc: (bytes) => arena.alloc(bytes),
    mark: () => arena.mark(),
    reset: (mark) => arena.reset(mark),
    peakBytes: () => arena.peakBytes(),
    f32: (ptr, length) => new Float32Array(mem.buffer, ptr, length),
    i32: (ptr, length) => new Int32Array(mem.buffer, ptr, length),

    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      heap();
      const A = at(a);
      const B = at(b);
      const C = at(c);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) {
            // op(A)[i, p] and op(B)[p, j]; a transposed operand is stored the other way round.
            const aip = transA ? F[A + p * lda + i] : F[A + i * lda + p];
            const bpj = transB ? F[B + j * ldb + p] : F[B + p * ldb + j];
            sum += aip * bpj;
          }
          // As in BLAS, beta == 0 means C is not read (it may hold garbage or NaN).
          const old = beta === 0 ? 0 : beta * F[C + i * ldc + j];
          F[C + i * ldc + j] = alpha * sum + old;
        }
      }
    },

    addBiasRows(out, bias, rows, cols) {
      heap();
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) F[at(out) + r * cols + j] += F[at(bias) + j];
      }
    },

    sumRows(d, dbias, rows, cols) {
      heap();
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += F[at(d) + r * cols + j];
        F[at(dbias) + j] += sum;
      }
    },

    fill(x, n, value) {
      heap();
      F.fill(value, at(x), at(x) + n);
    },

    copy(src, dst, n) {
      heap();
      F.copyWithin(at(dst), at(src), at(src) + n);
    },

    axpy(n, alpha, x, y) {
      heap();
      for (let i = 0; i < n; i++) F[at(y) + i] += alpha * F[at(x) + i];
    },

    mul(n, a, b, out) {
      heap();
      for (let i = 0; i < n; i++) F[at(out) + i] = F[at(a) + i] * F[at(b) + i];
    },

    scale(n, alpha, x) {
      heap();
      for (let i = 0; i < n; i++) F[at(x) + i] *= alpha;
    },

    sigmoid(n, x, out) {
      heap();
      for (let i = 0; i < n; i++) F[at(out) + i] = sigmoid(F[at(x) + i]);
    },

    tanh(n, x, out) {
      heap();
      for (let i = 0; i < n; i++) F[at(out) + i] = Math.tanh(F[at(x) + i]);
    },

    relu(n, x, out) {
      heap();
      for (let i = 0; i < n; i++) F[at(out) + i] = Math.max(0, F[at(x) + i]);
    },

    sigmoidBackward(n, y, dy, dx) {
      heap();
      for (let i = 0; i < n; i++) {
        const s = F[at(y) + i];
        F[at(dx) + i] += F[at(dy) + i] * s * (1 - s);
      }
    },

    tanhBackward(n, y, dy, dx) {
      heap();
      for (let i = 0; i < n; i++) {
        const t = F[at(y) + i];
        F[at(dx) + i] += F[at(dy) + i] * (1 - t * t);
      }
    },

    reluBackward(n, y, dy, dx) {
      heap();
      for (let i = 0; i < n; i++) if (F[at(y) + i] > 0) F[at(dx) + i] += F[at(dy) + i];
    },

    sumSquares(n, x) {
      heap();
      let sum = 0;
      for (let i = 0; i < n; i++) sum += F[at(x) + i] * F[at(x) + i];
      return sum;
    },

    gatherRows(table, dim, ids, count, out) {
      heap();
      for (let r = 0; r < count; r++) {
        const row = I[at(ids) + r];
        for (let j = 0; j < dim; j++) F[at(out) + r * dim + j] = F[at(table) + row * dim + j];
      }
    },

    scatterAddRows(dtable, dim, ids, count, d) {
      heap();
      for (let r = 0; r < count; r++) {
        const row = I[at(ids) + r];
        for (let j = 0; j < dim; j++) F[at(dtable) + row * dim + j] += F[at(d) + r * dim + j];
      }
    },

    lstmCellForward(batch, hidden, gates, cPrev, hPrev, c, h, tanhC, mask) {
      heap();
      const H = hidden;
      for (let b = 0; b < batch; b++) {
        const g0 = at(gates) + b * 4 * H; // row b: [i | f | g | o], each H wide
        for (let j = 0; j < H; j++) {
          const ig = sigmoid(F[g0 + j]);
          const fg = sigmoid(F[g0 + H + j]);
          const gg = Math.tanh(F[g0 + 2 * H + j]);
          const og = sigmoid(F[g0 + 3 * H + j]);
          F[g0 + j] = ig;
          F[g0 + H + j] = fg;
          F[g0 + 2 * H + j] = gg;
          F[g0 + 3 * H + j] = og;
          const s = b * H + j;
          const padded = mask !== 0 && F[at(mask) + b] === 0;
          if (padded) {
            F[at(c) + s] = F[at(cPrev) + s];
            F[at(h) + s] = F[at(hPrev) + s];
            F[at(tanhC) + s] = Math.tanh(F[at(cPrev) + s]);
          } else {
            const cNew = fg * F[at(cPrev) + s] + ig * gg;
            const tc = Math.tanh(cNew);
            F[at(c) + s] = cNew;
            F[at(tanhC) + s] = tc;
            F[at(h) + s] = og * tc;
          }
        }
      }
    },

    lstmCellBackward(batch, hidden, gates, cPrev, tanhC, dh, dc, dGates, dcPrev, dhPrev, mask) {
      heap();
      const H = hidden;
      for (let b = 0; b < batch; b++) {
        const g0 = at(gates) + b * 4 * H;
        const d0 = at(dGates) + b * 4 * H;
        const padded = mask !== 0 && F[at(mask) + b] === 0;
        for (let j = 0; j < H; j++) {
          const s = b * H + j;
          // Read everything first: dhPrev/dcPrev may alias dh/dc.
          const dhv = F[at(dh) + s];
          const dcv = F[at(dc) + s];
          if (padded) {
            F[d0 + j] = 0;
            F[d0 + H + j] = 0;
            F[d0 + 2 * H + j] = 0;
            F[d0 + 3 * H + j] = 0;
            F[at(dhPrev) + s] = dhv;
            F[at(dcPrev) + s] = dcv;
            continue;
          }
          const ig = F[g0 + j];
          const fg = F[g0 + H + j];
          const gg = F[g0 + 2 * H + j];
          const og = F[g0 + 3 * H + j];
          const tc = F[at(tanhC) + s];
          // h = o * tanh(c); c = f * cPrev + i * g
          const dcTotal = dcv + dhv * og * (1 - tc * tc);
          const dO = dhv * tc;
          F[d0 + j] = dcTotal * gg * ig * (1 - ig); // through sigmoid
          F[d0 + H + j] = dcTotal * F[at(cPrev) + s] * fg * (1 - fg);
          F[d0 + 2 * H + j] = dcTotal * ig * (1 - gg * gg); // through tanh
          F[d0 + 3 * H + j] = dO * og * (1 - og);
          F[at(dcPrev) + s] = dcTotal * fg;
          F[at(dhPrev) + s] = 0; // the recurrent part dGates * W_hh^T is added by the caller
        }
      }
    },

    softmaxCrossEntropy(rows, classes, logits, targets, classWeights, probs, dLogits) {
      heap();
      const weightOf = (cls: number): number => (classWeights === 0 ? 1 : F[at(classWeights) + cls]);
      let normaliser = 0;
      for (let r = 0; r < rows; r++) {
        const t = I[at(targets) + r];
        if (t >= 0) normaliser += weightOf(t);
      }
      let lossSum = 0;
      const row = new Float64Array(classes);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < classes; j++) row[j] = F[at(logits) + r * classes + j];
        const lse = logSumExp(row);
        for (let j = 0; j < classes; j++) F[at(probs) + r * classes + j] = Math.exp(row[j] - lse);
        const t = I[at(targets) + r];
        if (t < 0) {
          F.fill(0, at(dLogits) + r * classes, at(dLogits) + (r + 1) * classes);
          continue;
        }
        const w = weightOf(t);
        lossSum += w * (lse - row[t]);
        // d(w * (lse - x_t)) / dx_j = w * (p_j - [j == t]), then divided by the normaliser.
        const factor = normaliser === 0 ? 0 : w / normaliser;
        for (let j = 0; j < classes; j++) {
          const p = Math.exp(row[j] - lse);
          F[at(dLogits) + r * classes + j] = factor * (p - (j === t ? 1 : 0));
        }
      }
      return lossSum;
    },

    crfNll(batch, maxLen, numTags, emissions, lengths, tags, transitions, start, end, allowed,
      dEmissions, dTransitions, dStart, dEnd) {
      heap();
      const K = numTags;
      const trans = (i: number, j: number): number => transitionScore(transitions, allowed, K, i, j);
      let nll = 0;
      const alpha = new Float64Array(maxLen * K);
      const beta = new Float64Array(maxLen * K);
      const terms = new Float64Array(K);
      for (let b = 0; b < batch; b++) {
        const E = at(emissions) + b * maxLen * K;
        const D = at(dEmissions) + b * maxLen * K;
        F.fill(0, D, D + maxLen * K);
        const L = I[at(lengths) + b];
        if (L <= 0) continue;
        const emit = (t: number, j: number): number => F[E + t * K + j];

        // Forward: alpha[t, j] = log sum over paths ending in j at t.
        for (let j = 0; j < K; j++) alpha[j] = F[at(start) + j] + emit(0, j);
        for (let t = 1; t < L; t++) {
          for (let j = 0; j < K; j++) {
            for (let i = 0; i < K; i++) terms[i] = alpha[(t - 1) * K + i] + trans(i, j);
            alpha[t * K + j] = logSumExp(terms) + emit(t, j);
          }
        }
        for (let j = 0; j < K; j++) terms[j] = alpha[(L - 1) * K + j] + F[at(end) + j];
        const logZ = logSumExp(terms);

        // Backward: beta[t, i] = log sum over path suffixes after being in i at t.
        for (let i = 0; i < K; i++) beta[(L - 1) * K + i] = F[at(end) + i];
        for (let t = L - 2; t >= 0; t--) {
          for (let i = 0; i < K; i++) {
            for (let j = 0; j < K; j++) terms[j] = trans(i, j) + emit(t + 1, j) + beta[(t + 1) * K + j];
            beta[t * K + i] = logSumExp(terms);
          }
        }

        // Score of the gold path.
        const tag = (t: number): number => I[at(tags) + b * maxLen + t];
        let gold = F[at(start) + tag(0)] + emit(0, tag(0)) + F[at(end) + tag(L - 1)];
        for (let t = 1; t < L; t++) gold += trans(tag(t - 1), tag(t)) + emit(t, tag(t));
        nll += logZ - gold;

        // Gradient of logZ - gold: marginals minus gold indicator counts.
        const marginal = (t: number, j: number): number => Math.exp(alpha[t * K + j] + beta[t * K + j] - logZ);
        for (let t = 0; t < L; t++) {
          for (let j = 0; j < K; j++) F[D + t * K + j] = marginal(t, j);
          F[D + t * K + tag(t)] -= 1;
        }
        for (let j = 0; j < K; j++) {
          F[at(dStart) + j] += marginal(0, j);
          F[at(dEnd) + j] += marginal(L - 1, j);
        }
        F[at(dStart) + tag(0)] -= 1;
        F[at(dEnd) + tag(L - 1)] -= 1;
        for (let t = 1; t < L; t++) {
          for (let i = 0; i < K; i++) {
            for (let j = 0; j < K; j++) {
              const logPair = alpha[(t - 1) * K + i] + trans(i, j) + emit(t, j) + beta[t * K + j] - logZ;
              F[at(dTransitions) + i * K + j] += Math.exp(logPair);
            }
          }
          F[at(dTransitions) + tag(t - 1) * K + tag(t)] -= 1;
        }
      }
      return nll;
    },

    crfViterbi(batch, maxLen, numTags, emissions, lengths, transitions, start, end, allowed, outTags) {
      heap();
      const K = numTags;
      const score = new Float64Array(maxLen * K);
      const backPointer = new Int32Array(maxLen * K);
      for (let b = 0; b < batch; b++) {
        const E = at(emissions) + b * maxLen * K;
        const out = at(outTags) + b * maxLen;
        I.fill(0, out, out + maxLen);
        const L = I[at(lengths) + b];
        if (L <= 0) continue;
        for (let j = 0; j < K; j++) score[j] = F[at(start) + j] + F[E + j];
        for (let t = 1; t < L; t++) {
          for (let j = 0; j < K; j++) {
            let best = -Infinity;
            let arg = 0;
            for (let i = 0; i < K; i++) {
              const s = score[(t - 1) * K + i] + transitionScore(transitions, allowed, K, i, j);
              if (s > best) {
                best = s;
                arg = i;
              }
            }
            score[t * K + j] = best + F[E + t * K + j];
            backPointer[t * K + j] = arg;
          }
        }
        let last = 0;
        let best = -Infinity;
        for (let j = 0; j < K; j++) {
          const s = score[(L - 1) * K + j] + F[at(end) + j];
          if (s > best) {
            best = s;
            last = j;
          }
        }
        I[out + L - 1] = last;
        for (let t = L - 1; t > 0; t--) {
          last = backPointer[t * K + last];
          I[out + t - 1] = last;
        }
      }
    },

    adamStep(n, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step) {
      heap();
      const correction1 = 1 - Math.pow(beta1, step);
      const correction2 = 1 - Math.pow(beta2, step);
      for (let i = 0; i < n; i++) {
        const g = F[at(grad) + i];
        const mi = beta1 * F[at(m) + i] + (1 - beta1) * g;
        const vi = beta2 * F[at(v) + i] + (1 - beta2) * g * g;
        F[at(m) + i] = mi;
        F[at(v) + i] = vi;
        const p = F[at(param) + i];
        // Decoupled weight decay (AdamW, Loshchilov & Hutter): shrink the weight, then take the Adam step.
        const update = mi / correction1 / (Math.sqrt(vi / correction2) + eps);
        F[at(param) + i] = p - lr * weightDecay * p - lr * update;
      }
    },
  };
}
