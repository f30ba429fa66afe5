import { describe, expect, it } from 'vitest';
import { center, formatFixed } from './pyformat.js';

describe('formatFixed (Python "{:.4f}")', () => {
  it('rounds exact binary ties to even, unlike toFixed', () => {
    // 1/32 = 0.03125 exactly: the digit before the tie is 2 (even) -> 0.0312. toFixed gives 0.0313.
    expect(formatFixed(1 / 32, 4)).toBe('0.0312');
    expect((1 / 32).toFixed(4)).toBe('0.0313');
    // 3/32 = 0.09375 exactly: 7 is odd -> rounds up to 0.0938.
    expect(formatFixed(3 / 32, 4)).toBe('0.0938');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
  });

  it('rounds non-ties to nearest using the exact binary value', () => {
    // 0.00005 is stored as 5.0000000000000002396e-5, just above the tie -> up.
    expect(formatFixed(0.00005, 4)).toBe('0.0001');
    expect(formatFixed(2 / 3, 4)).toBe('0.6667');
    expect(formatFixed(0.123449999, 4)).toBe('0.1234');
  });

  it('pads and keeps the integer part', () => {
    expect(formatFixed(0, 4)).toBe('0.0000');
    expect(formatFixed(1, 4)).toBe('1.0000');
    expect(formatFixed(12.5, 1)).toBe('12.5');
    expect(formatFixed(-0.25, 1)).toBe('-0.2');
  });
});

describe('center (Python "{:^N}")', () => {
  it('puts the odd padding character on the right', () => {
    expect(center('ab', 6, '*')).toBe('**ab**');
    expect(center('abc', 6, '*')).toBe('*abc**');
    expect(center(' TRACK 2 ', 70, '*')).toBe(`${'*'.repeat(30)} TRACK 2 ${'*'.repeat(31)}`);
    expect(center('too long', 3)).toBe('too long');
  });
});
