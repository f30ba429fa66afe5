// Elementwise kernels, bias rows and reductions: a SIMD body over groups of four and a scalar tail.
// Tails reuse the vector math (expf1 etc.) so every element gets the same function whatever its position.
import { expv, hsumWide, sigmoidf1, sigmoidv, tanhf1, tanhv } from './simd';

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

export function fill(x: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), v);
  for (; i < n; i++) store<f32>(at(x, i), value);
}

export function copy(src: usize, dst: usize, n: i32): void {
  if (n > 0) memory.copy(dst, src, <usize>n << 2);
}

export function axpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const av = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v128.load(at(x, i)))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + alpha * load<f32>(at(x, i)));
}

export function mul(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(out, i), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < n; i++) store<f32>(at(out, i), load<f32>(at(a, i)) * load<f32>(at(b, i)));
}

export function scale(n: i32, alpha: f32, x: usize): void {
  const av = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.mul(av, v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(x, i), alpha * load<f32>(at(x, i)));
}

export function sigmoid(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(out, i), sigmoidv(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(out, i), sigmoidf1(load<f32>(at(x, i))));
}

export function tanh(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(out, i), tanhv(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(out, i), tanhf1(load<f32>(at(x, i))));
}

/** exp, exported for tests and for callers that need it (not part of the Kernels interface). */
export function exp(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(out, i), expv(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(out, i), f32x4.extract_lane(expv(f32x4.splat(load<f32>(at(x, i)))), 0));
}

export function relu(n: i32, x: usize, out: usize): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(out, i), f32x4.max(v128.load(at(x, i)), zero));
  for (; i < n; i++) store<f32>(at(out, i), max<f32>(load<f32>(at(x, i)), 0));
}

/** dx += dy * y * (1 - y) */
export function sigmoidBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yv = v128.load(at(y, i));
    const g = f32x4.mul(v128.load(at(dy, i)), f32x4.mul(yv, f32x4.sub(one, yv)));
    v128.store(at(dx, i), f32x4.add(v128.load(at(dx, i)), g));
  }
  for (; i < n; i++) {
    const yv = load<f32>(at(y, i));
    store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)) * (yv * (1 - yv)));
  }
}

/** dx += dy * (1 - y^2) */
export function tanhBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yv = v128.load(at(y, i));
    const g = f32x4.mul(v128.load(at(dy, i)), f32x4.sub(one, f32x4.mul(yv, yv)));
    v128.store(at(dx, i), f32x4.add(v128.load(at(dx, i)), g));
  }
  for (; i < n; i++) {
    const yv = load<f32>(at(y, i));
    store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)) * (1 - yv * yv));
  }
}

/** dx += dy where y > 0 */
export function reluBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const pass = v128.and(v128.load(at(dy, i)), f32x4.gt(v128.load(at(y, i)), zero));
    v128.store(at(dx, i), f32x4.add(v128.load(at(dx, i)), pass));
  }
  for (; i < n; i++) {
    if (load<f32>(at(y, i)) > 0) store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)));
  }
}

/** Sum of squares, accumulated in four f32 lanes per block of 1024 and in f64 across blocks. */
export function sumSquares(n: i32, x: usize): f64 {
  let total: f64 = 0;
  let i = 0;
  while (i + 4 <= n) {
    let acc = f32x4.splat(0);
    const blockEnd = min(n & ~3, i + 1024);
    for (; i < blockEnd; i += 4) {
      const v = v128.load(at(x, i));
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    total += hsumWide(acc);
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(at(x, i));
    total += v * v;
  }
  return total;
}

/** out[r, :] += bias[:] */
export function addBiasRows(out: usize, bias: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = out + (<usize>r * <usize>cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(at(row, j), f32x4.add(v128.load(at(row, j)), v128.load(at(bias, j))));
    for (; j < cols; j++) store<f32>(at(row, j), load<f32>(at(row, j)) + load<f32>(at(bias, j)));
  }
}

/** dbias[:] += sum over rows of d[r, :] */
export function sumRows(d: usize, dbias: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = d + (<usize>r * <usize>cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(at(dbias, j), f32x4.add(v128.load(at(dbias, j)), v128.load(at(row, j))));
    for (; j < cols; j++) store<f32>(at(dbias, j), load<f32>(at(dbias, j)) + load<f32>(at(row, j)));
  }
}

/** out[i, :] = table[ids[i], :] */
export function gatherRows(table: usize, dim: i32, ids: usize, count: i32, out: usize): void {
  const rowBytes = <usize>dim << 2;
  for (let i = 0; i < count; i++) {
    const id = <usize>load<i32>(at(ids, i));
    memory.copy(out + <usize>i * rowBytes, table + id * rowBytes, rowBytes);
  }
}

/** dtable[ids[i], :] += d[i, :] */
export function scatterAddRows(dtable: usize, dim: i32, ids: usize, count: i32, d: usize): void {
  const rowBytes = <usize>dim << 2;
  for (let i = 0; i < count; i++) {
    const dst = dtable + <usize>load<i32>(at(ids, i)) * rowBytes;
    const src = d + <usize>i * rowBytes;
    let j = 0;
    for (; j + 4 <= dim; j += 4) v128.store(at(dst, j), f32x4.add(v128.load(at(dst, j)), v128.load(at(src, j))));
    for (; j < dim; j++) store<f32>(at(dst, j), load<f32>(at(dst, j)) + load<f32>(at(src, j)));
  }
}
