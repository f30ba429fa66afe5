#!/usr/bin/env node
/**
 * Engine benchmark: `node dist/bench/main.js [--json] [--quick] [--threads 1,2,2gemm] [--peer]`.
 * Prints GEMM GFLOP/s at the model shapes, the kernel-level BiLSTM-CRF tagger's training and inference
 * tokens/s (batch 32 x 40, vocab 20000, embedding 100, hidden 128 per direction, 19 tags) and peak memory.
 * `--peer` also runs the PyTorch peer right after, on the same machine, and prints the ratios.
 * Thread modes: `1`; `2` = the two LSTM directions on two threads; `2gemm` = large products split in halves
 * between two threads (createWasmKernels({ threads: 2 })). Two threads only help when a second core is idle.
 */
import { Command } from 'commander';
import { createWasmKernels } from '../engine/kernels/wasm.js';
import { benchGemm, MODEL_GEMM_SHAPES } from './gemm-bench.js';
import { runTorchPeer } from './peer.js';
import { createTaggerStep, PEER_TAGGER } from './tagger-step.js';
import { medianSeconds } from './timing.js';
import { createThreadedRunner } from './threaded-runner.js';

type Figures = Record<string, number | string>;

async function main(): Promise<void> {
  const program = new Command('medrex-bench')
    .option('--json', 'print one JSON object')
    .option('--quick', 'fewer repetitions (for smoke tests)')
    .option('--threads <modes>', 'tagger thread modes: 1, 2 (one LSTM direction each), 2gemm (split products)', '1,2,2gemm')
    .option('--peer', 'also run the PyTorch peer (/work/shared/peers/torch_bench.py) and print ratios')
    .parse();
  const opts = program.opts<{ json?: boolean; quick?: boolean; threads: string; peer?: boolean }>();
  const modes = opts.threads.split(',').map((m) => m.trim());
  for (const mode of modes) {
    if (!['1', '2', '2gemm'].includes(mode)) program.error(`--threads: unknown mode "${mode}" (expected 1, 2 or 2gemm)`);
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
  const firstLosses = new Map<string, number>();
  for (const mode of modes) {
    const suffix = mode === '1' ? '1thread' : mode === '2' ? '2thread' : '2thread_gemm';
    const k = mode === '2gemm' ? await createWasmKernels({ threads: 2 }) : kernels;
    const mark = k.mark();
    const pool = mode === '2' ? await createThreadedRunner(k, 2) : undefined;
    try {
      const step = createTaggerStep(k, PEER_TAGGER, 0, 0.1, pool ? (shape) => pool.runner(shape) : undefined);
      // Same seed, same operations per direction: every mode must give the same first loss (up to the
      // summation order of split products).
      firstLosses.set(mode, step.lossAndGradients());
      const reference = firstLosses.get(modes[0])!;
      if (Math.abs(firstLosses.get(mode)! - reference) > 1e-4 * Math.abs(reference)) {
        out[`tagger_loss_mismatch_${suffix}`] = `${firstLosses.get(mode)} vs ${reference}`;
        log(`WARNING: mode ${mode} loss ${firstLosses.get(mode)} differs from ${reference}`);
      }
      const train = medianSeconds(() => step.train(), warmup, runs);
      const infer = medianSeconds(() => step.infer(), warmup, runs);
      out[`tagger_train_tokens_per_s_${suffix}`] = Math.round(tokens / train);
      out[`tagger_infer_tokens_per_s_${suffix}`] = Math.round(tokens / infer);
      out[`tagger_train_gflops_${suffix}`] = round(step.trainFlops / train / 1e9, 2);
      log(`${pad(`tagger_train_tokens_per_s_${suffix}`, 40)} ${Math.round(tokens / train)}   ` +
        `(${(train * 1000).toFixed(1)} ms/step, ${(step.trainFlops / train / 1e9).toFixed(1)} GFLOP/s in products)`);
      log(`${pad(`tagger_infer_tokens_per_s_${suffix}`, 40)} ${Math.round(tokens / infer)}   ` +
        `(${(infer * 1000).toFixed(2)} ms/step)`);
    } finally {
      await pool?.close();
      k.reset(mark);
      if (k !== kernels) await k.close();
    }
  }
  out.tagger_impl = 'kernel-level (bench/tagger-step.ts, no autograd)';
  out.arena_peak_mb = round(kernels.peakBytes() / 2 ** 20, 1);
  out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  log(`${pad('arena_peak_mb', 40)} ${out.arena_peak_mb}`);
  log(`${pad('peak_rss_mb', 40)} ${out.peak_rss_mb}`);

  if (opts.peer) {
    const peer = runTorchPeer(1);
    if (!peer.ok) {
      out.peer = peer.reason;
      log(`peer: ${peer.reason}`);
    } else {
      for (const [key, value] of Object.entries(peer.figures)) out[`torch_${key}`] = value;
      const ratio = (ours: string, theirs: string): void => {
        const a = out[ours], b = peer.figures[theirs];
        if (typeof a === 'number' && typeof b === 'number' && b > 0) {
          out[`ratio_${ours}_vs_torch`] = round(a / b, 3);
          log(`${pad(`ratio ${ours} / torch ${theirs}`, 72)} ${(a / b).toFixed(3)}`);
        }
      };
      log(`torch (1 thread): ${JSON.stringify(peer.figures)}`);
      for (const suffix of ['1thread', '2thread', '2thread_gemm']) {
        ratio(`tagger_train_tokens_per_s_${suffix}`, 'tagger_train_tokens_per_s');
        ratio(`tagger_infer_tokens_per_s_${suffix}`, 'tagger_infer_tokens_per_s');
      }
      ratio('gemm_32x256x512_gflops', 'gemm_32x256x512_gflops');
    }
  }
  if (opts.json) console.log(JSON.stringify(out));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

await main();
