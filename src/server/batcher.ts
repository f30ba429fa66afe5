/**
 * Micro-batching: requests that arrive within a few milliseconds of each other are answered by ONE call of the
 * batch function. The network is much faster per sentence on a batch (one matrix product for all sentences
 * instead of one per request), and the model can run only so many batches at once (one per worker thread), so
 * concurrent requests queue up anyway; batching them turns that queue into throughput.
 *
 * Items can carry a time limit: one not answered in time is rejected (and dropped from the queue if it had not
 * started), so a client never waits without bound behind long texts.
 */

export interface MicroBatcherOptions<I = unknown> {
  /** How long the first item of a batch waits for company, in milliseconds. */
  windowMs: number;
  /** A batch never holds more items than this; a full batch runs at once. */
  maxItems: number;
  /**
   * Optional size budget: a batch closes once its items' summed `weight` reaches `maxWeight` (an item heavier
   * than the budget still runs, alone). The server weighs texts by length so one batch never holds 16 huge notes.
   */
  weight?: (item: I) => number;
  maxWeight?: number;
  /** Most batches running at the same time (default 1: batches never overlap); the server uses one per worker. */
  concurrency?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private queuedWeight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private active = 0;
  private inFlight = 0;
  /** Number of batch-function calls so far (for tests and metrics). */
  batches = 0;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions<I>,
  ) {}

  /**
   * Queues one item; resolves with its result once its batch has run. With `timeout`, the item is rejected with
   * `timeout.error()` if it is not answered within `timeout.ms` (its batch, if it started, still runs to its end).
   */
  submit(item: I, timeout?: { ms: number; error: () => unknown }): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const pending: Pending<I, O> = { item, resolve, reject, settled: false, timer: null };
      this.queue.push(pending);
      this.queuedWeight += this.weightOf(item);
      this.inFlight++;
      if (timeout) pending.timer = setTimeout(() => this.expire(pending, timeout.error()), timeout.ms);
      this.pump(false);
    });
  }

  /** Items submitted and not yet answered. */
  get pending(): number {
    return this.inFlight;
  }

  /** Items waiting for a batch to start. */
  get queued(): number {
    return this.queue.length;
  }

  /** Batches running now. */
  get running(): number {
    return this.active;
  }

  private weightOf(item: I): number {
    return this.options.weight ? this.options.weight(item) : 0;
  }

  private get maxWeight(): number {
    return this.options.maxWeight ?? Infinity;
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 1;
  }

  private settle(p: Pending<I, O>): boolean {
    if (p.settled) return false;
    p.settled = true;
    if (p.timer !== null) clearTimeout(p.timer);
    this.inFlight--;
    return true;
  }

  private expire(p: Pending<I, O>, err: unknown): void {
    const at = this.queue.indexOf(p);
    if (at >= 0) {
      this.queue.splice(at, 1);
      this.queuedWeight -= this.weightOf(p.item);
    }
    if (this.settle(p)) p.reject(err);
  }

  /** The longest prefix of the queue that fits the item and weight budgets (at least one item). */
  private takeBatch(): Pending<I, O>[] {
    let count = 0;
    let weight = 0;
    while (count < this.queue.length && count < this.options.maxItems) {
      const w = this.weightOf(this.queue[count].item);
      if (count > 0 && weight + w > this.maxWeight) break;
      weight += w;
      count++;
    }
    this.queuedWeight -= weight;
    return this.queue.splice(0, count);
  }

  /**
   * Starts batches while a slot is free. A batch that is not yet full waits `windowMs` for company (`force` skips
   * the wait: the window has passed, or the items already waited for a busy model). Items are taken from the
   * queue when a batch STARTS: requests that arrive while the model is busy join the next batch, which is what
   * makes batching pay off under load.
   */
  private pump(force: boolean): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const full = this.queue.length >= this.options.maxItems || this.queuedWeight >= this.maxWeight;
      if (!full && !force) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.pump(true);
        }, this.options.windowMs);
        return;
      }
      const batch = this.takeBatch();
      this.active++;
      void this.execute(batch).finally(() => {
        this.active--;
        this.pump(true);
      });
    }
    if (this.queue.length === 0 && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private async execute(batch: Pending<I, O>[]): Promise<void> {
    this.batches++;
    try {
      const results = await this.runBatch(batch.map((p) => p.item));
      if (results.length !== batch.length) {
        throw new Error(`batch function returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((p, i) => {
        if (this.settle(p)) p.resolve(results[i]);
      });
    } catch (err) {
      for (const p of batch) if (this.settle(p)) p.reject(err);
    }
  }
}
