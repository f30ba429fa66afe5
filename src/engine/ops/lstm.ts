/**
 * A fused LSTM layer over a padded batch, time-major: x [T, B, E] -> h [T, B, H].
 *
 * Gate order i, f, g, o (the same as TensorFlow's kernel [input, 4H] and PyTorch's weight_ih rows).
 * Where the time goes, and why it is laid out this way (see ENGINE-PERFORMANCE.md):
 *  - forward: the input projection for all steps is ONE gemm (T*B x E by E x 4H) plus the bias; each step then
 *    adds h_{t-1} W_hh (one B x H by H x 4H gemm) and calls the fused cell kernel;
 *  - backward through time runs the cell backward per step and one gemm for dh_{t-1} += dGates W_hh^T;
 *    dW_hh, dW_ih, the bias gradient and dx are then each ONE big product over all steps, because the gates,
 *    h and x of every step are stored contiguously, time-major.
 * Padding: step t of sequence b is real iff t < lengths[b]. The forward direction carries h and c through
 * padded steps unchanged (so padded outputs repeat the last real h); the reverse direction walks t = T-1 .. 0,
 * so each sequence starts from the zero state at its own last real step and padded outputs are 0.
 *
 * The arithmetic of one direction is split from the autograd op: `LstmDirection` holds only sizes and pointers
 * (plain numbers, so it can be posted to a worker thread), and `runLstmForward` / `runLstmBackward` need only
 * compute kernels over the same memory (no allocation). `biLstm` hands both directions to a `DirectionRunner`,
 * so a runner that executes them on two threads (each with its own kernel instance over a shared memory) uses
 * both cores; the default runs them one after the other.
 */
import { align16 } from '../kernels/arena.js';
import type { Kernels, Ptr } from '../kernels/types.js';
import { Graph, Tensor, shapeError, shapeText } from '../tensor.js';

export interface LstmWeights {
  /** [E, 4H] input-to-gates. */
  wIh: Tensor;
  /** [H, 4H] hidden-to-gates. */
  wHh: Tensor;
  /** [4H] gate bias (the forget-gate quarter is usually initialised to 1). */
  bias: Tensor;
}

/** Everything one direction's forward and backward touch: sizes and byte pointers only. */
export interface LstmDirection {
  reverse: boolean;
  steps: number;
  batch: number;
  input: number;
  hidden: number;
  /** Inputs: x [T*B, E], weights, mask [T*B] (1 real, 0 padding), a B x H block of zeros. */
  x: Ptr;
  wIh: Ptr;
  wHh: Ptr;
  bias: Ptr;
  mask: Ptr;
  zeros: Ptr;
  /** Forward results kept for backward: activated gates [T*B, 4H], cells, tanh(cells), outputs h [T*B, H]. */
  gates: Ptr;
  cells: Ptr;
  tanhC: Ptr;
  out: Ptr;
  /** Backward, filled in by `prepareLstmBackward`: dOut (read), gradient targets (0 = not needed), scratch. */
  dOut: Ptr;
  dX: Ptr;
  dWIh: Ptr;
  dWHh: Ptr;
  dBias: Ptr;
  dGates: Ptr;
  scratch: Ptr;
}

/** The compute kernels a direction needs; a worker's own kernel instance provides them. */
export type LstmKernels = Pick<Kernels, 'gemm' | 'addBiasRows' | 'sumRows' | 'copy' | 'axpy' | 'fill' | 'lstmCellForward' | 'lstmCellBackward'>;

/** Runs several independent directions' forward or backward passes (sequentially or on several threads). */
export interface DirectionRunner {
  forward(directions: readonly LstmDirection[]): void;
  backward(directions: readonly LstmDirection[]): void;
}

/** One direction after another on this thread, with the graph's kernels. */
export function sequentialRunner(kernels: LstmKernels): DirectionRunner {
  return {
    forward: (directions) => directions.forEach((d) => runLstmForward(kernels, d)),
    backward: (directions) => directions.forEach((d) => runLstmBackward(kernels, d)),
  };
}

