#!/usr/bin/env node
/**
 * Engine benchmark: `node dist/bench/main.js [--json] [--quick] [--threads 1,2,2gemm] [--peer] [--relaxed-simd] [--no-blas]`.
 * Prints GEMM GFLOP/s at the model shapes; for the PyTorch peer's three models built with the engine's ops
 * (bench/engine-models.ts: BiLSTM-CRF tagger, joint tagger + relation head on one encoder, pipeline with two
 * encoders; batch 32 x 40, vocab 20000, embedding 100, hidden 128 per direction, 19 tags, 20 pairs, 9 classes)
 * training tokens/s (and the tagger's inference tokens/s) per thread mode; the kernel-level tagger
 * (bench/tagger-step.ts, no autograd, keys `kernel_tagger_*`) for comparison; and memory.
 * `--peer` also runs the PyTorch peer right after, on the same machine, and prints the ratios.
 * Thread modes: `1`; `2` = the two LSTM directions on two threads; `2gemm` = large products split in halves
 * between two threads (createWasmKernels({ gemmThreads: 2 })); `data` = data-parallel on every core, the way
 * `medrex train --threads N` trains (bench/data-parallel-model.ts; keys end in `<cores>thread_data`).
 * `best_*` keys give each figure's best setting; with `--peer`, PyTorch runs with 1 and 2 threads, the faster is
 * kept per figure (`torch_best_*`), and `ratio_best_*` compares the two bests.
 * Where the optional OpenBLAS addon is built (kernels/native-blas.ts), the same GEMM shapes and 1-thread models
 * are also measured on `wasm-simd+openblas`, under the same keys prefixed `blas_`; elsewhere `blas` says why not.
 */
import { Command } from 'commander';
import { createBlasKernels, probeNativeBlas } from '../engine/kernels/native-blas.js';
import type { Kernels } from '../engine/kernels/types.js';
import { createWasmKernels } from '../engine/kernels/wasm.js';
import { benchGemm, MODEL_GEMM_SHAPES } from './gemm-bench.js';
import { runTorchPeer } from './peer.js';
import { createTaggerStep, PEER_TAGGER } from './tagger-step.js';
import { medianSeconds } from './timing.js';
import { createEngineModel, ENGINE_MODEL_KINDS, PEER_MODEL_SIZE, type EngineModel } from './engine-models.js';
import { createDataParallelEngineModel, type DataParallelEngineModel } from './data-parallel-model.js';
import { createDirectionThreads } from '../engine/parallel/direction-threads.js';
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';

type Figures = Record<string, number | string>;

