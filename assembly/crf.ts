// Linear-chain CRF over a batch: negative log-likelihood with its exact gradient (forward-backward in log
// space) and Viterbi decoding. Vectorised over tags: tag vectors are padded to KP = ceil(K / 4) * 4 lanes in
// scratch, padding lanes hold -inf so that they contribute exp(-inf) = 0 and never win a max.
// Forbidden transitions (allowed[i, j] == 0) are -inf in the scratch copies of the transition matrix.
//
// Speed: the recursions are "scaled" log-space matrix-vector products. With p_i = exp(prev_i - max prev) and
// E_ij = exp(trans_ij - max_i trans_ij) precomputed once per call, logsumexp_i(prev_i + trans_ij) is
// max prev + colmax_j + log(sum_i p_i E_ij): multiply-adds instead of K x K exponentials. That is exact to
// float precision whenever the dominant term p_i* E_i*j is far from underflow; the rare columns where it is
// not (best predecessor more than 60 nats below what the factorisation assumes) are recomputed exactly.
import { expf1, expv, hmax, logf1, logv, madd } from './simd';

const NEG_INF: f32 = -Infinity;

@inline function padded(numTags: i32): i32 {
  return (numTags + 3) & ~3;
}

/** Scratch bytes needed by crfNll / crfViterbi for this shape. */
export function crfScratchBytes(maxLen: i32, numTags: i32): i32 {
  const kp = padded(numTags);
  // transM, transT, dTrans accumulator, EM, ET (K x KP each), alpha and beta (maxLen x KP each), five vectors.
  return (5 * numTags * kp + 2 * maxLen * kp + 5 * kp) * 4;
}

/** transM[i][j] = trans(i -> j) and transT[j][i] = trans(i -> j), -inf where forbidden or padding. */
function prepareTransitions(k: i32, transitions: usize, allowed: usize, transM: usize, transT: usize): void {
  const kp = padded(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < kp; j++) {
      let v: f32 = NEG_INF;
      if (j < k) {
        const at = <usize>(i * k + j) << 2;
        v = allowed != 0 && load<f32>(allowed + at) == 0 ? NEG_INF : load<f32>(transitions + at);
      }
      store<f32>(transM + (<usize>(i * kp + j) << 2), v);
      if (j < k) store<f32>(transT + (<usize>(j * kp + i) << 2), v);
    }
  }
  for (let j = 0; j < k; j++) {
    for (let i = k; i < kp; i++) store<f32>(transT + (<usize>(j * kp + i) << 2), NEG_INF);
  }
}

/** Lanes j0..j0+3 of a length-k row (stride-k storage), padding lanes = fillValue. */
@inline function loadTags(row: usize, j0: i32, k: i32, fillValue: f32): v128 {
  if (j0 + 4 <= k) return v128.load(row + (<usize>j0 << 2));
  let v = f32x4.splat(fillValue);
  if (j0 < k) v = f32x4.replace_lane(v, 0, load<f32>(row + (<usize>j0 << 2)));
  if (j0 + 1 < k) v = f32x4.replace_lane(v, 1, load<f32>(row + (<usize>(j0 + 1) << 2)));
  if (j0 + 2 < k) v = f32x4.replace_lane(v, 2, load<f32>(row + (<usize>(j0 + 2) << 2)));
  return v;
}

/** Lanes of one 4-column block: logsumexp over i < k of (prev[i] + col[i]), exactly (K exponentials per lane). */
function exactLogSumBlock(k: i32, prev: usize, col: usize, rowBytes: usize): v128 {
  let mx = f32x4.splat(NEG_INF);
  for (let i = 0; i < k; i++) {
    mx = f32x4.max(mx, f32x4.add(v128.load32_splat(prev + (<usize>i << 2)), v128.load(col + <usize>i * rowBytes)));
  }
  // A column that no path reaches keeps -inf: shift by 0 there so that exp gives 0, not NaN.
  const shift = v128.andnot(mx, f32x4.eq(mx, f32x4.splat(NEG_INF)));
  let s = f32x4.splat(0);
  for (let i = 0; i < k; i++) {
    const x = f32x4.add(v128.load32_splat(prev + (<usize>i << 2)), v128.load(col + <usize>i * rowBytes));
    s = f32x4.add(s, expv(f32x4.sub(x, shift)));
  }
  return f32x4.add(shift, logv(s));
}

