// General matrix product C = alpha * op(A) * op(B) + beta * C (row-major, f32), GotoBLAS-style:
//   for each NC-wide column block and KC-deep slice: pack op(B) into NR-column panels (contiguous per k),
//   for each MC-high row block: pack op(A) into MR-row panels (contiguous per k),
//   then a 4 x 8 micro-kernel keeps its C tile in eight v128 registers while streaming both panels.
// Packing absorbs the four transpose cases, so one micro-kernel serves them all, and it zero-pads ragged
// edges, so the micro-kernel never branches on sizes; only the final store of an edge tile is scalar.
import { madd } from './simd';

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 512;
const TILE_BYTES: usize = <usize>(MR * NR * 4);
const A_PACK_BYTES: usize = <usize>(MC * KC * 4);
const B_PACK_BYTES: usize = <usize>(KC * NC * 4);

/** Bytes of scratch `gemm` needs (packed A block, packed B block, one edge tile), 16-byte aligned. */
export function gemmScratchBytes(): i32 {
  return <i32>(A_PACK_BYTES + B_PACK_BYTES + TILE_BYTES);
}

/** Packs op(A)[i0 .. i0+rows, p0 .. p0+depth] as MR-row panels: panel q, step kk holds rows 4q..4q+3. */
function packA(transA: bool, a: usize, lda: i32, i0: i32, p0: i32, rows: i32, depth: i32, dst: usize): void {
  for (let q = 0; q < rows; q += MR) {
    const live = min(MR, rows - q);
    const panel = dst + <usize>(q * depth) * 4;
    if (!transA) {
      // op(A)[i, k] = A[i * lda + k]: four row pointers walked together.
      for (let r = 0; r < MR; r++) {
        let out = panel + <usize>r * 4;
        if (r < live) {
          let src = a + (<usize>(i0 + q + r) * <usize>lda + <usize>p0) * 4;
          for (let kk = 0; kk < depth; kk++) {
            store<f32>(out, load<f32>(src));
            src += 4;
            out += 16;
          }
        } else {
          for (let kk = 0; kk < depth; kk++) {
            store<f32>(out, 0);
            out += 16;
          }
        }
      }
    } else {
      // op(A)[i, k] = A[k * lda + i]: the four values of one step are contiguous in A.
      let src = a + (<usize>p0 * <usize>lda + <usize>(i0 + q)) * 4;
      let out = panel;
      const stride = <usize>lda * 4;
      if (live == MR) {
        for (let kk = 0; kk < depth; kk++) {
          v128.store(out, v128.load(src));
          src += stride;
          out += 16;
        }
      } else {
        for (let kk = 0; kk < depth; kk++) {
          for (let r = 0; r < MR; r++) store<f32>(out + <usize>r * 4, r < live ? load<f32>(src + <usize>r * 4) : 0);
          src += stride;
          out += 16;
        }
      }
    }
  }
}

/** Packs op(B)[p0 .. p0+depth, j0 .. j0+cols] as NR-column panels: panel q, step kk holds columns 8q..8q+7. */
function packB(transB: bool, b: usize, ldb: i32, p0: i32, j0: i32, depth: i32, cols: i32, dst: usize): void {
  for (let q = 0; q < cols; q += NR) {
    const live = min(NR, cols - q);
    let out = dst + <usize>(q * depth) * 4;
    if (!transB) {
      // op(B)[k, j] = B[k * ldb + j]: eight contiguous values per step.
      let src = b + (<usize>p0 * <usize>ldb + <usize>(j0 + q)) * 4;
      const stride = <usize>ldb * 4;
      if (live == NR) {
        for (let kk = 0; kk < depth; kk++) {
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
          src += stride;
          out += 32;
        }
      } else {
        for (let kk = 0; kk < depth; kk++) {
          for (let j = 0; j < NR; j++) store<f32>(out + <usize>j * 4, j < live ? load<f32>(src + <usize>j * 4) : 0);
          src += stride;
          out += 32;
        }
      }
    } else if (live == NR) {
      // op(B)[k, j] = B[j * ldb + k]: read four steps of each of the eight source rows, transpose 4 x 4 blocks.
      const row0 = b + (<usize>(j0 + q) * <usize>ldb + <usize>p0) * 4;
      const stride = <usize>ldb * 4;
      let kk = 0;
      for (; kk + 4 <= depth; kk += 4) {
        const src = row0 + (<usize>kk << 2);
        transpose4x4Into(out, src, stride);
        transpose4x4Into(out + 16, src + 4 * stride, stride);
        out += 128;
      }
      for (; kk < depth; kk++) {
        for (let j = 0; j < NR; j++) store<f32>(out + <usize>j * 4, load<f32>(row0 + <usize>j * stride + (<usize>kk << 2)));
        out += 32;
      }
    } else {
      // Ragged last panel: walk each live source row along k, zeros for the missing columns.
      for (let j = 0; j < NR; j++) {
        let o = out + <usize>j * 4;
        if (j < live) {
          let src = b + (<usize>(j0 + q + j) * <usize>ldb + <usize>p0) * 4;
          for (let kk = 0; kk < depth; kk++) {
            store<f32>(o, load<f32>(src));
            src += 4;
            o += 32;
          }
        } else {
          for (let kk = 0; kk < depth; kk++) {
            store<f32>(o, 0);
            o += 32;
          }
        }
      }
    }
  }
}

