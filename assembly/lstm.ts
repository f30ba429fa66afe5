// Fused LSTM cell, forward and backward, for one time step of a batch. Gate order i, f, g, o; `gates` is
// B x 4H. One pass over the block does the activations, the cell update and the output, vectorised over the
// hidden units (a scalar tail handles H not a multiple of 4, through the same vector math).
import { sigmoidv, tanhv } from './simd';

@inline function isPadding(mask: usize, b: i32): bool {
  return mask != 0 && load<f32>(mask + (<usize>b << 2)) == 0;
}

/** Forward step for four consecutive hidden units of one row. */
@inline function forwardLanes(
  gi: usize, gf: usize, gg: usize, go: usize, cp: usize, hp: usize, c: usize, h: usize, tc: usize, padded: bool,
): void {
  const ig = sigmoidv(v128.load(gi));
  const fg = sigmoidv(v128.load(gf));
  const g = tanhv(v128.load(gg));
  const og = sigmoidv(v128.load(go));
  v128.store(gi, ig);
  v128.store(gf, fg);
  v128.store(gg, g);
  v128.store(go, og);
  const cPrev = v128.load(cp);
  if (padded) {
    v128.store(c, cPrev);
    v128.store(h, v128.load(hp));
    v128.store(tc, tanhv(cPrev));
  } else {
    const cNew = f32x4.add(f32x4.mul(fg, cPrev), f32x4.mul(ig, g));
    const t = tanhv(cNew);
    v128.store(c, cNew);
    v128.store(tc, t);
    v128.store(h, f32x4.mul(og, t));
  }
}

export function lstmCellForward(
  batch: i32, hidden: i32, gates: usize, cPrev: usize, hPrev: usize, c: usize, h: usize, tanhC: usize, mask: usize,
): void {
  const H = <usize>hidden;
  const vecEnd = hidden & ~3;
  for (let b = 0; b < batch; b++) {
    const g0 = gates + (<usize>b * 4 * H << 2);
    const s0 = <usize>b * H << 2;
    const padded = isPadding(mask, b);
    for (let j = 0; j < vecEnd; j += 4) {
      const o = <usize>j << 2;
      forwardLanes(g0 + o, g0 + (H << 2) + o, g0 + (H << 3) + o, g0 + 3 * (H << 2) + o,
        cPrev + s0 + o, hPrev + s0 + o, c + s0 + o, h + s0 + o, tanhC + s0 + o, padded);
    }
    // Tail: gather the leftover lanes into vectors so they get exactly the same arithmetic.
    for (let j = vecEnd; j < hidden; j++) {
      const o = <usize>j << 2;
      const gi = g0 + o, gf = g0 + (H << 2) + o, gg = g0 + (H << 3) + o, go = g0 + 3 * (H << 2) + o;
      const ig = f32x4.extract_lane(sigmoidv(f32x4.splat(load<f32>(gi))), 0);
      const fg = f32x4.extract_lane(sigmoidv(f32x4.splat(load<f32>(gf))), 0);
      const g = f32x4.extract_lane(tanhv(f32x4.splat(load<f32>(gg))), 0);
      const og = f32x4.extract_lane(sigmoidv(f32x4.splat(load<f32>(go))), 0);
      store<f32>(gi, ig);
      store<f32>(gf, fg);
      store<f32>(gg, g);
      store<f32>(go, og);
      const cp = load<f32>(cPrev + s0 + o);
      if (padded) {
        store<f32>(c + s0 + o, cp);
        store<f32>(h + s0 + o, load<f32>(hPrev + s0 + o));
        store<f32>(tanhC + s0 + o, f32x4.extract_lane(tanhv(f32x4.splat(cp)), 0));
      } else {
        const cNew = fg * cp + ig * g;
        const t = f32x4.extract_lane(tanhv(f32x4.splat(cNew)), 0);
        store<f32>(c + s0 + o, cNew);
        store<f32>(tanhC + s0 + o, t);
        store<f32>(h + s0 + o, og * t);
      }
    }
  }
}

/**
 * Backward step. dhPrev / dcPrev may alias dh / dc: every lane reads its inputs before writing outputs.
 * Unmasked rows: dhPrev = 0 (the caller adds dGates * W_hh^T); masked rows pass dh, dc through, dGates = 0.
 */