/** expMat[i][j] = exp(mat[i][j] - colMax[j]) with colMax[j] = max_i mat[i][j] (0 for an all -inf column). */
function exponentiateColumns(k: i32, mat: usize, expMat: usize, colMax: usize): void {
  const kp = padded(k);
  const rowBytes = <usize>kp << 2;
  for (let j = 0; j < kp; j += 4) {
    const o = <usize>j << 2;
    let mx = f32x4.splat(NEG_INF);
    for (let i = 0; i < k; i++) mx = f32x4.max(mx, v128.load(mat + <usize>i * rowBytes + o));
    mx = v128.andnot(mx, f32x4.eq(mx, f32x4.splat(NEG_INF)));
    v128.store(colMax + o, mx);
    for (let i = 0; i < k; i++) {
      v128.store(expMat + <usize>i * rowBytes + o, expv(f32x4.sub(v128.load(mat + <usize>i * rowBytes + o), mx)));
    }
  }
}

/** p[i] = exp(prev[i] - max prev) for all KP lanes; returns max prev (-inf when every entry is -inf). */
function expShifted(k: i32, prev: usize, p: usize): f32 {
  const kp = padded(k);
  let mv = f32x4.splat(NEG_INF);
  for (let j = 0; j < kp; j += 4) mv = f32x4.max(mv, v128.load(prev + (<usize>j << 2)));
  const m = hmax(mv);
  const shift = f32x4.splat(m == NEG_INF ? 0 : m);
  for (let j = 0; j < kp; j += 4) {
    v128.store(p + (<usize>j << 2), expv(f32x4.sub(v128.load(prev + (<usize>j << 2)), shift)));
  }
  return m;
}

/** Lanes where the scaled product is not trustworthy: reachable, and the best term more than 60 nats down. */
@inline function needsExact(mx: v128, ma: v128, colMax: v128): v128 {
  const gap = f32x4.sub(f32x4.sub(mx, ma), colMax);
  return v128.andnot(f32x4.lt(gap, f32x4.splat(-60)), f32x4.eq(mx, f32x4.splat(NEG_INF)));
}

/**
 * out[j] = logsumexp over i < k of (prev[i] + mat[i][j]) for all KP lanes: the matrix-vector product of both
 * recursions (forward: mat = transM; backward: mat = transT), scaled as described at the top.
 */
function logMatVec(
  k: i32, prev: usize, mat: usize, expMat: usize, colMax: usize, p: usize, out: usize,
): void {
  const kp = padded(k);
  const rowBytes = <usize>kp << 2;
  const ma = expShifted(k, prev, p);
  if (ma == NEG_INF) {
    for (let j = 0; j < kp; j += 4) v128.store(out + (<usize>j << 2), f32x4.splat(NEG_INF));
    return;
  }
  const mav = f32x4.splat(ma);
  for (let j = 0; j < kp; j += 4) {
    const o = <usize>j << 2;
    let mx = f32x4.splat(NEG_INF);
    let s = f32x4.splat(0);
    for (let i = 0; i < k; i++) {
      const io = <usize>i * rowBytes + o;
      mx = f32x4.max(mx, f32x4.add(v128.load32_splat(prev + (<usize>i << 2)), v128.load(mat + io)));
      s = madd(v128.load32_splat(p + (<usize>i << 2)), v128.load(expMat + io), s);
    }
    const cm = v128.load(colMax + o);
    let res = f32x4.add(f32x4.add(mav, cm), logv(s));
    if (v128.any_true(needsExact(mx, mav, cm))) res = exactLogSumBlock(k, prev, mat + o, rowBytes);
    v128.store(out + o, res);
  }
}

/**
 * dTrans[i][j] += exp(prev[i] + mat[i][j] + eb[j]) (pairwise marginals; eb already holds emit + beta - logZ),
 * scaled the same way: p_i * E_ij * exp(max prev + colMax_j + eb_j), exact for the rare untrustworthy columns.
 */
