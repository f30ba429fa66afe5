// Small SIMD helpers shared by the kernels: multiply-add, horizontal reductions, and the vectorised
// exponential / sigmoid / tanh. Everything here is @inline so that it costs nothing across module boundaries.

/** a * b + c. Uses the fused relaxed-SIMD instruction when the module is built with relaxed SIMD. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline export function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** Sum of the four lanes accumulated in double precision (for long reductions). */
@inline export function hsumWide(v: v128): f64 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

// Cephes expf: exp(x) = 2^n * exp(r), n = round(x / ln 2), |r| <= ln2 / 2, exp(r) by a degree-6 polynomial
// (relative error about 1e-7). ln 2 is split in two constants so that r is computed without cancellation.
const EXP_HI: f32 = 88.3762626647949; // above: +inf
const EXP_LO: f32 = -87.3365447504; // below: 0 (flush the subnormal range, which keeps 2^n a normal number)
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

// 1.5 * 2^23: adding it rounds a float (|v| < 2^22) to an integer held in the low mantissa bits.
const ROUND_MAGIC: f32 = 12582912.0;

@inline export function expv(x: v128): v128 {
  const clamped = f32x4.max(f32x4.min(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  // n = round(x / ln 2) by the magic-number trick: cheaper than nearest + trunc_sat, and the integer n sits in
  // the low bits of `shifted`, so 2^n is (shifted << 23) + (127 << 23) (the magic's own bits shift out).
  const shifted = f32x4.add(f32x4.mul(clamped, f32x4.splat(LOG2E)), f32x4.splat(ROUND_MAGIC));
  const n = f32x4.sub(shifted, f32x4.splat(ROUND_MAGIC));
  let r = f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  const r2 = f32x4.mul(r, r);
  let p = madd(f32x4.splat(1.9875691500e-4), r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = f32x4.add(madd(p, r2, r), f32x4.splat(1.0));
  const pow2n = i32x4.add(i32x4.shl(shifted, 23), i32x4.splat(127 << 23));
  let y = f32x4.mul(p, pow2n);
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, f32x4.splat(EXP_HI)));
  y = v128.andnot(y, f32x4.lt(x, f32x4.splat(EXP_LO)));
  return y;
}

@inline export function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

// Cephes tanhf: an odd polynomial below |x| = 0.625 (where 1 - 2/(e^2x + 1) would lose relative accuracy),
// and 1 - 2 / (exp(2|x|) + 1) with the sign restored above.
@inline export function tanhv(x: v128): v128 {
  const signMask = i32x4.splat(0x80000000);
  const ax = f32x4.abs(x);
  const s = f32x4.mul(x, x);
  let p = madd(f32x4.splat(-5.70498872745e-3), s, f32x4.splat(2.06390887954e-2));
  p = madd(p, s, f32x4.splat(-5.37397155531e-2));
  p = madd(p, s, f32x4.splat(1.33314422036e-1));
  p = madd(p, s, f32x4.splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, s), x, x);
  const one = f32x4.splat(1.0);
  const e = expv(f32x4.add(ax, ax));
  const large = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const signedLarge = v128.bitselect(x, large, signMask);
  return v128.bitselect(small, signedLarge, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** Scalar versions through the same vector code, so tails give bit-identical results to the vector body. */
@inline export function expf1(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}
@inline export function sigmoidf1(x: f32): f32 {
  return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0);
}
@inline export function tanhf1(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}

// Cephes logf: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), log(1 + (m - 1)) by a degree-9 polynomial.
// log(0) = -inf, log(negative or NaN) = NaN, log(inf) = inf. Subnormal inputs are treated as the smallest
// normal number (their logarithm is off by at most a few units, far below anything a kernel relies on).
const SQRT_HALF: f32 = 0.707106781186547524;

@inline export function logv(x: v128): v128 {
  const minNormal = f32x4.splat(1.17549435e-38);
  const xn = f32x4.max(x, minNormal);
  const bits = xn;
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126)));
  // Mantissa with exponent forced to 2^-1: m in [0.5, 1).
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const low = f32x4.lt(m, f32x4.splat(SQRT_HALF));
  // m < sqrt(1/2): use 2m - 1 and e - 1, so that the polynomial argument stays within [-0.29, 0.41].
  e = f32x4.sub(e, v128.and(low, f32x4.splat(1)));
  m = f32x4.sub(f32x4.add(m, v128.and(low, m)), f32x4.splat(1));
  const z = f32x4.mul(m, m);
  let y = madd(f32x4.splat(7.0376836292e-2), m, f32x4.splat(-1.1514610310e-1));
  y = madd(y, m, f32x4.splat(1.1676998740e-1));
  y = madd(y, m, f32x4.splat(-1.2420140846e-1));
  y = madd(y, m, f32x4.splat(1.4249322787e-1));
  y = madd(y, m, f32x4.splat(-1.6668057665e-1));
  y = madd(y, m, f32x4.splat(2.0000714765e-1));
  y = madd(y, m, f32x4.splat(-2.4999993993e-1));
  y = madd(y, m, f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = madd(e, f32x4.splat(LN2_LO), y);
  y = madd(z, f32x4.splat(-0.5), y);
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(e, f32x4.splat(LN2_HI)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(Infinity), r, f32x4.eq(x, f32x4.splat(Infinity)));
  // x < 0 or NaN: NaN (x != x catches NaN; x < 0 catches negatives).
  r = v128.bitselect(f32x4.splat(NaN), r, v128.or(f32x4.lt(x, f32x4.splat(0)), f32x4.ne(x, x)));
  return r;
}

@inline export function logf1(x: f32): f32 {
  return f32x4.extract_lane(logv(f32x4.splat(x)), 0);
}

/** base^n for a positive integer n, by squaring in double precision (no library tables). */
export function powInt(base: f64, n: i32): f64 {
  let result: f64 = 1;
  let b = base;
  let k = n < 0 ? -n : n;
  while (k > 0) {
    if (k & 1) result *= b;
    b *= b;
    k >>= 1;
  }
  return n < 0 ? 1 / result : result;
}
