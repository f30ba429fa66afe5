/** Wall-clock timing helpers for the benchmark. */

/** Median seconds of `runs` calls of `body` after `warmup` untimed calls. */
export function medianSeconds(body: () => void, warmup: number, runs: number): number {
  for (let i = 0; i < warmup; i++) body();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** How many repetitions of a `flops`-sized call make about `targetSeconds` at an assumed 20 GFLOP/s. */
export function repetitionsFor(flops: number, targetSeconds: number): number {
  return Math.max(1, Math.round((targetSeconds * 20e9) / flops));
}
