/**
 * The entry of an ensemble member's training thread (./member-threads.ts): one single-network `train` on kernels of
 * its own, epoch records sent as they come, the weights sent at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { defaultKernels } from '../../engine/kernels/load.js';
import { MedrexError } from '../../errors.js';
import { train } from '../train.js';
import { weightsOf } from '../weights.js';
import type { MemberMessage, MemberWorkerData } from './member-threads.js';

const data = workerData as MemberWorkerData;
const post = (message: MemberMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(message, transfer);

try {
  const kernels = await defaultKernels(1, data.backend);
  const { model, history, resumed } = await train(data.documents, data.config, {
    kernels,
    devDocuments: data.devDocuments,
    outDir: data.outDir ?? undefined,
    restart: data.restart,
    progress: false,
    onEpoch: (record) => post({ kind: 'epoch', record }),
  });
  // weightsOf copies out of the arena, so the copies' buffers can be handed over rather than cloned.
  const weights = weightsOf(model.network.params);
  post(
    { kind: 'done', weights, history, bestEpochs: model.training?.bestEpochs ?? {}, peakBytes: kernels.peakBytes(), resumed },
    [...weights.values()].map((t) => t.data.buffer as ArrayBuffer),
  );
} catch (error) {
  const medrex = error instanceof MedrexError ? { file: error.file, line: error.line, rule: error.rule, hint: error.hint } : null;
  post({ kind: 'error', message: error instanceof Error ? (medrex ? error.message : (error.stack ?? error.message)) : String(error), medrex });
}