function accumulatePairs(
  k: i32, prev: usize, eb: usize, mat: usize, expMat: usize, colMax: usize, p: usize, g: usize, dTrans: usize,
): void {
  const kp = padded(k);
  const rowBytes = <usize>kp << 2;
  const ma = expShifted(k, prev, p);
  if (ma == NEG_INF) return;
  const mav = f32x4.splat(ma);
  for (let j = 0; j < kp; j += 4) {
    const o = <usize>j << 2;
    let mx = f32x4.splat(NEG_INF);
    for (let i = 0; i < k; i++) {
      mx = f32x4.max(mx, f32x4.add(v128.load32_splat(prev + (<usize>i << 2)), v128.load(mat + <usize>i * rowBytes + o)));
    }
    const cm = v128.load(colMax + o);
    const ebv = v128.load(eb + o);
    // Unreachable columns get g = 0 (their eb may be large: logZ does not include paths through them).
    let gv = v128.andnot(expv(f32x4.add(f32x4.add(mav, cm), ebv)), f32x4.eq(mx, f32x4.splat(NEG_INF)));
    if (v128.any_true(needsExact(mx, mav, cm))) {
      for (let i = 0; i < k; i++) {
        const io = <usize>i * rowBytes + o;
        const x = f32x4.add(f32x4.add(v128.load32_splat(prev + (<usize>i << 2)), v128.load(mat + io)), ebv);
        v128.store(dTrans + io, f32x4.add(v128.load(dTrans + io), expv(x)));
      }
      gv = f32x4.splat(0);
    }
    v128.store(g + o, gv);
  }
  for (let i = 0; i < k; i++) {
    const pi = v128.load32_splat(p + (<usize>i << 2));
    const row = <usize>i * rowBytes;
    for (let j = 0; j < kp; j += 4) {
      const io = row + (<usize>j << 2);
      const term = f32x4.mul(f32x4.mul(pi, v128.load(expMat + io)), v128.load(g + (<usize>j << 2)));
      v128.store(dTrans + io, f32x4.add(v128.load(dTrans + io), term));
    }
  }
}

/** Address of row t of a T x k matrix. */
@inline function rowOf(base: usize, t: i32, k: i32): usize {
  return base + (<usize>(t * k) << 2);
}

@inline function tagAt(tags: usize, b: i32, maxLen: i32, t: i32): i32 {
  return load<i32>(tags + (<usize>(b * maxLen + t) << 2));
}

function transitionScore(k: i32, transM: usize, i: i32, j: i32): f64 {
  return <f64>load<f32>(transM + (<usize>(i * padded(k) + j) << 2));
}