async function main(): Promise<void> {
  const program = new Command('medrex-bench')
    .option('--json', 'print one JSON object')
    .option('--quick', 'fewer repetitions (for smoke tests)')
    .option('--threads <modes>', 'thread modes: 1, 2 (one LSTM direction each), 2gemm (split products), data (data-parallel, every core)', '1,2,data')
    .option('--peer', 'also run the PyTorch peer (../shared/peers/torch_bench.py beside the repository, or $MEDREX_PEER_SCRIPT) and print ratios')
    .option('--relaxed-simd', "turn on V8's relaxed SIMD (fused multiply-add; Node 20 keeps it behind a flag)")
    .option('--no-blas', 'do not also measure the OpenBLAS GEMM backend (measured by default when it is built)')
    .parse();
  const opts = program.opts<{
    json?: boolean; quick?: boolean; threads: string; peer?: boolean; relaxedSimd?: boolean; blas: boolean;
  }>();
  // Must happen before the first kernel module is compiled; the flag is process-wide, so workers see it too.
  if (opts.relaxedSimd) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  const modes = opts.threads.split(',').map((m) => m.trim());
  for (const mode of modes) {
    if (!['1', '2', '2gemm', 'data'].includes(mode)) program.error(`--threads: unknown mode "${mode}" (expected 1, 2, 2gemm or data)`);
  }
  const log = (line: string): void => {
    if (!opts.json) console.log(line);
  };
  const out: Figures = {};

  const kernels = await createWasmKernels();
  out.backend = kernels.name;
  out.node = process.versions.node;

  for (const shape of MODEL_GEMM_SHAPES) {
    const gflops = benchGemm(kernels, shape, opts.quick ? 0.05 : 0.4, opts.quick ? 3 : 7);
    out[`${shape.key}_gflops`] = round(gflops, 2);
    log(`${pad(shape.key + '_gflops', 40)} ${gflops.toFixed(2)}   (${shape.why})`);
  }

  const tokens = PEER_TAGGER.batch * PEER_TAGGER.steps;
  const warmup = opts.quick ? 1 : 3;
  const runs = opts.quick ? 3 : 10;

  // The engine's models (Graph + ops + Adam, as src/models builds them): the figures compared with PyTorch.
  const cores = availableParallelism();
  out.cores = cores;
  const suffixOf = (mode: string): string => suffixOfMode(mode, cores);
  // Mode by mode, every model: each 1-thread figure is taken before the process has seen any other kind of kernel
  // object or thread runner (once it has, V8's call sites in the ops turn polymorphic, and a 1-thread step measured
  // after the multi-threaded ones was up to 25% slower here).
  const references = new Map<string, number>();
  for (const mode of modes) {
    for (const kind of ENGINE_MODEL_KINDS) {
      const suffix = suffixOf(mode);
      // Data-parallel workers reserve regions of their own: a separate memory keeps this one's peak comparable.
      const k = mode === '2gemm' ? await createWasmKernels({ gemmThreads: 2 })
        : mode === 'data' ? await createWasmKernels({ maximumPages: 65_536 }) : kernels;
      const threads = mode === '2' ? await createDirectionThreads(k) : undefined;
      const mark = k.mark();
      let parallel: DataParallelEngineModel | undefined;
      try {
        if (mode === 'data') parallel = await createDataParallelEngineModel(k, kind, PEER_MODEL_SIZE, 0, cores);
        const model = parallel ?? createEngineModel(k, kind, PEER_MODEL_SIZE, 0, threads?.runner);
        // Same seed, same operations per direction: every mode must give the same first loss (up to the
        // summation order of split products in 2gemm).
        const first = model.lossAndGradients();
        if (!references.has(kind)) references.set(kind, first);
        const reference = references.get(kind)!;
        if (Math.abs(first - reference) > 1e-4 * Math.abs(reference)) {
          out[`${kind}_loss_mismatch_${suffix}`] = `${first} vs ${reference}`;
          log(`WARNING: ${kind} mode ${mode} loss ${first} differs from ${reference}`);
        }
        model.params.zeroGrads();
        const train = medianSeconds(() => model.train(), warmup, runs);
        out[`${kind}_train_tokens_per_s_${suffix}`] = Math.round(tokens / train);
        log(`${pad(`${kind}_train_tokens_per_s_${suffix}`, 40)} ${Math.round(tokens / train)}   (${(train * 1000).toFixed(1)} ms/step, engine ops)`);
        if (kind === 'tagger') {
          const infer = medianSeconds(() => model.infer(), warmup, runs);
          out[`tagger_infer_tokens_per_s_${suffix}`] = Math.round(tokens / infer);
          log(`${pad(`tagger_infer_tokens_per_s_${suffix}`, 40)} ${Math.round(tokens / infer)}   (${(infer * 1000).toFixed(2)} ms/step)`);
        }
        // Values, gradients and the two Adam moments: the model's resident share of the kernels' memory.
        if (mode === modes[0]) out[`${kind}_state_mb`] = round((model.params.count() * 4 * 4) / 2 ** 20, 1);
      } finally {
        await parallel?.close();
        k.reset(mark);
        await threads?.close();
        if (k !== kernels) await k.close();
      }
    }
  }

  // The kernel-level tagger (bench/tagger-step.ts, no autograd): the ceiling the engine's tagger aims at.
  const firstLosses = new Map<string, number>();
  for (const mode of modes.filter((m) => m !== 'data')) {
    const suffix = suffixOf(mode);
    const k = mode === '2gemm' ? await createWasmKernels({ gemmThreads: 2 }) : kernels;
    const mark = k.mark();
    const pool = mode === '2' ? await createDirectionThreads(k) : undefined;
    try {
      const step = createTaggerStep(k, PEER_TAGGER, 0, 0.1, pool?.runner);
      firstLosses.set(mode, step.lossAndGradients());
      const reference = firstLosses.get(modes[0])!;
      if (Math.abs(firstLosses.get(mode)! - reference) > 1e-4 * Math.abs(reference)) {
        out[`kernel_tagger_loss_mismatch_${suffix}`] = `${firstLosses.get(mode)} vs ${reference}`;
        log(`WARNING: kernel-level mode ${mode} loss ${firstLosses.get(mode)} differs from ${reference}`);
      }
      const train = medianSeconds(() => step.train(), warmup, runs);
      const infer = medianSeconds(() => step.infer(), warmup, runs);
      out[`kernel_tagger_train_tokens_per_s_${suffix}`] = Math.round(tokens / train);
      out[`kernel_tagger_infer_tokens_per_s_${suffix}`] = Math.round(tokens / infer);
      out[`kernel_tagger_train_gflops_${suffix}`] = round(step.trainFlops / train / 1e9, 2);
      log(`${pad(`kernel_tagger_train_tokens_per_s_${suffix}`, 40)} ${Math.round(tokens / train)}   ` +
        `(${(train * 1000).toFixed(1)} ms/step, ${(step.trainFlops / train / 1e9).toFixed(1)} GFLOP/s in products)`);
      log(`${pad(`kernel_tagger_infer_tokens_per_s_${suffix}`, 40)} ${Math.round(tokens / infer)}   ` +
        `(${(infer * 1000).toFixed(2)} ms/step)`);
    } finally {
      await pool?.close();
      k.reset(mark);
      if (k !== kernels) await k.close();
    }
  }
  out.tagger_impl = 'engine ops (bench/engine-models.ts); kernel_tagger_* = kernel-level, no autograd';
  out.arena_peak_mb = round(kernels.peakBytes() / 2 ** 20, 1);
  out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  log(`${pad('arena_peak_mb', 40)} ${out.arena_peak_mb}`);
  log(`${pad('peak_rss_mb', 40)} ${out.peak_rss_mb}`);
  // After the wasm figures, so that their peak memory does not include the second backend's.
  if (opts.blas) await benchBlas(kernels, out, log, opts.quick === true, { directions: modes.includes('2'), dataThreads: modes.includes('data') ? cores : 0 });
  bestFigures(out, log);

  if (opts.peer) comparePeer(out, log);
  if (opts.json) console.log(JSON.stringify(out));
}

