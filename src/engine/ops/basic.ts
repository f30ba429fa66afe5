/**
 * Dense ops: matrix product, bias, activations, elementwise sums, reductions to a scalar, reshape.
 * Each op: check shapes, compute the output with kernels, record its backward right below.
 */
import { Graph, Tensor, shapeError, shapeText, sizeOf, type Shape } from '../tensor.js';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * C = op(A) op(B) for 2-D tensors; `transA`/`transB` use the transposed operand without copying it.
 * @example matmul(g, x, w) // [N, E] x [E, H] -> [N, H]
 */
export function matmul(g: Graph, a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  if (a.rank !== 2 || b.rank !== 2) shapeError('matmul', `needs 2-D inputs, got ${shapeText(a.shape)} and ${shapeText(b.shape)}`);
  const [ar, ac] = a.shape;
  const [br, bc] = b.shape;
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) shapeError('matmul', `inner dimensions differ: op(A) is ${m}x${k}, op(B) is ${kb}x${n}`);
  const K = g.kernels;
  const c = g.empty([m, n]);
  K.gemm(transA, transB, m, n, k, 1, a.ptr, ac, b.ptr, bc, 0, c.ptr, n);
  return g.record(c, [a, b], () => {
    const dc = g.grad(c);
    // Each case is d(op(A) op(B)) written for the stored (possibly transposed) layout of A and B.
    if (a.requiresGrad) {
      const da = g.grad(a);
      if (!transA) K.gemm(false, !transB, m, k, n, 1, dc, n, b.ptr, bc, 1, da, ac); // dA = dC op(B)^T
      else K.gemm(transB, true, k, m, n, 1, b.ptr, bc, dc, n, 1, da, ac); // dA (k x m) = op(B) dC^T
    }
    if (b.requiresGrad) {
      const db = g.grad(b);
      if (!transB) K.gemm(!transA, false, k, n, m, 1, a.ptr, ac, dc, n, 1, db, bc); // dB = op(A)^T dC
      else K.gemm(true, transA, n, k, m, 1, dc, n, a.ptr, ac, 1, db, bc); // dB (n x k) = dC^T op(A)
    }
  });
}

/**
 * A view of `x` with another shape of the same size. Shares the data; the gradient is shared too when the
 * source has none yet (safe because the tape runs in reverse), else added.
 */
export function reshape(g: Graph, x: Tensor, shape: Shape): Tensor {
  if (sizeOf(shape) !== x.size) shapeError('reshape', `cannot view ${shapeText(x.shape)} as ${shapeText(shape)}`);
  const y = new Tensor(shape, x.ptr);
  return g.record(y, [x], () => {
    if (x.grad === 0) x.grad = g.grad(y);
    else g.kernels.axpy(x.size, 1, g.grad(y), x.grad);
  });
}

/** out[..., j] = x[..., j] + bias[j]. */
export function addBias(g: Graph, x: Tensor, bias: Tensor): Tensor {
  if (bias.rank !== 1 || bias.size !== x.lastDim) {
    shapeError('addBias', `bias ${shapeText(bias.shape)} does not match the last axis of ${shapeText(x.shape)}`);
  }
  const K = g.kernels;
  const rows = x.size / x.lastDim;
  const out = g.empty(x.shape);
  K.copy(x.ptr, out.ptr, x.size);
  K.addBiasRows(out.ptr, bias.ptr, rows, x.lastDim);
  return g.record(out, [x, bias], () => {
    if (x.requiresGrad) K.axpy(x.size, 1, g.grad(out), g.grad(x));
    if (bias.requiresGrad) K.sumRows(g.grad(out), g.grad(bias), rows, x.lastDim);
  });
}

/** x W + b over the last axis of x (any rank): [..., E] x [E, H] + [H] -> [..., H]. */
export function linear(g: Graph, x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  if (weight.rank !== 2 || weight.shape[0] !== x.lastDim) {
    shapeError('linear', `weight ${shapeText(weight.shape)} does not fit input ${shapeText(x.shape)}`);
  }
  const rows = x.size / x.lastDim;
  const flat = x.rank === 2 ? x : reshape(g, x, [rows, x.lastDim]);
  let y = matmul(g, flat, weight);
  if (bias) y = addBias(g, y, bias);
  return x.rank === 2 ? y : reshape(g, y, [...x.shape.slice(0, -1), weight.shape[1]]);
}

