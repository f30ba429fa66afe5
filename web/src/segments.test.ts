import { describe, expect, it } from 'vitest';
import { segmentText } from './segments.js';

describe('segmentText', () => {
  it('cuts plain text around one entity', () => {
    // "take aspirin" with aspirin at [5, 12)
    expect(segmentText(12, [{ id: 'T1', spans: [{ start: 5, end: 12 }] }])).toEqual([
      { start: 0, end: 5, entities: [] },
      { start: 5, end: 12, entities: ['T1'] },
    ]);
  });

  it('puts the innermost of nested entities first', () => {
    const segments = segmentText(10, [
      { id: 'outer', spans: [{ start: 0, end: 10 }] },
      { id: 'inner', spans: [{ start: 3, end: 6 }] },
    ]);
    expect(segments).toEqual([
      { start: 0, end: 3, entities: ['outer'] },
      { start: 3, end: 6, entities: ['inner', 'outer'] },
      { start: 6, end: 10, entities: ['outer'] },
    ]);
  });

  it('highlights both pieces of a discontinuous entity and clips spans past the end', () => {
    expect(segmentText(8, [{ id: 'T1', spans: [{ start: 0, end: 2 }, { start: 6, end: 99 }] }])).toEqual([
      { start: 0, end: 2, entities: ['T1'] },
      { start: 2, end: 6, entities: [] },
      { start: 6, end: 8, entities: ['T1'] },
    ]);
  });

  it('gives one empty run for text without entities', () => {
    expect(segmentText(4, [])).toEqual([{ start: 0, end: 4, entities: [] }]);
  });
});
