/**
 * Micro-batching: requests that arrive within a few milliseconds of each other are answered by ONE call of the
 * batch function. The network is much faster per sentence on a batch (one matrix product for all sentences
 * instead of one per request), and the batch function blocks the event loop while it runs, so concurrent
 * requests queue up behind it anyway; batching them turns that queue into throughput.
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
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private queuedWeight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> = Promise.resolve();
  private inFlight = 0;
  /** Number of batch-function calls so far (for tests and metrics). */
  batches = 0;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions<I>,
  ) {}

  /** Queues one item; resolves with its result once its batch has run. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.queuedWeight += this.weightOf(item);
      this.inFlight++;
      if (this.queue.length >= this.options.maxItems || this.queuedWeight >= this.maxWeight) this.flush();
      else if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  /** Items submitted and not yet answered. */
  get pending(): number {
    return this.inFlight;
  }

  private weightOf(item: I): number {
    return this.options.weight ? this.options.weight(item) : 0;
  }

  private get maxWeight(): number {
    return this.options.maxWeight ?? Infinity;
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
   * Schedules a batch after any batch still running (batches never overlap). The items are taken from the queue
   * when the batch STARTS, not now: requests that arrive while the previous batch runs join this one, which is
   * what makes batching pay off under load.
   */
  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    this.running = this.running.then(() => this.runNext());
  }

  private async runNext(): Promise<void> {
    const batch = this.takeBatch();
    if (batch.length === 0) return; // an earlier batch already took these items
    if (this.queue.length > 0) {
      // Leftovers that already fill a batch are scheduled at once; otherwise they wait for company.
      if (this.queue.length >= this.options.maxItems || this.queuedWeight >= this.maxWeight) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    }
    await this.execute(batch);
  }

  private async execute(batch: Pending<I, O>[]): Promise<void> {
    this.batches++;
    try {
      const results = await this.runBatch(batch.map((p) => p.item));
      if (results.length !== batch.length) {
        throw new Error(`batch function returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.inFlight -= batch.length;
    }
  }
}