function checkLstm(x: Tensor, lengths: ArrayLike<number>, w: LstmWeights): { T: number; B: number; E: number; H: number } {
  if (x.rank !== 3) shapeError('lstm', `input must be time-major [T, B, E], got ${shapeText(x.shape)}`);
  const [T, B, E] = x.shape;
  const H = w.wHh.shape[0];
  if (w.wHh.rank !== 2 || w.wHh.shape[1] !== 4 * H) shapeError('lstm', `wHh must be [H, 4H], got ${shapeText(w.wHh.shape)}`);
  if (w.wIh.rank !== 2 || w.wIh.shape[0] !== E || w.wIh.shape[1] !== 4 * H) {
    shapeError('lstm', `wIh must be [${E}, ${4 * H}], got ${shapeText(w.wIh.shape)}`);
  }
  if (w.bias.rank !== 1 || w.bias.size !== 4 * H) shapeError('lstm', `bias must be [${4 * H}], got ${shapeText(w.bias.shape)}`);
  if (lengths.length !== B) shapeError('lstm', `${lengths.length} lengths for a batch of ${B}`);
  for (let b = 0; b < B; b++) {
    if (!Number.isInteger(lengths[b]) || lengths[b] < 0 || lengths[b] > T) shapeError('lstm', `length ${lengths[b]} of sequence ${b} is outside [0, ${T}]`);
  }
  return { T, B, E, H };
}

/** The step mask [T*B] (1 where t < length) and a zero state block, shared by both directions. */
function allocateMask(g: Graph, T: number, B: number, H: number, lengths: ArrayLike<number>): { mask: Ptr; zeros: Ptr } {
  const k = g.kernels;
  const mask = k.alloc(T * B * 4);
  const zeros = k.alloc(B * H * 4);
  k.fill(zeros, B * H, 0);
  const view = k.f32(mask, T * B);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) view[t * B + b] = t < lengths[b] ? 1 : 0;
  return { mask, zeros };
}

/** Allocate one direction's forward buffers; the output tensor is returned with it. */
function planDirection(g: Graph, x: Tensor, w: LstmWeights, reverse: boolean, shared: { mask: Ptr; zeros: Ptr }): { dir: LstmDirection; out: Tensor } {
  const [T, B, E] = x.shape;
  const H = w.wHh.shape[0];
  const k = g.kernels;
  const rows = T * B;
  const out = g.empty([T, B, H]);
  const dir: LstmDirection = {
    reverse, steps: T, batch: B, input: E, hidden: H,
    x: x.ptr, wIh: w.wIh.ptr, wHh: w.wHh.ptr, bias: w.bias.ptr, mask: shared.mask, zeros: shared.zeros,
    gates: k.alloc(rows * 4 * H * 4), cells: k.alloc(rows * H * 4), tanhC: k.alloc(rows * H * 4), out: out.ptr,
    dOut: 0, dX: 0, dWIh: 0, dWHh: 0, dBias: 0, dGates: 0, scratch: 0,
  };
  return { dir, out };
}

/** Allocate backward scratch and point the gradient targets (0 where no gradient is needed). */
function prepareLstmBackward(g: Graph, dir: LstmDirection, out: Tensor, x: Tensor, w: LstmWeights, dX: Ptr): void {
  const k = g.kernels;
  const { steps: T, batch: B, hidden: H } = dir;
  dir.dOut = g.grad(out);
  dir.dX = x.requiresGrad ? dX : 0;
  dir.dWIh = w.wIh.requiresGrad ? g.grad(w.wIh) : 0;
  dir.dWHh = w.wHh.requiresGrad ? g.grad(w.wHh) : 0;
  dir.dBias = w.bias.requiresGrad ? g.grad(w.bias) : 0;
  dir.dGates = k.alloc(T * B * 4 * H * 4);
  dir.scratch = k.alloc(5 * align16(B * H * 4)); // dh, dc, dhPrev, dcPrev, dhTotal
}

