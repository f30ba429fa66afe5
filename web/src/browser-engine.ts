/**
 * The page's handle on the in-browser engine worker: promise-based load and extract.
 */
import type { Extraction, ModelCard } from '../../src/api/types.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

type Pending = { resolve: (r: WorkerResponse) => void; reject: (err: Error) => void };

/** Distributes WorkerRequest without its id (TypeScript's Omit does not distribute over unions). */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export class BrowserEngine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  card: ModelCard | null = null;
  kernels = '';

  constructor(workerUrl: URL) {
    this.worker = new Worker(workerUrl, { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const p = this.pending.get(event.data.id);
      this.pending.delete(event.data.id);
      p?.resolve(event.data);
    };
    // A worker that fails to load or crashes would otherwise leave every caller waiting forever.
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const err = new Error(`the in-browser engine failed: ${event.message || 'worker could not start'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private call(request: RequestBody, transfer: Transferable[] = []): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  /** Builds the model in the worker from its two files. */
  async load(cardText: string, weights: ArrayBuffer, names = { card: 'model.json', weights: 'model.safetensors' }): Promise<ModelCard> {
    const response = await this.call(
      { kind: 'load', cardText, weights, cardName: names.card, weightsName: names.weights },
      [weights],
    );
    if (!response.ok) throw new Error(response.error);
    if (!('card' in response)) throw new Error('unexpected answer from the engine worker');
    this.card = response.card;
    this.kernels = response.kernels;
    return response.card;
  }

  async extract(text: string): Promise<{ extraction: Extraction; milliseconds: number }> {
    const response = await this.call({ kind: 'extract', text });
    if (!response.ok) throw new Error(response.error);
    if (!('extraction' in response)) throw new Error('unexpected answer from the engine worker');
    return { extraction: response.extraction, milliseconds: response.milliseconds };
  }
}
