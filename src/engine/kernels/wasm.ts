/**
 * WebAssembly SIMD kernels: loads `build/kernels.wasm` (compiled from `assembly/` by `scripts/build-wasm.mjs`)
 * and wraps its exports in the `Kernels` interface.
 *
 * The module imports one SHARED memory and has no static data, so any number of instances (for example one per
 * worker thread) can run over the same tensors. Every method is one call into WebAssembly for a whole
 * matrix / batch / step; nothing here loops over elements in JavaScript.
 *
 * Kernel scratch (packed GEMM panels, CRF lattices) is taken from the arena above the caller's allocations and
 * released before the method returns, so it never outlives a call and never collides with caller data.
 */
import { Arena } from './arena.js';
import { startGemmHelper } from './gemm-threads.js';
import type { Kernels, Ptr } from './types.js';

/** The exports of build/kernels.wasm (see assembly/index.ts). Pointers are byte offsets; booleans are i32. */
export interface KernelExports {
  heapBase(): number;
  gemmScratchBytes(): number;
  crfScratchBytes(maxLen: number, numTags: number): number;
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Ptr, lda: number,
    b: Ptr, ldb: number, beta: number, c: Ptr, ldc: number, work: Ptr,
  ): void;
  addBiasRows(out: Ptr, bias: Ptr, rows: number, cols: number): void;
  sumRows(d: Ptr, dbias: Ptr, rows: number, cols: number): void;
  fill(x: Ptr, n: number, value: number): void;
  copy(src: Ptr, dst: Ptr, n: number): void;
  axpy(n: number, alpha: number, x: Ptr, y: Ptr): void;
  mul(n: number, a: Ptr, b: Ptr, out: Ptr): void;
  scale(n: number, alpha: number, x: Ptr): void;
  sigmoid(n: number, x: Ptr, out: Ptr): void;
  tanh(n: number, x: Ptr, out: Ptr): void;
  exp(n: number, x: Ptr, out: Ptr): void;
  relu(n: number, x: Ptr, out: Ptr): void;
  sigmoidBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  tanhBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  reluBackward(n: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  sumSquares(n: number, x: Ptr): number;
  gatherRows(table: Ptr, dim: number, ids: Ptr, count: number, out: Ptr): void;
  scatterAddRows(dtable: Ptr, dim: number, ids: Ptr, count: number, d: Ptr): void;
  lstmCellForward(
    batch: number, hidden: number, gates: Ptr, cPrev: Ptr, hPrev: Ptr, c: Ptr, h: Ptr, tanhC: Ptr, mask: Ptr,
  ): void;
  lstmCellBackward(
    batch: number, hidden: number, gates: Ptr, cPrev: Ptr, tanhC: Ptr, dh: Ptr, dc: Ptr,
    dGates: Ptr, dcPrev: Ptr, dhPrev: Ptr, mask: Ptr,
  ): void;
  softmaxCrossEntropy(
    rows: number, classes: number, logits: Ptr, targets: Ptr, classWeights: Ptr, probs: Ptr, dLogits: Ptr,
  ): number;
  crfNll(
    batch: number, maxLen: number, numTags: number, emissions: Ptr, lengths: Ptr, tags: Ptr,
    transitions: Ptr, start: Ptr, end: Ptr, allowed: Ptr,
    dEmissions: Ptr, dTransitions: Ptr, dStart: Ptr, dEnd: Ptr, work: Ptr,
  ): number;
  crfViterbi(
    batch: number, maxLen: number, numTags: number, emissions: Ptr, lengths: Ptr,
    transitions: Ptr, start: Ptr, end: Ptr, allowed: Ptr, outTags: Ptr, work: Ptr,
  ): void;
  adamStep(
    n: number, param: Ptr, grad: Ptr, m: Ptr, v: Ptr, lr: number, beta1: number, beta2: number, eps: number,
    weightDecay: number, step: number,
  ): void;
}

/** Where the compiled module comes from: already compiled, raw bytes, or a file path / URL to read. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string;

export interface WasmKernelOptions {
  /** The baseline SIMD module. Default: `build/kernels.wasm` three levels above this file (the package root). */
  source?: WasmSource;
  /**
   * The optional relaxed-SIMD module, used only where the engine validates it. Default: `build/kernels-relaxed.wasm`
   * when `source` is not given; pass `false` to never use it.
   */
  relaxedSource?: WasmSource | false;
  /**
   * A shared memory to run over; default: a new one with `initialPages` / `maximumPages`. The kernels' arena
   * owns it from the module's heap base up: never give one memory to two `createWasmKernels` calls.
   */
  memory?: WebAssembly.Memory;
  /** Initial size of a new memory in 64 KiB pages (default 256 = 16 MiB); the arena grows it. */
  initialPages?: number;
  /** Maximum size of a new memory in pages (default 32768 = 2 GiB; shared memory must declare one). */
  maximumPages?: number;
  /**
   * 2: large matrix products are split with a helper worker thread over the same memory (Node only; call
   * `close()` when done). Default 1. Worth it only when a second core is actually free.
   */
  gemmThreads?: 1 | 2;
}