/** Byte offset of step t in a stack of [T, B, width] blocks. */
const stepAt = (base: Ptr, t: number, batch: number, width: number): Ptr => base + t * batch * width * 4;

/** Forward of one direction: fills gates, cells, tanhC and out. */
export function runLstmForward(k: LstmKernels, d: LstmDirection): void {
  const { steps: T, batch: B, input: E, hidden: H } = d;
  const G = 4 * H;
  k.gemm(false, false, T * B, G, E, 1, d.x, E, d.wIh, G, 0, d.gates, G);
  k.addBiasRows(d.gates, d.bias, T * B, G);
  for (let i = 0; i < T; i++) {
    const t = d.reverse ? T - 1 - i : i;
    const prev = d.reverse ? t + 1 : t - 1;
    const hPrev = i === 0 ? d.zeros : stepAt(d.out, prev, B, H);
    const cPrev = i === 0 ? d.zeros : stepAt(d.cells, prev, B, H);
    if (i > 0) k.gemm(false, false, B, G, H, 1, hPrev, H, d.wHh, G, 1, stepAt(d.gates, t, B, G), G);
    k.lstmCellForward(B, H, stepAt(d.gates, t, B, G), cPrev, hPrev, stepAt(d.cells, t, B, H), stepAt(d.out, t, B, H),
      stepAt(d.tanhC, t, B, H), d.mask + t * B * 4);
  }
}

/** Backward through time of one direction: accumulates into dX, dWIh, dWHh, dBias (those that are not 0). */
export function runLstmBackward(k: LstmKernels, d: LstmDirection): void {
  const { steps: T, batch: B, input: E, hidden: H } = d;
  const G = 4 * H;
  const block = align16(B * H * 4); // scratch blocks stay 16-byte aligned
  let dh = d.scratch;
  let dc = dh + block;
  let dhPrev = dc + block;
  let dcPrev = dhPrev + block;
  const dhTotal = dcPrev + block;
  k.fill(dh, B * H, 0);
  k.fill(dc, B * H, 0);
  for (let i = T - 1; i >= 0; i--) {
    const t = d.reverse ? T - 1 - i : i;
    const prev = d.reverse ? t + 1 : t - 1;
    k.copy(stepAt(d.dOut, t, B, H), dhTotal, B * H);
    k.axpy(B * H, 1, dh, dhTotal);
    const cPrev = i === 0 ? d.zeros : stepAt(d.cells, prev, B, H);
    k.lstmCellBackward(B, H, stepAt(d.gates, t, B, G), cPrev, stepAt(d.tanhC, t, B, H), dhTotal, dc,
      stepAt(d.dGates, t, B, G), dcPrev, dhPrev, d.mask + t * B * 4);
    if (i > 0) k.gemm(false, true, B, H, G, 1, stepAt(d.dGates, t, B, G), G, d.wHh, G, 1, dhPrev, H);
    [dh, dhPrev] = [dhPrev, dh];
    [dc, dcPrev] = [dcPrev, dc];
  }
  if (d.dWHh !== 0 && T > 1) {
    // dW_hh = sum over steps of h_prev^T dGates, except the first processed step (its h_prev is 0).
    // Forward: h_0..h_{T-2} pair with dGates_1..dGates_{T-1}; reverse: h_1..h_{T-1} with dGates_0..dGates_{T-2}.
    const hStart = d.reverse ? stepAt(d.out, 1, B, H) : d.out;
    const gStart = d.reverse ? d.dGates : stepAt(d.dGates, 1, B, G);
    k.gemm(true, false, H, G, (T - 1) * B, 1, hStart, H, gStart, G, 1, d.dWHh, G);
  }
  if (d.dWIh !== 0) k.gemm(true, false, E, G, T * B, 1, d.x, E, d.dGates, G, 1, d.dWIh, G);
  if (d.dBias !== 0) k.sumRows(d.dGates, d.dBias, T * B, G);
  if (d.dX !== 0) k.gemm(false, true, T * B, E, G, 1, d.dGates, G, d.wIh, G, 1, d.dX, E);
}