export function lstmCellBackward(
  batch: i32, hidden: i32, gates: usize, cPrev: usize, tanhC: usize, dh: usize, dc: usize,
  dGates: usize, dcPrev: usize, dhPrev: usize, mask: usize,
): void {
  const H = <usize>hidden;
  const vecEnd = hidden & ~3;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let b = 0; b < batch; b++) {
    const g0 = gates + (<usize>b * 4 * H << 2);
    const d0 = dGates + (<usize>b * 4 * H << 2);
    const s0 = <usize>b * H << 2;
    const padded = isPadding(mask, b);
    let j = 0;
    for (; j < vecEnd; j += 4) {
      const o = <usize>j << 2;
      const dhv = v128.load(dh + s0 + o);
      const dcv = v128.load(dc + s0 + o);
      if (padded) {
        v128.store(d0 + o, zero);
        v128.store(d0 + (H << 2) + o, zero);
        v128.store(d0 + (H << 3) + o, zero);
        v128.store(d0 + 3 * (H << 2) + o, zero);
        v128.store(dhPrev + s0 + o, dhv);
        v128.store(dcPrev + s0 + o, dcv);
        continue;
      }
      const ig = v128.load(g0 + o);
      const fg = v128.load(g0 + (H << 2) + o);
      const gg = v128.load(g0 + (H << 3) + o);
      const og = v128.load(g0 + 3 * (H << 2) + o);
      const tc = v128.load(tanhC + s0 + o);
      const dcTotal = f32x4.add(dcv, f32x4.mul(f32x4.mul(dhv, og), f32x4.sub(one, f32x4.mul(tc, tc))));
      const dO = f32x4.mul(dhv, tc);
      v128.store(d0 + o, f32x4.mul(f32x4.mul(f32x4.mul(dcTotal, gg), ig), f32x4.sub(one, ig)));
      v128.store(d0 + (H << 2) + o,
        f32x4.mul(f32x4.mul(f32x4.mul(dcTotal, v128.load(cPrev + s0 + o)), fg), f32x4.sub(one, fg)));
      v128.store(d0 + (H << 3) + o, f32x4.mul(f32x4.mul(dcTotal, ig), f32x4.sub(one, f32x4.mul(gg, gg))));
      v128.store(d0 + 3 * (H << 2) + o, f32x4.mul(f32x4.mul(dO, og), f32x4.sub(one, og)));
      v128.store(dcPrev + s0 + o, f32x4.mul(dcTotal, fg));
      v128.store(dhPrev + s0 + o, zero);
    }
    for (; j < hidden; j++) {
      const o = <usize>j << 2;
      const dhv = load<f32>(dh + s0 + o);
      const dcv = load<f32>(dc + s0 + o);
      if (padded) {
        store<f32>(d0 + o, 0);
        store<f32>(d0 + (H << 2) + o, 0);
        store<f32>(d0 + (H << 3) + o, 0);
        store<f32>(d0 + 3 * (H << 2) + o, 0);
        store<f32>(dhPrev + s0 + o, dhv);
        store<f32>(dcPrev + s0 + o, dcv);
        continue;
      }
      const ig = load<f32>(g0 + o);
      const fg = load<f32>(g0 + (H << 2) + o);
      const gg = load<f32>(g0 + (H << 3) + o);
      const og = load<f32>(g0 + 3 * (H << 2) + o);
      const tc = load<f32>(tanhC + s0 + o);
      const dcTotal = dcv + dhv * og * (1 - tc * tc);
      store<f32>(d0 + o, dcTotal * gg * ig * (1 - ig));
      store<f32>(d0 + (H << 2) + o, dcTotal * load<f32>(cPrev + s0 + o) * fg * (1 - fg));
      store<f32>(d0 + (H << 3) + o, dcTotal * ig * (1 - gg * gg));
      store<f32>(d0 + 3 * (H << 2) + o, dhv * tc * og * (1 - og));
      store<f32>(dcPrev + s0 + o, dcTotal * fg);
      store<f32>(dhPrev + s0 + o, 0);
    }
  }
}
