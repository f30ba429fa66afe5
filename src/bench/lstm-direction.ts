/**
 * One direction of a BiLSTM layer over a time-major batch, forward and backward, written directly against the
 * kernels (the engine-performance recipe): one input-projection GEMM for all steps, one recurrent GEMM and one
 * fused cell call per step, and the weight gradients as one large GEMM each after backpropagation through time.
 *
 * It only needs the compute kernels (`DirectionKernels`), so a worker thread can run it over the shared memory
 * with its own WebAssembly instance.
 */
import type { Kernels, Ptr } from '../engine/kernels/types.js';

export type DirectionKernels = Pick<Kernels, 'gemm' | 'lstmCellForward' | 'lstmCellBackward' | 'fill' | 'addBiasRows' | 'sumRows'>;

/** Sizes: T steps of B rows; E inputs, H hidden units. */
export interface LstmShape {
  steps: number;
  batch: number;
  input: number;
  hidden: number;
}

/**
 * Pointers of one direction. States are stored in T + 1 blocks of B x H with a zero block where the recurrence
 * starts (block 0 when running forward in time, block T when running backward), so that "h at the previous
 * step" for all steps is one contiguous T*B x H matrix: the recurrent weight gradient is then a single GEMM.
 */
export interface DirectionBuffers {
  reverse: boolean;
  wIh: Ptr; // E x 4H
  wHh: Ptr; // H x 4H
  bias: Ptr; // 4H
  dWIh: Ptr;
  dWHh: Ptr;
  dBias: Ptr;
  gates: Ptr; // T*B x 4H: pre-activations, then activated gates (kept for backward)
  dGates: Ptr; // T*B x 4H
  hs: Ptr; // (T+1) * B x H
  cs: Ptr; // (T+1) * B x H
  tanhC: Ptr; // T*B x H
  dHs: Ptr; // T*B x H: gradient w.r.t. this direction's outputs (input of backward; overwritten)
  dc: Ptr; // B x H scratch
  dhPrev: Ptr; // B x H scratch (pass-through part, zero without masks)
}

/** Block index of step t's state (the zero block is 0 forward, T backward). */
export function stateBlock(shape: LstmShape, dir: DirectionBuffers, t: number): number {
  return dir.reverse ? t : t + 1;
}

/** Forward over all steps: input x is T*B x E (time-major). Outputs h_t in hs (see stateBlock). */
export function directionForward(k: DirectionKernels, shape: LstmShape, dir: DirectionBuffers, x: Ptr): void {
  const { steps: T, batch: B, input: E, hidden: H } = shape;
  const G = 4 * H;
  const block = B * H * 4; // bytes of one B x H state block
  k.gemm(false, false, T * B, G, E, 1, x, E, dir.wIh, G, 0, dir.gates, G);
  k.addBiasRows(dir.gates, dir.bias, T * B, G);
  const zero = dir.reverse ? T : 0;
  k.fill(dir.hs + zero * block, B * H, 0);
  k.fill(dir.cs + zero * block, B * H, 0);
  for (let s = 0; s < T; s++) {
    const t = dir.reverse ? T - 1 - s : s;
    const cur = stateBlock(shape, dir, t);
    const prev = dir.reverse ? cur + 1 : cur - 1;
    const gates = dir.gates + t * B * G * 4;
    k.gemm(false, false, B, G, H, 1, dir.hs + prev * block, H, dir.wHh, G, 1, gates, G);
    k.lstmCellForward(B, H, gates, dir.cs + prev * block, dir.hs + prev * block, dir.cs + cur * block,
      dir.hs + cur * block, dir.tanhC + t * block, 0);
  }
}

/**
 * Backward through time. Reads dHs (gradient w.r.t. outputs); accumulates dWIh, dWHh, dBias; writes dX
 * (T*B x E) as beta * dX + dGates * W_ih^T.
 */
export function directionBackward(
  k: DirectionKernels, shape: LstmShape, dir: DirectionBuffers, x: Ptr, dX: Ptr, dXBeta: number,
): void {
  const { steps: T, batch: B, input: E, hidden: H } = shape;
  const G = 4 * H;
  const block = B * H * 4;
  k.fill(dir.dc, B * H, 0);
  for (let s = T - 1; s >= 0; s--) {
    const t = dir.reverse ? T - 1 - s : s;
    const dh = dir.dHs + t * block;
    if (s < T - 1) {
      // Recurrent gradient from the step processed after this one in the forward pass.
      const later = dir.reverse ? t - 1 : t + 1;
      k.gemm(false, true, B, H, G, 1, dir.dGates + later * B * G * 4, G, dir.wHh, G, 1, dh, H);
    }
    const cur = stateBlock(shape, dir, t);
    const prev = dir.reverse ? cur + 1 : cur - 1;
    k.lstmCellBackward(B, H, dir.gates + t * B * G * 4, dir.cs + prev * block, dir.tanhC + t * block, dh, dir.dc,
      dir.dGates + t * B * G * 4, dir.dc, dir.dhPrev, 0);
  }
  // Weight gradients over all steps at once: dW_hh += Hprev^T dG with Hprev the T*B x H "previous state" stack.
  const hPrevStack = dir.reverse ? dir.hs + block : dir.hs;
  k.gemm(true, false, H, G, T * B, 1, hPrevStack, H, dir.dGates, G, 1, dir.dWHh, G);
  k.gemm(true, false, E, G, T * B, 1, x, E, dir.dGates, G, 1, dir.dWIh, G);
  k.sumRows(dir.dGates, dir.dBias, T * B, G);
  k.gemm(false, true, T * B, E, G, 1, dir.dGates, G, dir.wIh, G, dXBeta, dX, E);
}
