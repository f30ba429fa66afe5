/*
 * CHANGED (engine-core): clarifications only, no signature changes. `reference.ts` implements exactly these:
 *  - alloc never returns 0 (0 means "no buffer"); memory is NOT zeroed on alloc/reset. `kernels/arena.ts` is a
 *    ready bump allocator (`new Arena(memory, heapBase)`) that wasm.ts can reuse for alloc/mark/reset/peakBytes.
 *  - peakBytes() = highest top minus the arena base (bytes in use at the peak).
 *  - gemm: as in BLAS, beta == 0 means C is not read (may hold NaN). Transposed A is stored K x M (lda >= M);
 *    transposed B is stored N x K (ldb >= K).
 *  - lstmCellForward on a padded row also writes tanhC = tanh(cPrev); gates are activated for every row.
 *  - lstmCellBackward: dhPrev/dcPrev may alias dh/dc (read before write); padded rows get dGates = 0.
 *  - softmaxCrossEntropy: ignored rows get dLogits = 0; a normaliser of 0 gives all-zero gradients.
 *  - crfNll: a sequence of length 0 contributes nothing; dEmissions is overwritten with 0 past each length.
 *  - adamStep: p <- p - lr*wd*p - lr * m^/(sqrt(v^) + eps) with m^ = m/(1-beta1^step), v^ = v/(1-beta2^step)
 *    (PyTorch AdamW placement of eps).
 */
/**
 * The seam between engine ops (shapes, autograd) and kernels (arithmetic), as in TensorFlow.js core.
 *
 * All tensor data lives in ONE WebAssembly linear memory, so the WebAssembly SIMD kernels read and write it
 * without copying. A "pointer" below is a byte offset into `memory.buffer` (always 16-byte aligned for f32
 * arrays that kernels vectorise). Matrices are row-major; `ld*` is the row stride in elements.
 *
 * Two implementations satisfy this interface:
 *  - `reference.ts`: plain JavaScript loops over the same memory; the oracle for kernel tests, and a fallback.
 *  - `wasm.ts`: AssemblyScript kernels (`assembly/`) compiled to WebAssembly SIMD; the default.
 * A third, optional and Node-only, is `native-blas.ts` (`wasm-simd+openblas`): the wasm kernels with `gemm` run by
 * OpenBLAS through a native addon over the same memory, built only where OpenBLAS is installed.
 */
export type Ptr = number;

export interface Kernels {
  /** Human-readable backend name, e.g. `wasm-simd` or `reference`. */
  readonly name: string;
  /** The memory all pointers index into. May grow: re-read `.buffer` after any allocation. */
  readonly memory: WebAssembly.Memory;

  // ---- memory -------------------------------------------------------------------------------------------
  /** Allocate `bytes` (rounded up to 16) from the arena; never freed individually. */
  alloc(bytes: number): Ptr;
  /** Current arena top; `reset(mark)` frees everything allocated after `mark` (per-step scratch). */
  mark(): number;
  reset(mark: number): void;
  /** Highest arena top ever reached, in bytes (for peak-memory reports). */
  peakBytes(): number;
  /** Views on the memory (valid until the memory grows). */
  f32(ptr: Ptr, length: number): Float32Array;
  i32(ptr: Ptr, length: number): Int32Array;

