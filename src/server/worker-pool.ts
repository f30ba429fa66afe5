/**
 * Extraction off the event loop: N worker threads, each with its own copy of the model, each running one batch
 * at a time. The main thread only parses HTTP and moves texts and results, so `/health` and small requests are
 * answered while long notes are analysed. A batch that runs past its time limit has its worker terminated (the
 * only way to stop synchronous compute) and replaced; so is a worker that crashes or runs out of memory.
 *
 * The pool is a `MedrexModel` (card + extractBatch), so the server does not care where the model runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { checkCardVersion, parseCardText, summarizeCard } from '../api/card.js';
import type { Extraction, MedrexModel, ModelCard } from '../api/types.js';
import { MedrexError } from '../errors.js';
import { CARD_FILE } from '../models/model.js';
import type { BatchReply, ExtractWorkerData, StartupMessage } from './extract-protocol.js';
import { extractTimeout } from './http-error.js';

export interface WorkerPoolOptions {
  modelDir: string;
  /** Number of worker threads (at least 1). */
  workers: number;
  /** A batch running longer than this is stopped (its worker replaced), in ms. */
  batchTimeoutMs: number;
  /** V8 heap limits of each worker (the model's WebAssembly memory is outside them). */
  resourceLimits?: ResourceLimits;
}

/** Each worker's JavaScript heap: texts, tokens and predictions of one batch; the weights live in WebAssembly memory. */
export const DEFAULT_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 32 };

/**
 * The compiled worker entry: next to this file when running from dist/, else dist/server/ of the package (tests run
 * the TypeScript sources, whose .js siblings do not exist; src/server and dist/server are both two levels down).
 */
function workerUrl(): URL {
  const here = new URL('./extract-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/server/extract-worker.js', import.meta.url);
}

interface Running {
  id: number;
  resolve: (results: Extraction[]) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

class Slot {
  worker!: Worker;
  ready!: Promise<void>;
  running: Running | null = null;
  /** Set from the moment a batch is given to this slot (it may still be waiting for its worker to load). */
  busy = false;
  /** The worker loaded its model; one that failed to start is not respawned until the next batch asks for it. */
  private loaded = false;
  private broken = false;
  private nextId = 1;

  constructor(private readonly pool: WorkerPool) {
    this.spawn();
  }

  spawn(): void {
    const { modelDir, resourceLimits } = this.pool.options;
    const worker = new Worker(workerUrl(), {
      workerData: { modelDir } satisfies ExtractWorkerData,
      resourceLimits: resourceLimits ?? DEFAULT_WORKER_LIMITS,
    });
    this.worker = worker;
    this.loaded = false;
    this.broken = false;
    this.ready = new Promise<void>((resolve, reject) => {
      const onStartup = (message: StartupMessage): void => {
        if (message.type === 'ready') {
          worker.on('message', (reply: BatchReply) => this.onReply(reply));
          this.loaded = true;
          resolve();
          return;
        }
        reject(
          message.userError
            ? new MedrexError(message.message, { file: message.file, line: message.line, rule: message.rule })
            : new Error(`extraction worker failed to start: ${message.message}`),
        );
      };
      worker.once('message', onStartup);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`extraction worker exited with code ${code} while starting`)));
    });
    this.ready.catch(() => {}); // observed by start() and run(); never an unhandled rejection
    worker.on('error', (err) => this.fail(new Error(`extraction worker failed: ${err.message}`), worker));
    worker.on('exit', (code) => this.fail(new Error(`extraction worker exited (code ${code})`), worker));
  }

  /** The current batch fails with `err`; a worker that died or was stopped is replaced. */
  private fail(err: Error, worker: Worker): void {
    if (worker !== this.worker) return; // an old worker's late event
    const running = this.running;
    this.running = null;
    if (running) {
      clearTimeout(running.timer);
      running.reject(err);
    }
    if (this.pool.closed) return;
    // A worker that had loaded the model is replaced at once; one that could not load it is not (that would loop
    // for ever on, say, a deleted model folder): the next batch tries again.
    if (this.loaded) this.spawn();
    else this.broken = true;
  }

  private onReply(reply: BatchReply): void {
    const running = this.running;
    if (!running || running.id !== reply.id) return;
    this.running = null;
    clearTimeout(running.timer);
    if ('results' in reply) running.resolve(reply.results);
    else running.reject(new Error(`extraction failed in a worker: ${reply.error}`));
  }

  async run(texts: string[]): Promise<Extraction[]> {
    this.busy = true;
    try {
      if (this.broken) this.spawn();
      await this.ready;
      return await this.post(texts);
    } finally {
      this.busy = false;
    }
  }

  private post(texts: string[]): Promise<Extraction[]> {
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise<Extraction[]>((resolve, reject) => {
      const seconds = this.pool.options.batchTimeoutMs / 1000;
      const timer = setTimeout(() => {
        if (this.running?.id !== id) return;
        this.running = null;
        reject(extractTimeout(seconds));
        // terminate() makes the worker exit; fail() ignores it (running is cleared) and spawns a replacement.
        void worker.terminate();
      }, this.pool.options.batchTimeoutMs);
      this.running = { id, resolve, reject, timer };
      worker.postMessage({ id, texts });
    });
  }
}

export class WorkerPool implements MedrexModel {
  private readonly slots: Slot[] = [];
  closed = false;

  private constructor(
    readonly options: WorkerPoolOptions,
    readonly card: ModelCard,
  ) {}

  /** Starts the workers and waits until every one has loaded the model (or throws why one could not). */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`workers must be a positive integer, got ${options.workers}`);
    const cardPath = join(options.modelDir, CARD_FILE);
    // Load errors (missing files, bad card, NaN weights, ...) come from the workers' loadModel, with its messages;
    // the main thread reads only the card it serves at /model.
    const pool = new WorkerPool(options, { format: '', formatVersion: 0, medrexVersion: '', config: {}, labels: { entityTypes: [], relationTypes: [] }, vocabulary: { words: 0, chars: 0 }, parameters: 0, training: null });
    for (let i = 0; i < options.workers; i++) pool.slots.push(new Slot(pool));
    try {
      await Promise.all(pool.slots.map((s) => s.ready));
    } catch (err) {
      await pool.close();
      throw err;
    }
    const raw = parseCardText(readFileSync(cardPath, 'utf8'), cardPath);
    checkCardVersion(raw, cardPath);
    Object.assign(pool.card, summarizeCard(raw));
    return pool;
  }

  /** Runs one batch on an idle worker (the batcher never runs more batches at once than there are workers). */
  extractBatch(texts: readonly string[]): Promise<Extraction[]> {
    const slot = this.slots.find((s) => !s.busy);
    if (!slot) return Promise.reject(new Error('no idle extraction worker'));
    return slot.run([...texts]);
  }

  async extract(text: string): Promise<Extraction> {
    return (await this.extractBatch([text]))[0];
  }

  get size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
