/**
 * The shard task of data-parallel training (loaded by engine/parallel/shard-worker.ts in each worker): the same
 * ExtractionNetwork as the main thread's, attached to its weights, with gradient buffers of its own. Each request
 * zeroes those gradients and runs one shard's forward and backward pass (models/shards.ts).
 */
import type { Kernels } from '../../engine/kernels/types.js';
import type { ShardTask } from '../../engine/parallel/shard-protocol.js';
import { ParameterStore, type ParameterLayout } from '../../engine/params.js';
import type { ModelConfig } from '../config.js';
import type { PairExample, TrainingDocument } from '../examples.js';
import { ExtractionNetwork, type NetworkSizes } from '../network.js';
import { epochPairs, runShard, type BatchKey, type BatchShard, type BatchTotals, type ShardLosses } from '../shards.js';

export interface NetworkTaskInit {
  config: ModelConfig;
  sizes: NetworkSizes;
  /** The main thread's parameters (values are shared; the worker makes gradient buffers of its own). */
  parameters: ParameterLayout[];
  /** Only what a shard reads (no document text). */
  documents: TrainingDocument[];
}

/** A document whose mentions (and so this epoch's pairs) changed since the worker was made. */
export interface DocumentPatch {
  index: number;
  mentions: TrainingDocument['mentions'];
  /** This epoch's pairs of the document (already sampled). */
  pairs: PairExample[];
}

export interface NetworkShardRequest {
  shard: BatchShard;
  totals: BatchTotals;
  key: BatchKey;
  patches: DocumentPatch[];
}

export function createShardTask(kernels: Kernels, init: NetworkTaskInit): ShardTask<NetworkShardRequest, ShardLosses> {
  const store = ParameterStore.attach(kernels, init.parameters, true);
  const network = new ExtractionNetwork(kernels, init.config, init.sizes, undefined, store);
  // An epoch's pairs are a seeded sample: computed here, once per (phase, epoch), as the main thread does.
  let pairsKey = '';
  let pairs: PairExample[][] = [];
  return {
    gradients: store.layout(),
    run({ shard, totals, key, patches }) {
      const epoch = `${key.phase}/${key.epoch}`;
      if (epoch !== pairsKey) {
        pairs = epochPairs(init.documents, init.config, key.phase, key.epoch);
        pairsKey = epoch;
      }
      store.zeroGrads();
      if (patches.length === 0) return runShard(network, init.documents, (doc) => pairs[doc], shard, totals, key);
      const documents = init.documents.slice();
      const patched = new Map<number, PairExample[]>();
      for (const p of patches) {
        documents[p.index] = { ...documents[p.index], mentions: p.mentions, pairs: p.pairs };
        patched.set(p.index, p.pairs);
      }
      return runShard(network, documents, (doc) => patched.get(doc) ?? pairs[doc], shard, totals, key);
    },
  };
}