  // ---- dense linear algebra -----------------------------------------------------------------------------
  /** C = alpha * op(A) * op(B) + beta * C, op(A) is M x K, op(B) is K x N, C is M x N. */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Ptr, lda: number, b: Ptr, ldb: number, beta: number, c: Ptr, ldc: number,
  ): void;
  /** out[r, :] += bias[:] for r < rows (row length cols). */
  addBiasRows(out: Ptr, bias: Ptr, rows: number, cols: number): void;
  /** dbias[:] += sum over rows of d[r, :]. */
  sumRows(d: Ptr, dbias: Ptr, rows: number, cols: number): void;

  // ---- elementwise (n elements) -------------------------------------------------------------------------
  fill(x: Ptr, n: number, value: number): void;
  copy(src: Ptr, dst: Ptr, n: number): void;
  /** y += alpha * x */
  axpy(n: number, alpha: number, x: Ptr, y: Ptr): void;
  /** out = a * b (elementwise); out may alias a or b. */
  mul(n: number, a: Ptr, b: Ptr, out: Ptr): void;
  scale(n: number, alpha: number, x: Ptr): void;
  /** Activations: out = f(x); backward: dx += dy * f'(from y = f(x)). */
  sigmoid(n: number, x: Ptr, out: Ptr): void;
  tanh(n: number, x: Ptr, out: Ptr): void;
  relu(n: number, x: Ptr, out: Ptr): void;
  sigmoidBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  tanhBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  reluBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  /** Sum of squares of x (for global-norm gradient clipping). */
  sumSquares(n: number, x: Ptr): number;

  // ---- embeddings ---------------------------------------------------------------------------------------
  /** out[i, :] = table[ids[i], :] for i < count (dim columns). ids is an i32 array. */
  gatherRows(table: Ptr, dim: number, ids: Ptr, count: number, out: Ptr): void;
  /** dtable[ids[i], :] += d[i, :] (sparse gradient accumulation). */
  scatterAddRows(dtable: Ptr, dim: number, ids: Ptr, count: number, d: Ptr): void;

  // ---- LSTM (gate order i, f, g, o; gates is B x 4H holding pre-activations on input) --------------------
  /**
   * One time step, fused: activates `gates` in place (sigmoid i, f, o; tanh g), then
   * c = f * cPrev + i * g, h = o * tanh(c); writes tanh(c) to `tanhC` for the backward pass.
   * mask (f32, length B, may be 0 meaning "no mask"): where mask[b] == 0 the row is padding and
   * h, c are copied from hPrev, cPrev unchanged.
   */
  lstmCellForward(
    batch: number, hidden: number, gates: Ptr, cPrev: Ptr, hPrev: Ptr, c: Ptr, h: Ptr, tanhC: Ptr, mask: Ptr,
  ): void;
  /**
   * Backward of one step. Inputs: activated gates, cPrev, tanhC, dh (gradient w.r.t. h from above and from
   * the next step), dc (gradient w.r.t. c from the next step). Outputs: dGates (B x 4H, pre-activation grads),
   * dcPrev (overwritten), dhPrev (overwritten with the masked pass-through part only; the recurrent part
   * dGates * W_hh^T is added by the caller with gemm). Masked rows pass dh, dc straight through to dhPrev, dcPrev.
   */
  lstmCellBackward(
    batch: number, hidden: number, gates: Ptr, cPrev: Ptr, tanhC: Ptr, dh: Ptr, dc: Ptr,
    dGates: Ptr, dcPrev: Ptr, dhPrev: Ptr, mask: Ptr,
  ): void;

  // ---- softmax cross-entropy ----------------------------------------------------------------------------
  /**
   * Rows of logits (rows x classes), integer targets (i32; a negative target means "ignore this row"), optional
   * class weights (f32 length classes, 0 for none). Writes softmax probabilities to `probs`, and the
   * gradient of (sum of weighted losses) / normaliser to `dLogits`. Returns the sum of weighted losses.
   * normaliser = sum of weights of non-ignored rows.
   */
  softmaxCrossEntropy(
    rows: number, classes: number, logits: Ptr, targets: Ptr, classWeights: Ptr, probs: Ptr, dLogits: Ptr,
  ): number;

  // ---- linear-chain CRF over a batch (emissions B x T x K, lengths i32[B], tags i32[B x T]) ---------------
  /**
   * Negative log-likelihood summed over the batch; also writes its exact gradient w.r.t. emissions
   * (dEmissions, B x T x K, overwritten) and accumulates into dTransitions (K x K, from x to), dStart (K), dEnd (K).
   * `allowed` (f32 K x K, 0 for none): 0 where a transition is forbidden (treated as -inf), 1 elsewhere.
   */
  crfNll(
    batch: number, maxLen: number, numTags: number, emissions: Ptr, lengths: Ptr, tags: Ptr,
    transitions: Ptr, start: Ptr, end: Ptr, allowed: Ptr,
    dEmissions: Ptr, dTransitions: Ptr, dStart: Ptr, dEnd: Ptr,
  ): number;
  /** Viterbi decoding: writes best tags (i32 B x T, 0 past each length) and returns nothing. */
  crfViterbi(
    batch: number, maxLen: number, numTags: number, emissions: Ptr, lengths: Ptr,
    transitions: Ptr, start: Ptr, end: Ptr, allowed: Ptr, outTags: Ptr,
  ): void;

  // ---- optimisers ---------------------------------------------------------------------------------------
  /**
   * AdamW step over n parameters (weightDecay 0 gives Adam). Bias correction uses `step` (1-based).
   */
  adamStep(
    n: number, param: Ptr, grad: Ptr, m: Ptr, v: Ptr, lr: number, beta1: number, beta2: number, eps: number,
    weightDecay: number, step: number,
  ): void;
}
