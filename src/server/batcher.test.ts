import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './batcher.js';

/** A batcher that doubles numbers and records each batch it ran, and which batches overlapped in time. */
function doubler(windowMs: number, maxItems: number, delayMs = 0) {
  const batches: number[][] = [];
  let running = 0;
  let overlapped = false;
  const batcher = new MicroBatcher<number, number>(async (items) => {
    running++;
    if (running > 1) overlapped = true;
    batches.push(items);
    await new Promise((r) => setTimeout(r, delayMs));
    running--;
    return items.map((x) => x * 2);
  }, { windowMs, maxItems });
  return { batcher, batches, overlapped: () => overlapped };
}

describe('MicroBatcher', () => {
  it('groups items submitted within the window into one call', async () => {
    const { batcher, batches } = doubler(20, 100);
    const results = await Promise.all([1, 2, 3].map((x) => batcher.submit(x)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(batcher.batches).toBe(1);
    expect(batcher.pending).toBe(0);
  });

  it('never puts more than maxItems in a batch', async () => {
    const { batcher, batches } = doubler(20, 2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => batcher.submit(x)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('closes a batch when the weight budget is reached, and runs an overweight item alone', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      return items;
    }, { windowMs: 20, maxItems: 100, weight: (x) => x, maxWeight: 10 });
    await Promise.all([4, 5, 3, 12, 1].map((x) => batcher.submit(x)));
    // 4+5 = 9 fits, +3 = 12 would not; 3 alone then +12 would not; 12 is over budget and runs alone; then 1.
    expect(batches).toEqual([[4, 5], [3], [12], [1]]);
  });

  it('lets items that arrive while a batch runs join the next batch, even past the window', async () => {
    const { batcher, batches } = doubler(1, 100, 40);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const first = batcher.submit(1);
    await sleep(10); // batch [1] is running (for 40 ms)
    const later = [batcher.submit(2)];
    await sleep(8);
    later.push(batcher.submit(3));
    await sleep(8);
    later.push(batcher.submit(4));
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('runs batches one after another, never overlapping', async () => {
    const { batcher, batches, overlapped } = doubler(1, 2, 15);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((x) => batcher.submit(x)));
    expect(results).toEqual([2, 4, 6, 8, 10, 12]);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(overlapped()).toBe(false);
  });

  it('rejects every item of a failing batch and keeps working', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('boom');
      }
      return items;
    }, { windowMs: 10, maxItems: 10 });
    const first = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await batcher.submit(3)).toBe(3);
    expect(batcher.pending).toBe(0);
  });

  it('rejects when the batch function answers with the wrong number of results', async () => {
    const batcher = new MicroBatcher<number, number>(async () => [1], { windowMs: 5, maxItems: 10 });
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(results[0].status).toBe('rejected');
    expect(String((results[0] as PromiseRejectedResult).reason)).toContain('1 results for 2 items');
  });
});

describe('MicroBatcher with several slots and time limits', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs up to `concurrency` batches at once', async () => {
    let running = 0;
    let most = 0;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      running++;
      most = Math.max(most, running);
      await sleep(30);
      running--;
      return items;
    }, { windowMs: 1, maxItems: 1, concurrency: 3 });
    await Promise.all([1, 2, 3, 4, 5, 6].map((x) => batcher.submit(x)));
    expect(most).toBe(3);
  });

  it('rejects an item not answered in time, dropping it from the queue if it had not started', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      await sleep(items[0] === 1 ? 200 : 1);
      return items;
    }, { windowMs: 1, maxItems: 1 });
    const timeout = { ms: 50, error: () => new Error('too slow') };
    const slow = batcher.submit(1, timeout); // starts, runs 200 ms
    const queued = batcher.submit(2, timeout); // waits behind it, expires in the queue
    const settled = await Promise.allSettled([slow, queued]);
    expect(settled.map((r) => r.status === 'rejected' && String(r.reason))).toEqual(['Error: too slow', 'Error: too slow']);
    expect(batcher.pending).toBe(0);
    await sleep(200); // the slow batch still occupies its slot until it ends
    expect(await batcher.submit(3, timeout)).toBe(3);
    expect(batches).toEqual([[1], [3]]);
  });
});
