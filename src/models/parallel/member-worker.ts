/**
 * The entry of an ensemble member's training thread (./member-threads.ts): one single-network `train` on kernels of
 * its own, epoch records sent as they come, the weights sent at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { defaultKernels } from '../../engine/kernels/load.js';
import { MedrexError } from '../../errors.js';
import { train } from '../train.js';
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
  const weights = model.network.params.list().map((p): [string, number[], Float32Array] => [p.name, [...p.shape], model.network.params.values(p).slice()]);
  post(
    { kind: 'done', weights, history, bestEpochs: model.training?.bestEpochs ?? {}, peakBytes: kernels.peakBytes(), resumed },
    weights.map(([, , values]) => values.buffer as ArrayBuffer),
  );
} catch (error) {
  const medrex = error instanceof MedrexError ? { file: error.file, line: error.line, rule: error.rule, hint: error.hint } : null;
  post({ kind: 'error', message: error instanceof Error ? (medrex ? error.message : (error.stack ?? error.message)) : String(error), medrex });
}
