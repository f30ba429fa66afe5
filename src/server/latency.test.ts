import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatencies } from './latency.js';

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 * n)', () => {
    const values = [50, 10, 40, 20, 30]; // sorted: 10 20 30 40 50
    expect(percentile(values, 50)).toBe(30); // rank 3
    expect(percentile(values, 95)).toBe(50); // rank 5
    expect(percentile(values, 20)).toBe(10); // rank 1
    expect(percentile(values, 0)).toBe(10);
  });

  it('summarizes 100 latencies 1..100 ms', () => {
    const ms = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(ms)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});
