/**
 * Data-parallel training of an ExtractionNetwork: one shard of each batch per thread, shard 0 on the calling
 * thread and the others on workers (engine/parallel/shard-pool.ts running network-task.ts).
 */
import { createShardPool, type ShardPool } from '../../engine/parallel/shard-pool.js';
import type { Parameter } from '../../engine/params.js';
import type { TrainingDocument } from '../examples.js';
import type { ExtractionNetwork } from '../network.js';
import type { BatchKey, BatchShard, BatchTotals, ShardLosses } from '../shards.js';
import type { PairExample } from '../examples.js';
import type { DocumentPatch, NetworkShardRequest, NetworkTaskInit } from './network-task.js';

export interface TrainingPool {
  readonly threads: number;
  /** Each worker's kernels, as it reported them. */
  readonly workerKernels: readonly string[];
  /**
   * Runs shards[1..] on the workers and `local()` (shard 0) here; every shard's losses, in shard order. `epoch`
   * (optional) gives this epoch's documents and pairs: a document that is not the object the pool was made with
   * (entities the tagger added, ../predicted-entities.ts) goes to the workers with the shards that read it.
   */
  run(
    shards: readonly BatchShard[], totals: BatchTotals, key: BatchKey, local: () => ShardLosses,
    epoch?: { documents: readonly TrainingDocument[]; pairsOf: (doc: number) => readonly PairExample[] },
  ): ShardLosses[];
  /** grad += the workers' gradients of shards 1..shards-1, in shard order. */
  addGradients(parameters: readonly Parameter[], shards: number): void;
  close(): Promise<void>;
}

export async function createTrainingPool(
  network: ExtractionNetwork, documents: readonly TrainingDocument[], threads: number,
): Promise<TrainingPool> {
  const init: NetworkTaskInit = {
    config: network.config,
    sizes: network.sizes,
    parameters: network.params.layout(),
    documents: documents.map((d) => ({ sentences: d.sentences, tags: d.tags, mentions: d.mentions, pairs: d.pairs })),
  };
  const pool: ShardPool<NetworkShardRequest, ShardLosses> = await createShardPool(network.kernels, threads, {
    taskUrl: new URL('./network-task.js', import.meta.url),
    init,
  });
  return {
    threads,
    workerKernels: pool.workerKernels,
    run(shards, totals, key, local, epoch) {
      const patchesOf = (shard: BatchShard): DocumentPatch[] => {
        if (!epoch) return [];
        const changed = new Set(shard.segments.map((seg) => seg.doc).filter((doc) => epoch.documents[doc] !== documents[doc]));
        return [...changed].map((index) => ({ index, mentions: epoch.documents[index].mentions, pairs: [...epoch.pairsOf(index)] }));
      };
      const requests = shards.slice(1).map((shard) => ({ shard, totals, key, patches: patchesOf(shard) }));
      const { local: first, results } = pool.run(requests, local);
      return [first, ...results];
    },
    addGradients: (parameters, shards) => pool.addGradients(parameters, shards - 1),
    close: () => pool.close(),
  };
}
