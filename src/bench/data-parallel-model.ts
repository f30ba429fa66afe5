/**
 * An engine model trained data-parallel on `threads` threads (the way `medrex train --threads N` trains): the
 * batch's sentences are cut into one contiguous shard per thread, shard 0 runs here and the others on workers
 * over the same shared memory, the workers' gradients are added in order, and one Adam step follows.
 * Inference is split the same way. The first loss equals the one-thread model's up to float rounding.
 */
import type { WasmKernels } from '../engine/kernels/wasm.js';
import { Adam } from '../engine/optim.js';
import { createShardPool } from '../engine/parallel/shard-pool.js';
import { createEngineModel, type EngineModel, type EngineModelKind, type EngineModelSize } from './engine-models.js';
import type { EngineModelRequest, EngineModelTaskInit } from './engine-model-task.js';

export interface DataParallelEngineModel extends EngineModel {
  /** Each worker's kernels, as it reported them. */
  readonly workerKernels: readonly string[];
  close(): Promise<void>;
}

export async function createDataParallelEngineModel(
  kernels: WasmKernels, kind: EngineModelKind, size: EngineModelSize, seed: number, threads: number,
): Promise<DataParallelEngineModel> {
  const cut = (i: number): number => Math.round((i * size.batch) / threads);
  const rowsOf = (i: number): [number, number] => [cut(i), cut(i + 1)];
  // The full model creates the weights; the local shard model runs on the same ones (attached).
  const owner = createEngineModel(kernels, kind, size, seed);
  const local = createEngineModel(kernels, kind, size, seed, undefined, { params: owner.params, rows: rowsOf(0) });
  const adam = new Adam(kernels, owner.params.list(), { lr: 1e-3 });
  const init: EngineModelTaskInit = { kind, size, seed, parameters: owner.params.layout() };
  const pool = await createShardPool<EngineModelTaskInit, EngineModelRequest, number>(kernels, threads, {
    taskUrl: new URL('./engine-model-task.js', import.meta.url),
    init,
  });
  const requests = (op: EngineModelRequest['op']): EngineModelRequest[] =>
    Array.from({ length: threads - 1 }, (_, i) => ({ op, rows: rowsOf(i + 1) }));

  const lossAndGradients = (): number => {
    const { local: first, results } = pool.run(requests('gradients'), () => local.lossAndGradients());
    pool.addGradients(owner.params.list(), threads - 1);
    return results.reduce((sum, part) => sum + part, first);
  };
  return {
    kind,
    workerKernels: pool.workerKernels,
    params: owner.params,
    lossAndGradients,
    train() {
      const loss = lossAndGradients();
      adam.step();
      owner.params.zeroGrads();
      return loss;
    },
    infer() {
      const { local: first } = pool.run(requests('infer'), () => local.infer());
      return first;
    },
    close: () => pool.close(),
  };
}
