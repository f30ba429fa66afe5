/**
 * Softmax cross-entropy with optional class weights and an ignore index (negative target), averaged over the
 * weight of the rows that count (as PyTorch's `CrossEntropyLoss(weight=..., reduction='mean')`), or divided by a
 * normaliser the caller gives (`options.normaliser`).
 * The kernel computes the loss and its gradient in one pass; backward only scales that gradient.
 */
import { Graph, Tensor, shapeError, shapeText } from '../tensor.js';

export interface CrossEntropyResult {
  /** Scalar loss: sum of weighted row losses / sum of the weights of non-ignored rows (0 if none). */
  loss: Tensor;
  /** Softmax probabilities [rows, classes] (not differentiable; for predictions and logging). */
  probs: Tensor;
}

export function softmaxCrossEntropy(
  g: Graph,
  logits: Tensor,
  targets: ArrayLike<number>,
  classWeights?: ArrayLike<number>,
  options: { normaliser?: number } = {},
): CrossEntropyResult {
  if (logits.rank !== 2) shapeError('softmaxCrossEntropy', `needs [rows, classes] logits, got ${shapeText(logits.shape)}`);
  const [rows, classes] = logits.shape;
  if (targets.length !== rows) shapeError('softmaxCrossEntropy', `${targets.length} targets for ${rows} rows`);
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (!Number.isInteger(t) || t >= classes) shapeError('softmaxCrossEntropy', `target ${t} at row ${r} is not a class in [0, ${classes}) or negative (ignore)`);
  }
  if (classWeights && classWeights.length !== classes) shapeError('softmaxCrossEntropy', `${classWeights.length} class weights for ${classes} classes`);
  const K = g.kernels;
  const targetPtr = g.ints(targets);
  const weightPtr = classWeights ? g.constant(classWeights, [classes]).ptr : 0;
  const probs = g.empty([rows, classes]);
  const dLogits = K.alloc(rows * classes * 4);
  const total = K.softmaxCrossEntropy(rows, classes, logits.ptr, targetPtr, weightPtr, probs.ptr, dLogits);
  // The kernel divides by the weight of these rows (`own`). A caller that splits one batch into shards passes the
  // whole batch's normaliser instead, so that the shards' losses AND gradients add up to the batch's: the kernel's
  // gradient is then rescaled by own / normaliser.
  let own = 0;
  for (let r = 0; r < rows; r++) if (targets[r] >= 0) own += classWeights ? classWeights[targets[r]] : 1;
  const normaliser = options.normaliser ?? own;
  if (!(normaliser >= 0)) throw new RangeError(`softmaxCrossEntropy: normaliser must be >= 0, got ${normaliser}`);
  const gradientScale = normaliser === 0 ? 0 : own / normaliser;
  const loss = g.constant([normaliser === 0 ? 0 : total / normaliser], [1]);
  g.record(loss, [logits], () => {
    const dLoss = K.f32(g.grad(loss), 1)[0];
    K.axpy(rows * classes, dLoss * gradientScale, dLogits, g.grad(logits));
  });
  return { loss, probs };
}

/** Row-wise softmax probabilities [rows, classes] for prediction (not differentiable: train with the loss above). */
export function softmax(g: Graph, logits: Tensor): Tensor {
  if (logits.rank !== 2) shapeError('softmax', `needs [rows, classes] logits, got ${shapeText(logits.shape)}`);
  const [rows, classes] = logits.shape;
  const probs = g.empty([rows, classes]);
  // The loss kernel with every row ignored computes exactly the probabilities (and a zero gradient).
  const ignoreAll = g.ints(new Int32Array(rows).fill(-1));
  g.kernels.softmaxCrossEntropy(rows, classes, logits.ptr, ignoreAll, 0, probs.ptr, g.kernels.alloc(rows * classes * 4));
  return probs;
}

/**
 * Binary cross-entropy of independent sigmoids (multi-label: every cell of `logits` is its own yes/no question;
 * `targets` holds 0 or 1 per cell), summed and divided by `normaliser`. Also the sigmoid probabilities. Computed
 * in JavaScript on the arena's views: the multi-head selection head's logits are [pairs, relation types], a
 * handful of columns, so there is no kernel to win.
 */
export function sigmoidCrossEntropy(
  g: Graph,
  logits: Tensor,
  targets: ArrayLike<number>,
  options: { normaliser: number },
): CrossEntropyResult {
  const n = logits.shape.reduce((a, b) => a * b, 1);
  if (targets.length !== n) shapeError('sigmoidCrossEntropy', `${targets.length} targets for ${n} logits`);
  const { normaliser } = options;
  if (!(normaliser >= 0)) throw new RangeError(`sigmoidCrossEntropy: normaliser must be >= 0, got ${normaliser}`);
  const K = g.kernels;
  // Allocate before taking views: growing the WebAssembly memory detaches views taken earlier.
  const probs = g.empty(logits.shape);
  const dLogits = K.alloc(n * 4);
  const x = K.f32(logits.ptr, n);
  const p = K.f32(probs.ptr, n);
  const d = K.f32(dLogits, n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = targets[i];
    if (y !== 0 && y !== 1) shapeError('sigmoidCrossEntropy', `target ${y} at cell ${i} is neither 0 nor 1`);
    const v = x[i];
    // log(1 + e^-|v|) + max(v, 0) - v y: the loss without overflow for large |v|.
    total += Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0) - v * y;
    const s = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    p[i] = s;
    d[i] = normaliser === 0 ? 0 : (s - y) / normaliser;
  }
  const loss = g.constant([normaliser === 0 ? 0 : total / normaliser], [1]);
  g.record(loss, [logits], () => {
    const dLoss = K.f32(g.grad(loss), 1)[0];
    K.axpy(n, dLoss, dLogits, g.grad(logits));
  });
  return { loss, probs };
}
