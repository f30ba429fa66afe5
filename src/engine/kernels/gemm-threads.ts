/**
 * Two-thread matrix products: a helper worker runs its own instance of the kernel module over the SAME shared
 * memory and computes one half of a large product (rows, or columns when there are few rows) while the calling
 * thread computes the other half. Synchronisation is one Atomics.notify / Atomics.wait pair per product, so only
 * products above a size threshold are split.
 *
 * The worker is a small self-contained script (no imports of ours), so it runs the same from `src/` under
 * Vitest and from `dist/`. Node only (worker_threads, and Atomics.wait on the calling thread).
 */
import type { Ptr } from './types.js';

/** Products with fewer multiply-adds than this run on the calling thread alone (splitting costs ~10 us). */
export const SPLIT_MIN_MACS = 1 << 20;

// Control block (Int32 words): request counter, done counter, op, then the integer arguments; two float64
// slots (alpha, beta) follow at byte 64.
const REQUEST = 0;
const DONE = 1;
const OP = 2;
const OP_EXIT = 0;
const OP_GEMM = 1;
const ARGS = 3;
const FLOATS_AT = 64;
const CONTROL_BYTES = 80;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, work } = workerData;
const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control);
const f = new Float64Array(control, ${FLOATS_AT}, 2);
let seen = 0; // the initial value: a request posted before this script started is not lost
for (;;) {
  Atomics.wait(c, ${REQUEST}, seen);
  seen = Atomics.load(c, ${REQUEST});
  if (c[${OP}] === ${OP_EXIT}) break;
  const a = ${ARGS};
  x.gemm(c[a] === 1, c[a + 1] === 1, c[a + 2], c[a + 3], c[a + 4], f[0], c[a + 5] >>> 0, c[a + 6], c[a + 7] >>> 0,
    c[a + 8], f[1], c[a + 9] >>> 0, c[a + 10], work);
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

export type GemmFn = (
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Ptr, lda: number, b: Ptr, ldb: number, beta: number, c: Ptr, ldc: number,
) => void;

export interface GemmHelper {
  /** Runs `local` (the calling thread's gemm) on one half and the worker on the other, for large products. */
  gemm: (local: GemmFn) => GemmFn;
  close(): Promise<void>;
}

/**
 * Starts the helper thread. `work` is gemmScratchBytes of scratch reserved for the worker for its lifetime.
 */
export async function startGemmHelper(module: WebAssembly.Module, memory: WebAssembly.Memory, work: Ptr): Promise<GemmHelper> {
  const { Worker } = await import('node:worker_threads');
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const ctrl = new Int32Array(control);
  const floats = new Float64Array(control, FLOATS_AT, 2);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, work } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  // Only now: unreferenced before it is online, the pending start would not keep the process alive either.
  worker.unref(); // an idle helper must not keep the process alive
  let seq = 0;

  const post = (op: number, args: number[], alpha = 0, beta = 0): void => {
    ctrl[OP] = op;
    for (let i = 0; i < args.length; i++) ctrl[ARGS + i] = args[i];
    floats[0] = alpha;
    floats[1] = beta;
    seq += 1;
    Atomics.store(ctrl, REQUEST, seq);
    Atomics.notify(ctrl, REQUEST);
  };
  const join = (): void => {
    for (let done = Atomics.load(ctrl, DONE); done !== seq; done = Atomics.load(ctrl, DONE)) {
      Atomics.wait(ctrl, DONE, done);
    }
  };

  return {
    gemm: (local) => (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
      if (m * n * k < SPLIT_MIN_MACS || (m < 8 && n < 16)) {
        local(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
      }
      // Split rows when there are enough to keep whole 4-row tiles on both sides, else columns (8-wide panels).
      const byRows = m >= 64 || m >= n;
      const half = byRows ? Math.ceil(m / 8) * 4 : Math.ceil(n / 16) * 8;
      const [mW, nW] = byRows ? [m - half, n] : [m, n - half];
      // The worker's half: op(A) rows from `half` (column offset when A is stored transposed), or op(B) columns.
      const aW = byRows ? a + (transA ? half : half * lda) * 4 : a;
      const bW = byRows ? b : b + (transB ? half * ldb : half) * 4;
      const cW = c + (byRows ? half * ldc : half) * 4;
      post(OP_GEMM, [transA ? 1 : 0, transB ? 1 : 0, mW, nW, k, aW, lda, bW, ldb, cW, ldc], alpha, beta);
      if (byRows) local(transA, transB, half, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      else local(transA, transB, m, half, k, alpha, a, lda, b, ldb, beta, c, ldc);
      join();
    },
    async close() {
      post(OP_EXIT, []);
      await worker.terminate();
    },
  };
}