type Activation = 'sigmoid' | 'tanh' | 'relu';

function activation(g: Graph, x: Tensor, kind: Activation): Tensor {
  const K = g.kernels;
  const y = g.empty(x.shape);
  K[kind](x.size, x.ptr, y.ptr);
  return g.record(y, [x], () => {
    const backward = kind === 'sigmoid' ? K.sigmoidBackward : kind === 'tanh' ? K.tanhBackward : K.reluBackward;
    backward.call(K, x.size, y.ptr, g.grad(y), g.grad(x));
  });
}

export const sigmoid = (g: Graph, x: Tensor): Tensor => activation(g, x, 'sigmoid');
export const tanh = (g: Graph, x: Tensor): Tensor => activation(g, x, 'tanh');
export const relu = (g: Graph, x: Tensor): Tensor => activation(g, x, 'relu');

function sameShape(op: string, a: Tensor, b: Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    shapeError(op, `shapes differ: ${shapeText(a.shape)} and ${shapeText(b.shape)}`);
  }
}

/** Elementwise a + b (same shape). */
export function add(g: Graph, a: Tensor, b: Tensor): Tensor {
  sameShape('add', a, b);
  const K = g.kernels;
  const out = g.empty(a.shape);
  K.copy(a.ptr, out.ptr, a.size);
  K.axpy(a.size, 1, b.ptr, out.ptr);
  return g.record(out, [a, b], () => {
    if (a.requiresGrad) K.axpy(a.size, 1, g.grad(out), g.grad(a));
    if (b.requiresGrad) K.axpy(b.size, 1, g.grad(out), g.grad(b));
  });
}

/** Elementwise a * b (same shape). */
export function mul(g: Graph, a: Tensor, b: Tensor): Tensor {
  sameShape('mul', a, b);
  const K = g.kernels;
  const out = g.empty(a.shape);
  K.mul(a.size, a.ptr, b.ptr, out.ptr);
  return g.record(out, [a, b], () => {
    const tmp = K.alloc(a.size * 4);
    if (a.requiresGrad) {
      K.mul(a.size, g.grad(out), b.ptr, tmp);
      K.axpy(a.size, 1, tmp, g.grad(a));
    }
    if (b.requiresGrad) {
      K.mul(a.size, g.grad(out), a.ptr, tmp);
      K.axpy(a.size, 1, tmp, g.grad(b));
    }
  });
}

/** alpha * x. */
export function scale(g: Graph, x: Tensor, alpha: number): Tensor {
  const K = g.kernels;
  const out = g.empty(x.shape);
  K.copy(x.ptr, out.ptr, x.size);
  K.scale(x.size, alpha, out.ptr);
  return g.record(out, [x], () => K.axpy(x.size, alpha, g.grad(out), g.grad(x)));
}

/** sum_i weights[i] * x[i] as a scalar (gradient checks use it as a loss that sees every output). */
export function weightedSum(g: Graph, x: Tensor, weights: ArrayLike<number>): Tensor {
  if (weights.length !== x.size) shapeError('weightedSum', `${weights.length} weights for ${x.size} values`);
  const w = g.constant(weights, [x.size]);
  const values = g.kernels.f32(x.ptr, x.size);
  const wv = g.kernels.f32(w.ptr, x.size);
  let total = 0;
  for (let i = 0; i < x.size; i++) total += values[i] * wv[i];
  const out = g.constant([total], [1]);
  return g.record(out, [x], () => {
    const dOut = g.kernels.f32(g.grad(out), 1)[0];
    g.kernels.axpy(x.size, dOut, w.ptr, g.grad(x));
  });
}

/** Sum of all elements as a scalar. */
export function sum(g: Graph, x: Tensor): Tensor {
  return weightedSum(g, x, new Float32Array(x.size).fill(1));
}