/**
 * Reads 4 floats from each of 4 rows (src, src + stride, ...) and writes them transposed as 4 rows of a
 * packed panel whose rows are 32 bytes apart: dst[q * 32 + r * 4] = row r, element q.
 */
@inline function transpose4x4Into(dst: usize, src: usize, stride: usize): void {
  const v0 = v128.load(src), v1 = v128.load(src + stride), v2 = v128.load(src + 2 * stride), v3 = v128.load(src + 3 * stride);
  const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
}

/** Writes alpha * acc + beta * C for one row of 8 (beta == 0 never reads C, which may hold garbage). */
@inline function storeRow(c: usize, lo: v128, hi: v128, alpha: v128, beta: f32): void {
  if (beta == 0) {
    v128.store(c, f32x4.mul(lo, alpha));
    v128.store(c, f32x4.mul(hi, alpha), 16);
  } else {
    const bv = f32x4.splat(beta);
    v128.store(c, madd(v128.load(c), bv, f32x4.mul(lo, alpha)));
    v128.store(c, madd(v128.load(c, 16), bv, f32x4.mul(hi, alpha)), 16);
  }
}

/**
 * The 4 x 8 micro-kernel over `depth` steps of packed panels. Full tiles are stored straight to C; edge tiles
 * go through `tile` and are copied element by element.
 */
function microKernel(
  depth: i32, ap: usize, bp: usize, c: usize, ldc: i32, alpha: f32, beta: f32, rows: i32, cols: i32, tile: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let kk = 0;
  // Two steps per iteration to halve the loop overhead.
  for (; kk + 1 < depth; kk += 2) {
    let b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    b0 = v128.load(bp, 32); b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 16);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 20);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 24);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 28);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  if (kk < depth) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
  }
  const av = f32x4.splat(alpha);
  const rowBytes = <usize>ldc * 4;
  if (rows == MR && cols == NR) {
    storeRow(c, c00, c01, av, beta);
    storeRow(c + rowBytes, c10, c11, av, beta);
    storeRow(c + 2 * rowBytes, c20, c21, av, beta);
    storeRow(c + 3 * rowBytes, c30, c31, av, beta);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  for (let r = 0; r < rows; r++) {
    const crow = c + <usize>r * rowBytes;
    const trow = tile + <usize>(r * NR) * 4;
    for (let j = 0; j < cols; j++) {
      const dst = crow + <usize>j * 4;
      const v = alpha * load<f32>(trow + <usize>j * 4);
      store<f32>(dst, beta == 0 ? v : v + beta * load<f32>(dst));
    }
  }
}

/** C = beta * C for an M x N block (beta == 0 writes zeros without reading C). */
function scaleC(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * <usize>ldc * 4;
    for (let j = 0; j < n; j++) {
      const p = row + <usize>j * 4;
      store<f32>(p, beta == 0 ? 0 : beta * load<f32>(p));
    }
  }
}

/**
 * C = alpha * op(A) * op(B) + beta * C; op(A) is M x K, op(B) is K x N. `work` points to gemmScratchBytes()
 * bytes that this call may overwrite (one region per concurrent caller).
 */
export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    if (beta != 1) scaleC(m, n, beta, c, ldc);
    return;
  }
  const packedA = work;
  const packedB = work + A_PACK_BYTES;
  const tile = packedB + B_PACK_BYTES;
  for (let jc = 0; jc < n; jc += NC) {
    const nb = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kb = min(KC, k - pc);
      // Later depth slices accumulate onto what the first one wrote.
      const betaNow: f32 = pc == 0 ? beta : 1;
      packB(transB, b, ldb, pc, jc, kb, nb, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mb = min(MC, m - ic);
        packA(transA, a, lda, ic, pc, mb, kb, packedA);
        for (let jr = 0; jr < nb; jr += NR) {
          const bPanel = packedB + <usize>(jr * kb) * 4;
          const cols = min(NR, nb - jr);
          for (let ir = 0; ir < mb; ir += MR) {
            const aPanel = packedA + <usize>(ir * kb) * 4;
            const cTile = c + (<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) * 4;
            microKernel(kb, aPanel, bPanel, cTile, ldc, alpha, betaNow, min(MR, mb - ir), cols, tile);
          }
        }
      }
    }
  }
}
