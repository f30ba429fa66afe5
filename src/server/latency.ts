/** Latency statistics for the load test. */

/** The p-th percentile (0-100) of `values` by the nearest-rank method (no interpolation). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarizeLatencies(milliseconds: readonly number[]): LatencySummary {
  return {
    count: milliseconds.length,
    p50: percentile(milliseconds, 50),
    p95: percentile(milliseconds, 95),
    p99: percentile(milliseconds, 99),
    max: milliseconds.length ? Math.max(...milliseconds) : NaN,
  };
}
