/**
 * Linear-chain CRF: negative log-likelihood by the forward algorithm (exact gradient from forward-backward
 * marginals, computed by the kernel), Viterbi decoding, and BIO transition constraints.
 *
 * Emissions are batch-major [B, T, K]. A path y scores start[y_0] + sum_t emissions[t, y_t]
 * + sum_t transitions[y_{t-1}, y_t] + end[y_{L-1}]; forbidden transitions and start tags score -infinity.
 * The engine knows tags only as names given by the caller; the constraint rule is the generic BIO one.
 */
import { Graph, Tensor, shapeError, shapeText } from '../tensor.js';

export interface CrfWeights {
  /** [K, K], transitions[from, to]. */
  transitions: Tensor;
  /** [K] score of starting in each tag. */
  start: Tensor;
  /** [K] score of ending in each tag. */
  end: Tensor;
}

export interface CrfConstraints {
  /** K x K, 1 where a transition from -> to is allowed, 0 where forbidden. */
  allowed: Float32Array;
  /** K, 1 where a sequence may start in the tag. */
  allowedStart: Float32Array;
}

/** A score low enough that exp() of it is 0 in float32 and float64, but that stays finite in sums. */
const FORBIDDEN = -1e4;

/**
 * BIO constraints from tag names: `I-X` may only follow `B-X` or `I-X`, and may not start a sequence. With BIOES
 * tags (`E-X`, `S-X` among them) `E-X` is constrained as `I-X` is, and `B-X` and `I-X` may only be followed by
 * `I-X` or `E-X` (an entity ends on `E-X` or is one `S-X`). Any other name is unconstrained.
 * @example bioConstraints(['O', 'B-Drug', 'I-Drug'])
 */
export function bioConstraints(tags: readonly string[]): CrfConstraints {
  const k = tags.length;
  const allowed = new Float32Array(k * k).fill(1);
  const allowedStart = new Float32Array(k).fill(1);
  const bioes = tags.some((t) => t.startsWith('E-') || t.startsWith('S-'));
  const prefixed = (tag: string, prefixes: string): string | undefined =>
    tag.length > 2 && tag[1] === '-' && prefixes.includes(tag[0]) ? tag.slice(2) : undefined;
  tags.forEach((to, j) => {
    // Continuing tags: I-X (and E-X under BIOES) need an open X entity before them.
    const type = prefixed(to, bioes ? 'IE' : 'I');
    if (type === undefined) return;
    allowedStart[j] = 0;
    tags.forEach((from, i) => {
      if (from !== `B-${type}` && from !== `I-${type}`) allowed[i * k + j] = 0;
    });
  });
  if (bioes) {
    // An open entity (B-X, I-X) must go on: only I-X or E-X may follow it.
    tags.forEach((from, i) => {
      const type = prefixed(from, 'BI');
      if (type === undefined) return;
      tags.forEach((to, j) => {
        if (to !== `I-${type}` && to !== `E-${type}`) allowed[i * k + j] = 0;
      });
    });
  }
  return { allowed, allowedStart };
}

function checkCrf(op: string, emissions: Tensor, lengths: ArrayLike<number>, w: CrfWeights, constraints?: CrfConstraints): { B: number; T: number; K: number } {
  if (emissions.rank !== 3) shapeError(op, `emissions must be [B, T, K], got ${shapeText(emissions.shape)}`);
  const [B, T, K] = emissions.shape;
  if (w.transitions.rank !== 2 || w.transitions.shape[0] !== K || w.transitions.shape[1] !== K) shapeError(op, `transitions must be [${K}, ${K}]`);
  if (w.start.size !== K || w.end.size !== K) shapeError(op, `start and end must have ${K} entries`);
  if (lengths.length !== B) shapeError(op, `${lengths.length} lengths for a batch of ${B}`);
  for (let b = 0; b < B; b++) {
    if (!Number.isInteger(lengths[b]) || lengths[b] < 0 || lengths[b] > T) shapeError(op, `length ${lengths[b]} of sequence ${b} is outside [0, ${T}]`);
  }
  if (constraints && (constraints.allowed.length !== K * K || constraints.allowedStart.length !== K)) {
    shapeError(op, `constraints are for ${Math.sqrt(constraints.allowed.length)} tags, emissions have ${K}`);
  }
  return { B, T, K };
}

