/**
 * A data-parallel training worker: its own instance of the WebAssembly kernels over the main thread's shared
 * memory, allocating only inside the region reserved for it; the same network over the very same weights
 * (attached, not copied) with gradient buffers of its own. For each request it zeroes its gradients and runs one
 * shard's forward and backward pass (shards.ts); the main thread then adds those gradients to its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateKernels, wrapKernelExports } from '../../engine/kernels/wasm.js';
import { ParameterStore } from '../../engine/params.js';
import type { PairExample } from '../examples.js';
import { ExtractionNetwork } from '../network.js';
import { epochPairs, runShard } from '../shards.js';
import type { ReadyMessage, ShardReply, ShardRequest, ShardWorkerData } from './protocol.js';

const data = workerData as ShardWorkerData;
const done = new Int32Array(data.done);

try {
  const exports = instantiateKernels(data.module, data.memory);
  const kernels = wrapKernelExports(exports, data.memory, 'wasm-simd-worker', data.module, data.region);
  const store = ParameterStore.attach(kernels, data.parameters, true);
  const network = new ExtractionNetwork(kernels, data.config, data.sizes, undefined, store);
  // The pairs of an epoch are a seeded sample: computed here, once per (phase, epoch), like the main thread does.
  let pairsKey = '';
  let pairs: PairExample[][] = [];

  data.port.on('message', (request: ShardRequest) => {
    let reply: ShardReply;
    try {
      const key = `${request.key.phase}/${request.key.epoch}`;
      if (key !== pairsKey) {
        pairs = epochPairs(data.documents, data.config, request.key.phase, request.key.epoch);
        pairsKey = key;
      }
      store.zeroGrads();
      const losses = runShard(network, data.documents, (doc) => pairs[doc], request.shard, request.totals, request.key);
      reply = { ok: true, losses, peakBytes: kernels.peakBytes() };
    } catch (error) {
      reply = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    // The reply is queued before the counter moves, so the main thread finds it once it sees the new count.
    data.port.postMessage(reply);
    Atomics.add(done, data.index, 1);
    Atomics.notify(done, data.index);
  });
  const ready: ReadyMessage = { ready: true, gradients: store.layout() };
  parentPort?.postMessage(ready);
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
