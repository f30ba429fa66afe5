// Softmax cross-entropy over rows of logits, with ignored rows (negative target) and optional class weights.
import { expv, hmax, hsum, logf1 } from './simd';

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

function weightOf(classWeights: usize, cls: i32): f64 {
  return classWeights == 0 ? 1.0 : <f64>load<f32>(at(classWeights, cls));
}

/**
 * Writes probabilities and d(sum of weighted losses / normaliser)/d logits; returns the sum of weighted losses.
 * normaliser = total weight of the rows that are not ignored.
 */
export function softmaxCrossEntropy(
  rows: i32, classes: i32, logits: usize, targets: usize, classWeights: usize, probs: usize, dLogits: usize,
): f64 {
  let normaliser: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(at(targets, r));
    if (t >= 0) normaliser += weightOf(classWeights, t);
  }
  const vecEnd = classes & ~3;
  let lossSum: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const x = logits + (<usize>r * <usize>classes << 2);
    const p = probs + (<usize>r * <usize>classes << 2);
    const d = dLogits + (<usize>r * <usize>classes << 2);
    // Row maximum, for a stable exponent.
    let mv = f32x4.splat(-Infinity);
    let j = 0;
    for (; j < vecEnd; j += 4) mv = f32x4.max(mv, v128.load(at(x, j)));
    let m = hmax(mv);
    for (; j < classes; j++) m = max(m, load<f32>(at(x, j)));
    // exp(x - m) into probs, and its sum.
    const mSplat = f32x4.splat(m);
    let sv = f32x4.splat(0);
    for (j = 0; j < vecEnd; j += 4) {
      const e = expv(f32x4.sub(v128.load(at(x, j)), mSplat));
      v128.store(at(p, j), e);
      sv = f32x4.add(sv, e);
    }
    let sum = hsum(sv);
    for (; j < classes; j++) {
      const e = f32x4.extract_lane(expv(f32x4.splat(load<f32>(at(x, j)) - m)), 0);
      store<f32>(at(p, j), e);
      sum += e;
    }
    const inv = f32x4.splat(<f32>(1.0 / <f64>sum));
    for (j = 0; j < vecEnd; j += 4) v128.store(at(p, j), f32x4.mul(v128.load(at(p, j)), inv));
    for (; j < classes; j++) store<f32>(at(p, j), load<f32>(at(p, j)) * f32x4.extract_lane(inv, 0));

    const t = load<i32>(at(targets, r));
    if (t < 0) {
      memory.fill(d, 0, <usize>classes << 2);
      continue;
    }
    const w = weightOf(classWeights, t);
    const logSum = <f64>m + <f64>logf1(sum);
    lossSum += w * (logSum - <f64>load<f32>(at(x, t)));
    const factor = <f32>(normaliser == 0 ? 0 : w / normaliser);
    const fv = f32x4.splat(factor);
    for (j = 0; j < vecEnd; j += 4) v128.store(at(d, j), f32x4.mul(v128.load(at(p, j)), fv));
    for (; j < classes; j++) store<f32>(at(d, j), load<f32>(at(p, j)) * factor);
    store<f32>(at(d, t), factor * (load<f32>(at(p, t)) - 1));
  }
  return lossSum;
}