/** One direction. `reverse` reads each sequence from its last real step back to its first. */
export function lstm(g: Graph, x: Tensor, lengths: ArrayLike<number>, w: LstmWeights, reverse = false): Tensor {
  const { T, B, H } = checkLstm(x, lengths, w);
  const { dir, out } = planDirection(g, x, w, reverse, allocateMask(g, T, B, H, lengths));
  runLstmForward(g.kernels, dir);
  return g.record(out, [x, w.wIh, w.wHh, w.bias], () => {
    prepareLstmBackward(g, dir, out, x, w, x.requiresGrad ? g.grad(x) : 0);
    runLstmBackward(g.kernels, dir);
  });
}

/**
 * Forward and reverse LSTMs over the same input, outputs concatenated: [T, B, E] -> [T, B, 2H].
 * The two directions are independent until the concatenation, so `runner` may run them in parallel; each
 * then writes its input gradient into its own buffer, and the two are added in a fixed order.
 */
export function biLstm(
  g: Graph, x: Tensor, lengths: ArrayLike<number>, forward: LstmWeights, backward: LstmWeights,
  runner: DirectionRunner = sequentialRunner(g.kernels),
): Tensor {
  const { T, B, H } = checkLstm(x, lengths, forward);
  checkLstm(x, lengths, backward);
  if (backward.wHh.shape[0] !== H) shapeError('biLstm', `both directions need the same hidden size, got ${H} and ${backward.wHh.shape[0]}`);
  const k = g.kernels;
  const shared = allocateMask(g, T, B, H, lengths);
  const f = planDirection(g, x, forward, false, shared);
  const r = planDirection(g, x, backward, true, shared);
  const out = g.empty([T, B, 2 * H]);
  runner.forward([f.dir, r.dir]);
  interleave(k, T * B, H, out.ptr, f.out.ptr, r.out.ptr, true);
  return g.record(out, [x, forward.wIh, forward.wHh, forward.bias, backward.wIh, backward.wHh, backward.bias], () => {
    interleave(k, T * B, H, g.grad(out), g.grad(f.out), g.grad(r.out), false);
    const dXReverse = x.requiresGrad ? k.alloc(x.size * 4) : 0;
    if (dXReverse !== 0) k.fill(dXReverse, x.size, 0);
    prepareLstmBackward(g, f.dir, f.out, x, forward, x.requiresGrad ? g.grad(x) : 0);
    prepareLstmBackward(g, r.dir, r.out, x, backward, dXReverse);
    runner.backward([f.dir, r.dir]);
    if (dXReverse !== 0) k.axpy(x.size, 1, dXReverse, g.grad(x));
  });
}

/**
 * Copy between one [rows, 2 * width] buffer and two [rows, width] halves: halves -> whole when `toWhole`, else
 * whole -> halves (the output in forward, its gradient in backward). Memory-bound, so typed-array copies.
 */
function interleave(k: Kernels, rows: number, width: number, whole: Ptr, first: Ptr, second: Ptr, toWhole: boolean): void {
  const F = new Float32Array(k.memory.buffer);
  const w = whole >> 2;
  const a = first >> 2;
  const b = second >> 2;
  for (let row = 0; row < rows; row++) {
    const left = w + row * 2 * width;
    if (toWhole) {
      F.set(F.subarray(a + row * width, a + (row + 1) * width), left);
      F.set(F.subarray(b + row * width, b + (row + 1) * width), left + width);
    } else {
      F.set(F.subarray(left, left + width), a + row * width);
      F.set(F.subarray(left + width, left + 2 * width), b + row * width);
    }
  }
}