export function crfNll(
  batch: i32, maxLen: i32, numTags: i32, emissions: usize, lengths: usize, tags: usize,
  transitions: usize, start: usize, end: usize, allowed: usize,
  dEmissions: usize, dTransitions: usize, dStart: usize, dEnd: usize, work: usize,
): f64 {
  const k = numTags;
  const kp = padded(k);
  const vecBytes = <usize>kp << 2;
  const transM = work;
  const transT = transM + <usize>k * vecBytes;
  const dTrans = transT + <usize>k * vecBytes;
  const expM = dTrans + <usize>k * vecBytes;
  const expT = expM + <usize>k * vecBytes;
  const alpha = expT + <usize>k * vecBytes;
  const beta = alpha + <usize>maxLen * vecBytes;
  const tmp = beta + <usize>maxLen * vecBytes;
  const p = tmp + vecBytes;
  const g = p + vecBytes;
  const colMaxM = g + vecBytes;
  const colMaxT = colMaxM + vecBytes;
  prepareTransitions(k, transitions, allowed, transM, transT);
  exponentiateColumns(k, transM, expM, colMaxM);
  exponentiateColumns(k, transT, expT, colMaxT);
  memory.fill(dTrans, 0, <usize>k * vecBytes);
  memory.fill(dEmissions, 0, <usize>batch * <usize>maxLen * <usize>k << 2);
  let nll: f64 = 0;
  for (let b = 0; b < batch; b++) {
    const len = min(load<i32>(lengths + (<usize>b << 2)), maxLen);
    if (len <= 0) continue;
    const em = emissions + (<usize>b * <usize>maxLen * <usize>k << 2);
    const dem = dEmissions + (<usize>b * <usize>maxLen * <usize>k << 2);

    // Forward: alpha[0] = start + emit[0]; alpha[t] = logMatVec(alpha[t-1], transM) + emit[t].
    for (let j = 0; j < kp; j += 4) {
      v128.store(alpha + (<usize>j << 2), f32x4.add(loadTags(start, j, k, NEG_INF), loadTags(rowOf(em, 0, k), j, k, NEG_INF)));
    }
    for (let t = 1; t < len; t++) {
      const cur = alpha + <usize>t * vecBytes;
      logMatVec(k, cur - vecBytes, transM, expM, colMaxM, p, cur);
      for (let j = 0; j < kp; j += 4) {
        const p = cur + (<usize>j << 2);
        v128.store(p, f32x4.add(v128.load(p), loadTags(rowOf(em, t, k), j, k, NEG_INF)));
      }
    }
    const last = alpha + <usize>(len - 1) * vecBytes;
    let mx: f64 = -Infinity;
    for (let j = 0; j < k; j++) mx = max(mx, <f64>load<f32>(last + (<usize>j << 2)) + <f64>load<f32>(end + (<usize>j << 2)));
    let logZ: f64 = mx;
    if (mx != -Infinity) {
      let s: f64 = 0;
      for (let j = 0; j < k; j++) s += <f64>expf1(<f32>(<f64>load<f32>(last + (<usize>j << 2)) + <f64>load<f32>(end + (<usize>j << 2)) - mx));
      logZ = mx + <f64>logf1(<f32>s);
    }

    // Backward: beta[len-1] = end; beta[t] = logMatVec(emit[t+1] + beta[t+1], transT).
    for (let j = 0; j < kp; j += 4) {
      v128.store(beta + <usize>(len - 1) * vecBytes + (<usize>j << 2), loadTags(end, j, k, NEG_INF));
    }
    for (let t = len - 2; t >= 0; t--) {
      const next = beta + <usize>(t + 1) * vecBytes;
      for (let j = 0; j < kp; j += 4) {
        v128.store(tmp + (<usize>j << 2), f32x4.add(v128.load(next + (<usize>j << 2)), loadTags(rowOf(em, t + 1, k), j, k, NEG_INF)));
      }
      logMatVec(k, tmp, transT, expT, colMaxT, p, next - vecBytes);
    }

    // Gold path score.
    let gold: f64 = <f64>load<f32>(start + (<usize>tagAt(tags, b, maxLen, 0) << 2));
    gold += <f64>load<f32>(rowOf(em, 0, k) + (<usize>tagAt(tags, b, maxLen, 0) << 2));
    gold += <f64>load<f32>(end + (<usize>tagAt(tags, b, maxLen, len - 1) << 2));
    for (let t = 1; t < len; t++) {
      const from = tagAt(tags, b, maxLen, t - 1), to = tagAt(tags, b, maxLen, t);
      gold += transitionScore(k, transM, from, to) + <f64>load<f32>(rowOf(em, t, k) + (<usize>to << 2));
    }
    nll += logZ - gold;

    // Unary marginals exp(alpha + beta - logZ) minus gold indicators.
    const lz = f32x4.splat(<f32>logZ);
    for (let t = 0; t < len; t++) {
      const a = alpha + <usize>t * vecBytes, bt = beta + <usize>t * vecBytes;
      const drow = dem + (<usize>(t * k) << 2);
      for (let j = 0; j < kp; j += 4) {
        const mg = expv(f32x4.sub(f32x4.add(v128.load(a + (<usize>j << 2)), v128.load(bt + (<usize>j << 2))), lz));
        if (j + 4 <= k) {
          v128.store(drow + (<usize>j << 2), mg);
        } else {
          if (j < k) store<f32>(drow + (<usize>j << 2), f32x4.extract_lane(mg, 0));
          if (j + 1 < k) store<f32>(drow + (<usize>(j + 1) << 2), f32x4.extract_lane(mg, 1));
          if (j + 2 < k) store<f32>(drow + (<usize>(j + 2) << 2), f32x4.extract_lane(mg, 2));
        }
      }
      const g = drow + (<usize>tagAt(tags, b, maxLen, t) << 2);
      store<f32>(g, load<f32>(g) - 1);
    }
    // dem rows now hold marginal - indicator; dStart / dEnd take the same quantity at t = 0 and t = len - 1.
    const lastRow = dem + (<usize>((len - 1) * k) << 2);
    for (let j = 0; j < k; j++) {
      const o = <usize>j << 2;
      store<f32>(dStart + o, load<f32>(dStart + o) + load<f32>(dem + o));
      store<f32>(dEnd + o, load<f32>(dEnd + o) + load<f32>(lastRow + o));
    }

    // Pairwise marginals exp(alpha[t-1][i] + trans[i][j] + emit[t][j] + beta[t][j] - logZ), accumulated.
    for (let t = 1; t < len; t++) {
      const bt = beta + <usize>t * vecBytes;
      for (let j = 0; j < kp; j += 4) {
        const eb = f32x4.sub(f32x4.add(v128.load(bt + (<usize>j << 2)), loadTags(rowOf(em, t, k), j, k, NEG_INF)), lz);
        v128.store(tmp + (<usize>j << 2), eb);
      }
      accumulatePairs(k, alpha + <usize>(t - 1) * vecBytes, tmp, transM, expM, colMaxM, p, g, dTrans);
      const gi = tagAt(tags, b, maxLen, t - 1), gj = tagAt(tags, b, maxLen, t);
      const g = dTrans + <usize>gi * vecBytes + (<usize>gj << 2);
      store<f32>(g, load<f32>(g) - 1);
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const dst = dTransitions + (<usize>(i * k + j) << 2);
      store<f32>(dst, load<f32>(dst) + load<f32>(dTrans + <usize>i * vecBytes + (<usize>j << 2)));
    }
  }
  return nll;
}