/** start with forbidden start tags pushed to FORBIDDEN (the kernel constrains only transitions). */
function effectiveStart(g: Graph, w: CrfWeights, constraints?: CrfConstraints): number {
  if (!constraints) return w.start.ptr;
  const K = w.start.size;
  const ptr = g.kernels.alloc(K * 4);
  const view = g.kernels.f32(ptr, K);
  view.set(g.kernels.f32(w.start.ptr, K));
  for (let j = 0; j < K; j++) if (constraints.allowedStart[j] === 0) view[j] = FORBIDDEN;
  return ptr;
}

export interface CrfNllOptions {
  constraints?: CrfConstraints;
  /** 'mean' divides the summed NLL by the batch size (default), 'sum' does not. */
  reduction?: 'mean' | 'sum';
}

/** Negative log-likelihood of the gold tags (i32-compatible, B x T, values past each length ignored). */
export function crfNll(
  g: Graph, emissions: Tensor, lengths: ArrayLike<number>, tags: ArrayLike<number>, w: CrfWeights, options: CrfNllOptions = {},
): Tensor {
  const { B, T, K } = checkCrf('crfNll', emissions, lengths, w, options.constraints);
  if (tags.length !== B * T) shapeError('crfNll', `${tags.length} tags for ${B} x ${T}`);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < lengths[b]; t++) {
      const y = tags[b * T + t];
      if (!Number.isInteger(y) || y < 0 || y >= K) shapeError('crfNll', `tag ${y} at [${b}, ${t}] is outside [0, ${K})`);
    }
  }
  const k = g.kernels;
  const lengthPtr = g.ints(lengths);
  const tagPtr = g.ints(tags);
  const start = effectiveStart(g, w, options.constraints);
  const allowed = options.constraints ? g.constant(options.constraints.allowed, [K, K]).ptr : 0;
  // The kernel produces the gradient during the forward pass; keep it until backward scales it by dLoss.
  const dEmissions = k.alloc(B * T * K * 4);
  const dParams = k.alloc((K * K + 2 * K) * 4);
  k.fill(dParams, K * K + 2 * K, 0);
  const dTransitions = dParams;
  const dStart = dParams + K * K * 4;
  const dEnd = dStart + K * 4;
  const total = k.crfNll(B, T, K, emissions.ptr, lengthPtr, tagPtr, w.transitions.ptr, start, w.end.ptr, allowed,
    dEmissions, dTransitions, dStart, dEnd);
  const divisor = options.reduction === 'sum' || B === 0 ? 1 : B;
  const loss = g.constant([total / divisor], [1]);
  return g.record(loss, [emissions, w.transitions, w.start, w.end], () => {
    const scaleBy = k.f32(g.grad(loss), 1)[0] / divisor;
    if (emissions.requiresGrad) k.axpy(B * T * K, scaleBy, dEmissions, g.grad(emissions));
    if (w.transitions.requiresGrad) k.axpy(K * K, scaleBy, dTransitions, g.grad(w.transitions));
    if (w.start.requiresGrad) k.axpy(K, scaleBy, dStart, g.grad(w.start));
    if (w.end.requiresGrad) k.axpy(K, scaleBy, dEnd, g.grad(w.end));
  });
}

/** Best tag sequence per batch row (each trimmed to its length). Not differentiable. */
export function crfDecode(
  g: Graph, emissions: Tensor, lengths: ArrayLike<number>, w: CrfWeights, constraints?: CrfConstraints,
): number[][] {
  const { B, T, K } = checkCrf('crfDecode', emissions, lengths, w, constraints);
  const k = g.kernels;
  const lengthPtr = g.ints(lengths);
  const start = effectiveStart(g, w, constraints);
  const allowed = constraints ? g.constant(constraints.allowed, [K, K]).ptr : 0;
  const out = k.alloc(B * T * 4);
  k.crfViterbi(B, T, K, emissions.ptr, lengthPtr, w.transitions.ptr, start, w.end.ptr, allowed, out);
  const best = k.i32(out, B * T);
  return Array.from({ length: B }, (_, b) => Array.from(best.subarray(b * T, b * T + lengths[b])));
}
