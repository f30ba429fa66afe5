import { describe, expect, it } from 'vitest';
import { splitDev } from './split.js';

describe('dev split', () => {
  const docs = Array.from({ length: 20 }, (_, i) => ({ id: `d${i}` }));

  it('holds out a seeded, rounded share of whole documents, keeping corpus order', () => {
    const a = splitDev(docs, 0.1, 7);
    expect(a.dev.length).toBe(2);
    expect(a.train.length).toBe(18);
    expect(splitDev(docs, 0.1, 7)).toEqual(a);
    const ids = a.train.map((d) => Number(d.id.slice(1)));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set([...a.train, ...a.dev].map((d) => d.id)).size).toBe(20);
  });

  it('keeps at least one document on each side when it can', () => {
    expect(splitDev(docs.slice(0, 3), 0.01, 1).dev.length).toBe(1);
    expect(splitDev(docs.slice(0, 1), 0.5, 1).dev.length).toBe(0);
    expect(splitDev(docs, 0, 1).dev.length).toBe(0);
    expect(() => splitDev(docs, 1, 1)).toThrow(/dev fraction/);
  });
});