export function crfViterbi(
  batch: i32, maxLen: i32, numTags: i32, emissions: usize, lengths: usize,
  transitions: usize, start: usize, end: usize, allowed: usize, outTags: usize, work: usize,
): void {
  const k = numTags;
  const kp = padded(k);
  const vecBytes = <usize>kp << 2;
  const transM = work;
  const transT = transM + <usize>k * vecBytes;
  const back = transT + <usize>k * vecBytes + <usize>k * vecBytes; // i32 backpointers, maxLen x KP
  const score = back + <usize>maxLen * vecBytes; // two rows, ping-pong
  prepareTransitions(k, transitions, allowed, transM, transT);
  memory.fill(outTags, 0, <usize>batch * <usize>maxLen << 2);
  for (let b = 0; b < batch; b++) {
    const len = min(load<i32>(lengths + (<usize>b << 2)), maxLen);
    if (len <= 0) continue;
    const em = emissions + (<usize>b * <usize>maxLen * <usize>k << 2);
    for (let j = 0; j < kp; j += 4) {
      v128.store(score + (<usize>j << 2), f32x4.add(loadTags(start, j, k, NEG_INF), loadTags(em, j, k, NEG_INF)));
    }
    for (let t = 1; t < len; t++) {
      const prev = score + <usize>((t - 1) & 1) * vecBytes;
      const cur = score + <usize>(t & 1) * vecBytes;
      const bp = back + <usize>t * vecBytes;
      const emitRow = em + (<usize>(t * k) << 2);
      for (let j = 0; j < kp; j += 4) {
        const col = transM + (<usize>j << 2);
        let best = f32x4.splat(NEG_INF);
        let arg = i32x4.splat(0);
        for (let i = 0; i < k; i++) {
          const cand = f32x4.add(v128.load32_splat(prev + (<usize>i << 2)), v128.load(col + <usize>i * vecBytes));
          // Strictly greater: ties keep the smallest previous tag, as the reference does.
          const better = f32x4.gt(cand, best);
          best = v128.bitselect(cand, best, better);
          arg = v128.bitselect(i32x4.splat(i), arg, better);
        }
        v128.store(cur + (<usize>j << 2), f32x4.add(best, loadTags(emitRow, j, k, NEG_INF)));
        v128.store(bp + (<usize>j << 2), arg);
      }
    }
    const lastScore = score + <usize>((len - 1) & 1) * vecBytes;
    let bestTag = 0;
    let bestScore: f32 = NEG_INF;
    for (let j = 0; j < k; j++) {
      const s = load<f32>(lastScore + (<usize>j << 2)) + load<f32>(end + (<usize>j << 2));
      if (s > bestScore) {
        bestScore = s;
        bestTag = j;
      }
    }
    const out = outTags + (<usize>(b * maxLen) << 2);
    store<i32>(out + (<usize>(len - 1) << 2), bestTag);
    for (let t = len - 1; t > 0; t--) {
      bestTag = load<i32>(back + <usize>t * vecBytes + (<usize>bestTag << 2));
      store<i32>(out + (<usize>(t - 1) << 2), bestTag);
    }
  }
}
