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

  it('keeps groups (the sentences of one ADE article) on one side', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => ({ id: `${1000 + Math.floor(i / 4)}-${i % 4}` }));
    const groupOf = (id: string) => id.split('-')[0];
    const { train, dev } = splitDev(sentences, 0.1, 3, groupOf);
    expect(dev.length).toBe(4);
    const devGroups = new Set(dev.map((d) => groupOf(d.id)));
    expect(devGroups.size).toBe(1);
    expect(train.some((d) => devGroups.has(groupOf(d.id)))).toBe(false);
  });
});
