// AdamW step (weightDecay 0 gives Adam), vectorised; decoupled weight decay as in Loshchilov & Hutter:
// p -= lr * weightDecay * p + lr * mHat / (sqrt(vHat) + eps).
import { powInt } from './simd';

export function adamStep(
  n: i32, param: usize, grad: usize, m: usize, v: usize, lr: f64, beta1: f64, beta2: f64, eps: f64,
  weightDecay: f64, step: i32,
): void {
  // Scalars arrive in double precision: 1 - beta is formed before rounding (1 - f32(0.999) is 4e-5 off).
  const b1s = <f32>beta1, b1cs = <f32>(1 - beta1), b2s = <f32>beta2, b2cs = <f32>(1 - beta2);
  const inv1s = <f32>(1 / (1 - powInt(beta1, step)));
  const inv2s = <f32>(1 / (1 - powInt(beta2, step)));
  const lrs = <f32>lr, decays = <f32>(lr * weightDecay), epss = <f32>eps;
  const b1 = f32x4.splat(b1s), b1c = f32x4.splat(b1cs);
  const b2 = f32x4.splat(b2s), b2c = f32x4.splat(b2cs);
  const inv1 = f32x4.splat(inv1s), inv2 = f32x4.splat(inv2s);
  const lrv = f32x4.splat(lrs), decay = f32x4.splat(decays), epsv = f32x4.splat(epss);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(grad + o);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(b1c, g));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(b2c, f32x4.mul(g, g)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const update = f32x4.div(f32x4.mul(mi, inv1), f32x4.add(f32x4.sqrt(f32x4.mul(vi, inv2)), epsv));
    const p = v128.load(param + o);
    v128.store(param + o, f32x4.sub(f32x4.sub(p, f32x4.mul(decay, p)), f32x4.mul(lrv, update)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(grad + o);
    const mi = b1s * load<f32>(m + o) + b1cs * g;
    const vi = b2s * load<f32>(v + o) + b2cs * (g * g);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const update = (mi * inv1s) / (Mathf.sqrt(vi * inv2s) + epss);
    const p = load<f32>(param + o);
    store<f32>(param + o, p - decays * p - lrs * update);
  }
}