/**
 * The `wasm-simd+openblas` backend: the GEMM shapes and the three engine models on one thread and (with
 * `dataThreads` > 1) data-parallel (keys prefixed `blas_`, with the ratio to wasm in the text output), plus the
 * kernel-level tagger.
 * Each model's first loss is checked against the same model on the wasm kernels.
 */
async function benchBlas(
  wasm: Kernels, out: Figures, log: (line: string) => void, quick: boolean,
  parallel: { directions: boolean; dataThreads: number },
): Promise<void> {
  const { dataThreads } = parallel;
  const probe = probeNativeBlas();
  if (!probe.available) {
    out.blas = `not measured: ${probe.reason}`;
    log(`blas: not measured (${probe.reason})`);
    return;
  }
  const kernels = await createBlasKernels();
  out.blas_backend = kernels.name;
  out.blas_config = probe.blas.config();
  log(`${pad('blas_backend', 40)} ${kernels.name} (${out.blas_config})`);
  const put = (key: string, value: number, detail: string): void => {
    out[`blas_${key}`] = value;
    const wasmValue = out[key];
    const ratio = typeof wasmValue === 'number' && wasmValue > 0 ? `, x${(value / wasmValue).toFixed(2)} vs wasm` : '';
    log(`${pad(`blas_${key}`, 40)} ${value}   (${detail}${ratio})`);
  };

  for (const shape of MODEL_GEMM_SHAPES) {
    const gflops = benchGemm(kernels, shape, quick ? 0.05 : 0.4, quick ? 3 : 7);
    put(`${shape.key}_gflops`, round(gflops, 2), shape.why);
  }

  const tokens = PEER_TAGGER.batch * PEER_TAGGER.steps;
  const warmup = quick ? 1 : 3;
  const runs = quick ? 3 : 10;
  /** Training (and, for the tagger, inference) tokens/s of one model in one thread mode. */
  const measure = (model: EngineModel, suffix: string): void => {
    const train = medianSeconds(() => model.train(), warmup, runs);
    put(`${model.kind}_train_tokens_per_s_${suffix}`, Math.round(tokens / train), `${(train * 1000).toFixed(1)} ms/step`);
    if (model.kind === 'tagger') {
      const infer = medianSeconds(() => model.infer(), warmup, runs);
      put(`tagger_infer_tokens_per_s_${suffix}`, Math.round(tokens / infer), `${(infer * 1000).toFixed(2)} ms/step`);
    }
  };
  for (const kind of ENGINE_MODEL_KINDS) {
    const wasmMark = wasm.mark();
    const mark = kernels.mark();
    try {
      const expected = createEngineModel(wasm, kind, PEER_MODEL_SIZE, 0).lossAndGradients();
      const model = createEngineModel(kernels, kind, PEER_MODEL_SIZE, 0);
      const first = model.lossAndGradients();
      // OpenBLAS sums in another order: equal within float rounding, not bit for bit.
      if (Math.abs(first - expected) > 1e-4 * Math.abs(expected)) {
        out[`blas_${kind}_loss_mismatch`] = `${first} vs ${expected}`;
        log(`WARNING: ${kind} on ${kernels.name}: loss ${first} differs from wasm's ${expected}`);
      }
      model.params.zeroGrads();
      measure(model, '1thread');
    } finally {
      wasm.reset(wasmMark);
      kernels.reset(mark);
    }
    if (parallel.directions) {
      // The two LSTM directions on two threads, the worker multiplying with OpenBLAS too.
      const directionKernels = await createBlasKernels();
      const threads = await createDirectionThreads(directionKernels);
      try {
        measure(createEngineModel(directionKernels, kind, PEER_MODEL_SIZE, 0, threads.runner), '2thread');
      } finally {
        await threads.close();
      }
    }
    if (dataThreads > 1) {
      // Data-parallel on every core, each worker multiplying with OpenBLAS too (one OpenBLAS thread each).
      const parallelKernels = await createBlasKernels({ maximumPages: 65_536 });
      const model = await createDataParallelEngineModel(parallelKernels, kind, PEER_MODEL_SIZE, 0, dataThreads);
      try {
        measure(model, `${dataThreads}thread_data`);
      } finally {
        await model.close();
      }
    }
  }

  const mark = kernels.mark();
  try {
    const step = createTaggerStep(kernels, PEER_TAGGER, 0, 0.1);
    const train = medianSeconds(() => step.train(), warmup, runs);
    const infer = medianSeconds(() => step.infer(), warmup, runs);
    put('kernel_tagger_train_tokens_per_s_1thread', Math.round(tokens / train),
      `${(train * 1000).toFixed(1)} ms/step, ${(step.trainFlops / train / 1e9).toFixed(1)} GFLOP/s in products`);
    put('kernel_tagger_infer_tokens_per_s_1thread', Math.round(tokens / infer), `${(infer * 1000).toFixed(2)} ms/step`);
    out.blas_kernel_tagger_train_gflops_1thread = round(step.trainFlops / train / 1e9, 2);
  } finally {
    kernels.reset(mark);
  }
  out.blas_arena_peak_mb = round(kernels.peakBytes() / 2 ** 20, 1);
  log(`${pad('blas_arena_peak_mb', 40)} ${out.blas_arena_peak_mb}`);
}

