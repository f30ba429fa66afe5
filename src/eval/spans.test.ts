import { describe, expect, it } from 'vitest';
import { entitiesEqual, entityView } from './spans.js';
import { entity } from './test-helpers/docs.js';

describe('entityView', () => {
  it('takes the start of the first listed fragment and the end of the last listed one, as the script does', () => {
    expect(entityView(entity(['T1', 'Drug', '10 15;20 25;30 35']))).toMatchObject({ start: 10, end: 35 });
    // Fragments listed out of order: the script reads "20 25;10 15" as (20, 15); we keep that reading.
    const reversed = entityView(entity(['T1', 'Drug', '20 25;10 15']));
    expect(reversed).toMatchObject({ start: 20, end: 15, fragmentKey: '10-15,20-25' });
  });

  it('compares spans per mode', () => {
    const a = entityView(entity(['T1', 'Drug', '0 10']));
    const b = entityView(entity(['T2', 'Drug', '9 12']));
    const touching = entityView(entity(['T3', 'Drug', '10 12']));
    expect(entitiesEqual(a, b, 'lenient')).toBe(true); // share character 9
    expect(entitiesEqual(a, b, 'strict')).toBe(false);
    expect(entitiesEqual(a, touching, 'lenient')).toBe(false); // [0,10) and [10,12) share nothing
  });
});