/** Default location of the modules: src/engine/kernels/ and dist/engine/kernels/ are both 3 levels deep. */
export const DEFAULT_WASM_URL = new URL('../../../build/kernels.wasm', import.meta.url);
export const DEFAULT_RELAXED_WASM_URL = new URL('../../../build/kernels-relaxed.wasm', import.meta.url);

const DEFAULT_INITIAL_PAGES = 256;
const DEFAULT_MAXIMUM_PAGES = 32_768;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Reads a file: URL or path in Node, fetches anything else (browsers, http: URLs). */
async function readBytes(location: URL | string): Promise<BufferSource> {
  const url = typeof location === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(location) ? undefined : new URL(location);
  if (isNode() && (url === undefined || url.protocol === 'file:')) {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(url ?? (location as string));
    return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  }
  const response = await fetch(url ?? location);
  if (!response.ok) throw new Error(`cannot fetch ${String(location)}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Compiles a module from any `WasmSource`. */
export async function compileKernelModule(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  return WebAssembly.compile(await readBytes(source));
}

/** Whether this engine validates the relaxed-SIMD module (Node 20 needs --experimental-wasm-relaxed-simd). */
async function relaxedModuleIfSupported(source: WasmSource): Promise<WebAssembly.Module | undefined> {
  try {
    if (source instanceof WebAssembly.Module) return source;
    const bytes = source instanceof ArrayBuffer || ArrayBuffer.isView(source) ? source : await readBytes(source);
    if (!WebAssembly.validate(bytes)) return undefined;
    return await WebAssembly.compile(bytes);
  } catch {
    return undefined; // missing or unreadable: the optional build simply is not used
  }
}

/** Creates the shared memory all kernels (and all threads) use. */
export function createSharedMemory(initialPages = DEFAULT_INITIAL_PAGES, maximumPages = DEFAULT_MAXIMUM_PAGES) {
  return new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared: true });
}

/** Instantiates the kernel module over `memory` (synchronously: also usable inside a worker thread). */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}

/** Loads the module(s) and returns the `Kernels` backed by WebAssembly SIMD. */
export async function createWasmKernels(options: WasmKernelOptions = {}): Promise<WasmKernels> {
  const module = await compileKernelModule(options.source ?? DEFAULT_WASM_URL);
  const relaxedSource = options.relaxedSource ?? (options.source === undefined ? DEFAULT_RELAXED_WASM_URL : false);
  const relaxed = relaxedSource === false ? undefined : await relaxedModuleIfSupported(relaxedSource);
  const memory = options.memory ?? createSharedMemory(options.initialPages, options.maximumPages);
  const exports = instantiateKernels(relaxed ?? module, memory);
  const kernels = wrapKernelExports(exports, memory, relaxed ? 'wasm-relaxed-simd' : 'wasm-simd', relaxed ?? module);
  if ((options.gemmThreads ?? 1) === 1) return kernels;
  // The helper's GEMM scratch is reserved for its lifetime, below anything the caller allocates later.
  const helper = await startGemmHelper(kernels.module, memory, kernels.alloc(kernels.gemmScratchBytes));
  return { ...kernels, name: `${kernels.name}-2threads`, gemm: helper.gemm(kernels.gemm), close: () => helper.close() };
}

/** The `Kernels` returned by `createWasmKernels`, plus what a worker pool needs to run more instances. */
export interface WasmKernels extends Kernels {
  /** The compiled module in use, to instantiate in workers over the same memory. */
  readonly module: WebAssembly.Module;
  /** The raw exports (including `exp`, which the interface does not have). */
  readonly exports: KernelExports;
  /** Bytes of scratch one `gemm` call needs (per concurrent caller). */
  readonly gemmScratchBytes: number;
  /** Stops helper threads, if any (a no-op for one thread). */
  close(): Promise<void>;
  /** Matrix products go to the native OpenBLAS addon (native-blas.ts) instead of the module's gemm. */
  readonly nativeGemm?: boolean;
}

/**
 * Wraps an instance's exports. `region` confines the arena to [base, limit) of the memory: a worker thread's
 * kernels allocate only inside a region the main thread reserved for it, so threads never overwrite each other.
 */
export function wrapKernelExports(
  x: KernelExports, memory: WebAssembly.Memory, name: string, module: WebAssembly.Module,
  region?: { base: number; limit: number },
): WasmKernels {
  const arena = region
    ? new Arena(memory, Math.max(16, x.heapBase(), region.base), region.limit)
    : new Arena(memory, Math.max(16, x.heapBase()));
  const gemmScratchBytes = x.gemmScratchBytes();

  /** Runs `body` with `bytes` of scratch above everything allocated so far, then releases it. */
  const withScratch = <T>(bytes: number, body: (work: Ptr) => T): T => {
    const mark = arena.mark();
    try {
      return body(arena.alloc(bytes));
    } finally {
      arena.reset(mark);
    }
  };

  return {
    name,
    memory,
    module,
    exports: x,
    gemmScratchBytes,
    close: async () => {},
    alloc: (bytes) => arena.alloc(bytes),
    mark: () => arena.mark(),
    reset: (mark) => arena.reset(mark),
    peakBytes: () => arena.peakBytes(),
    f32: (ptr, length) => new Float32Array(memory.buffer, ptr, length),
    i32: (ptr, length) => new Int32Array(memory.buffer, ptr, length),

    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      if (m <= 0 || n <= 0) return;
      // The hot path (once per time step): same as withScratch, without allocating a closure.
      const mark = arena.mark();
      try {
        x.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, arena.alloc(gemmScratchBytes));
      } finally {
        arena.reset(mark);
      }
    },
    addBiasRows: (out, bias, rows, cols) => x.addBiasRows(out, bias, rows, cols),
    sumRows: (d, dbias, rows, cols) => x.sumRows(d, dbias, rows, cols),
    fill: (ptr, n, value) => x.fill(ptr, n, value),
    copy: (src, dst, n) => x.copy(src, dst, n),
    axpy: (n, alpha, xs, y) => x.axpy(n, alpha, xs, y),
    mul: (n, a, b, out) => x.mul(n, a, b, out),
    scale: (n, alpha, ptr) => x.scale(n, alpha, ptr),
    sigmoid: (n, xs, out) => x.sigmoid(n, xs, out),
    tanh: (n, xs, out) => x.tanh(n, xs, out),
    relu: (n, xs, out) => x.relu(n, xs, out),
    sigmoidBackward: (n, y, dy, dx) => x.sigmoidBackward(n, y, dy, dx),
    tanhBackward: (n, y, dy, dx) => x.tanhBackward(n, y, dy, dx),
    reluBackward: (n, y, dy, dx) => x.reluBackward(n, y, dy, dx),
    sumSquares: (n, ptr) => x.sumSquares(n, ptr),
    gatherRows: (table, dim, ids, count, out) => x.gatherRows(table, dim, ids, count, out),
    scatterAddRows: (dtable, dim, ids, count, d) => x.scatterAddRows(dtable, dim, ids, count, d),
    lstmCellForward: (batch, hidden, gates, cPrev, hPrev, c, h, tanhC, mask) =>
      x.lstmCellForward(batch, hidden, gates, cPrev, hPrev, c, h, tanhC, mask),
    lstmCellBackward: (batch, hidden, gates, cPrev, tanhC, dh, dc, dGates, dcPrev, dhPrev, mask) =>
      x.lstmCellBackward(batch, hidden, gates, cPrev, tanhC, dh, dc, dGates, dcPrev, dhPrev, mask),
    softmaxCrossEntropy: (rows, classes, logits, targets, classWeights, probs, dLogits) =>
      x.softmaxCrossEntropy(rows, classes, logits, targets, classWeights, probs, dLogits),
    crfNll(batch, maxLen, numTags, emissions, lengths, tags, transitions, start, end, allowed,
      dEmissions, dTransitions, dStart, dEnd) {
      return withScratch(x.crfScratchBytes(maxLen, numTags), (work) => x.crfNll(
        batch, maxLen, numTags, emissions, lengths, tags, transitions, start, end, allowed,
        dEmissions, dTransitions, dStart, dEnd, work,
      ));
    },
    crfViterbi(batch, maxLen, numTags, emissions, lengths, transitions, start, end, allowed, outTags) {
      withScratch(x.crfScratchBytes(maxLen, numTags), (work) => x.crfViterbi(
        batch, maxLen, numTags, emissions, lengths, transitions, start, end, allowed, outTags, work,
      ));
    },
    adamStep: (n, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step) =>
      x.adamStep(n, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step),
  };
}
