/**
 * The in-browser engine: a Web Worker that builds the model from its files with the same code as Node
 * (`modelFromFiles`), on the WebAssembly SIMD kernels fetched from beside this script, and answers extraction
 * requests. Nothing here talks to the network except fetching the kernels, so the text never leaves the page.
 */
/// <reference lib="webworker" />
import { modelFromFiles } from '../../src/api/from-files.js';
import type { MedrexModel } from '../../src/api/types.js';
import { createWasmKernels } from '../../src/engine/kernels/wasm.js';
import type { Kernels } from '../../src/engine/kernels/types.js';
import { MedrexError } from '../../src/errors.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

let kernels: Promise<Kernels> | null = null;
let model: MedrexModel | null = null;

function loadKernels(): Promise<Kernels> {
  kernels ??= createWasmKernels({
    source: new URL('kernels.wasm', self.location.href),
    relaxedSource: new URL('kernels-relaxed.wasm', self.location.href),
  });
  return kernels;
}

function describe(err: unknown): string {
  if (err instanceof MedrexError) return err.describe();
  return err instanceof Error ? err.message : String(err);
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  if (request.kind === 'load') {
    const k = await loadKernels();
    model = modelFromFiles(k, {
      cardText: request.cardText,
      weights: new Uint8Array(request.weights),
      cardName: request.cardName,
      weightsName: request.weightsName,
    });
    return { id: request.id, ok: true, card: model.card, kernels: k.name };
  }
  if (!model) throw new Error('no model loaded in the browser yet');
  const started = performance.now();
  const extraction = await model.extract(request.text);
  return { id: request.id, ok: true, extraction, milliseconds: performance.now() - started };
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  handle(event.data).then(
    (response) => self.postMessage(response),
    (err: unknown) => self.postMessage({ id: event.data.id, ok: false, error: describe(err) } satisfies WorkerResponse),
  );
};