/** JSON key suffix of a thread mode. */
function suffixOfMode(mode: string, cores: number): string {
  if (mode === 'data') return `${cores}thread_data`;
  return mode === '1' ? '1thread' : mode === '2' ? '2thread' : '2thread_gemm';
}

/** The figures compared with PyTorch (the peer's keys, without a thread suffix). */
const COMPARED = ['tagger_train_tokens_per_s', 'joint_train_tokens_per_s', 'pipeline_train_tokens_per_s', 'tagger_infer_tokens_per_s'];

/** best_<figure>: the highest value of a figure over thread modes and backends, and which key it came from. */
function bestFigures(out: Figures, log: (line: string) => void): void {
  for (const figure of COMPARED) {
    let best: [string, number] | undefined;
    for (const [key, value] of Object.entries(out)) {
      if (typeof value !== 'number' || !new RegExp(`^(blas_)?${figure}_\\d+thread`).test(key)) continue;
      if (!best || value > best[1]) best = [key, value];
    }
    if (!best) continue;
    out[`best_${figure}`] = best[1];
    out[`best_${figure}_from`] = best[0];
    log(`${pad(`best_${figure}`, 40)} ${best[1]}   (${best[0]})`);
  }
}

/**
 * Runs the PyTorch peer with 1 and with 2 threads right after our figures, keeps its faster setting per figure
 * (the issue's target: at least PyTorch's best), and prints the ratios of the bests.
 */
function comparePeer(out: Figures, log: (line: string) => void): void {
  const runs = [1, 2].map((threads) => ({ threads, peer: runTorchPeer(threads) }));
  for (const { threads, peer } of runs) {
    if (!peer.ok) {
      out[`peer_${threads}thread`] = peer.reason;
      log(`peer (${threads} thread): ${peer.reason}`);
      continue;
    }
    for (const [key, value] of Object.entries(peer.figures)) out[`torch_${threads}thread_${key}`] = value;
    log(`torch (${threads} thread): ${JSON.stringify(peer.figures)}`);
  }
  for (const figure of [...COMPARED, 'gemm_32x256x512_gflops']) {
    const theirs = runs.flatMap(({ threads, peer }) => {
      const value = peer.ok ? peer.figures[figure] : undefined;
      return typeof value === 'number' ? [{ threads, value }] : [];
    }).sort((x, y) => y.value - x.value)[0];
    if (!theirs) continue;
    out[`torch_best_${figure}`] = theirs.value;
    out[`torch_best_${figure}_threads`] = theirs.threads;
    const ours = figure.endsWith('gflops') ? Math.max(Number(out[figure]) || 0, Number(out[`blas_${figure}`]) || 0) : out[`best_${figure}`];
    if (typeof ours === 'number' && ours > 0) {
      out[`ratio_best_${figure}_vs_torch`] = round(ours / theirs.value, 3);
      log(`${pad(`ratio best ${figure} / torch best (${theirs.threads} thread)`, 72)} ${(ours / theirs.value).toFixed(3)}`);
    }
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

await main();
