/**
 * An extraction worker thread: loads the model directory once, then answers batches of texts (see
 * worker-pool.ts). Runs from the compiled dist/server/extract-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel } from '../api/load.js';
import type { MedrexModel } from '../api/types.js';
import { MedrexError } from '../errors.js';
import type { BatchReply, BatchRequest, ExtractWorkerData, StartupMessage } from './extract-protocol.js';

const port = parentPort!;
const { modelDir } = workerData as ExtractWorkerData;

let model: MedrexModel;
try {
  model = await loadModel(modelDir);
} catch (err) {
  const failure: StartupMessage =
    err instanceof MedrexError
      ? { type: 'failed', message: err.message, file: err.file, line: err.line, rule: err.rule, userError: true }
      : { type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err), userError: false };
  port.postMessage(failure);
  process.exit(1);
}

port.on('message', (request: BatchRequest) => {
  model.extractBatch(request.texts).then(
    (results) => port.postMessage({ id: request.id, results } satisfies BatchReply),
    (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies BatchReply),
  );
});
port.postMessage({ type: 'ready' } satisfies StartupMessage);
