/**
 * The shard task for the benchmark's engine models (loaded by engine/parallel/shard-worker.ts): the same model as
 * the main thread's, attached to its weights, run on the sentences a request names.
 */
import type { Kernels } from '../engine/kernels/types.js';
import type { ShardTask } from '../engine/parallel/shard-protocol.js';
import { ParameterStore, type ParameterLayout } from '../engine/params.js';
import { createEngineModel, type EngineModel, type EngineModelKind, type EngineModelSize } from './engine-models.js';

export interface EngineModelTaskInit {
  kind: EngineModelKind;
  size: EngineModelSize;
  seed: number;
  parameters: ParameterLayout[];
}

export interface EngineModelRequest {
  op: 'gradients' | 'infer';
  rows: [number, number];
}

export function createShardTask(kernels: Kernels, init: EngineModelTaskInit): ShardTask<EngineModelRequest, number> {
  const store = ParameterStore.attach(kernels, init.parameters, true);
  const models = new Map<string, EngineModel>();
  const modelFor = (rows: [number, number]): EngineModel => {
    const key = rows.join(':');
    let model = models.get(key);
    if (!model) {
      model = createEngineModel(kernels, init.kind, init.size, init.seed, undefined, { params: store, rows });
      models.set(key, model);
    }
    return model;
  };
  return {
    gradients: store.layout(),
    run({ op, rows }) {
      const model = modelFor(rows);
      if (op === 'infer') return model.infer().length;
      store.zeroGrads();
      return model.lossAndGradients();
    },
  };
}
