import { describe, expect, it } from 'vitest';
import { arcLabelPoint, arcPath, assignArcLevels, spreadEnds } from './arcs.js';

describe('assignArcLevels', () => {
  it('keeps disjoint arcs on level 1', () => {
    expect(assignArcLevels([{ x1: 0, x2: 10 }, { x1: 20, x2: 30 }])).toEqual([1, 1]);
  });

  it('stacks an arc above the shorter arcs it spans', () => {
    // The long arc [0, 50] covers both short ones; the two short ones do not overlap each other.
    expect(assignArcLevels([{ x1: 50, x2: 0 }, { x1: 0, x2: 10 }, { x1: 30, x2: 40 }])).toEqual([2, 1, 1]);
  });

  it('separates arcs that share an end', () => {
    expect(assignArcLevels([{ x1: 0, x2: 10 }, { x1: 10, x2: 25 }])).toEqual([1, 2]);
  });

  it('builds a staircase of three nested arcs', () => {
    expect(assignArcLevels([{ x1: 0, x2: 100 }, { x1: 10, x2: 90 }, { x1: 20, x2: 80 }])).toEqual([3, 2, 1]);
  });
});

describe('arcPath', () => {
  it('rises the given height above the higher end', () => {
    expect(arcPath(10, 100, 50, 100, 20)).toBe('M 10 100 C 10 80 50 80 50 100');
    expect(arcPath(10, 100, 50, 140, 20)).toBe('M 10 100 C 10 80 50 80 50 140');
  });

  it('labels the arc at its apex', () => {
    // y = (100 + 6 * 80 + 100) / 8 = 85
    expect(arcLabelPoint(10, 100, 50, 100, 20)).toEqual({ x: 30, y: 85 });
  });
});

describe('spreadEnds', () => {
  it('puts one end on the centre of the box', () => {
    expect(spreadEnds(10, 30, [500])).toEqual([25]);
  });

  it('puts arcs going left on the left and arcs going right on the right', () => {
    // Box [0, 30): slots at 10 and 20. The arc to x=-50 takes 10, the arc to x=100 takes 20.
    expect(spreadEnds(0, 30, [100, -50])).toEqual([20, 10]);
  });

  it('nests arcs on each side: the farther arc takes the outer slot', () => {
    // Box [0, 50): slots 10, 20, 30, 40. Left side: -50 (near) 10, -100 (far) 20.
    // Right side: 200 (far) 30, 100 (near) 40.
    expect(spreadEnds(0, 50, [100, 200, -100, -50])).toEqual([40, 30, 20, 10]);
  });
});
