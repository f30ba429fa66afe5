import { describe, expect, it } from 'vitest';
import { colorOf, typeColors } from './colors.js';

describe('typeColors', () => {
  it('gives distinct colours in the order of the types, whatever their names', () => {
    const colors = typeColors(['Zeta', 'Alpha', 'Zeta', 'Mu']);
    expect([...colors.keys()]).toEqual(['Zeta', 'Alpha', 'Mu']);
    expect(new Set(colors.values()).size).toBe(3);
  });

  it('colours types beyond the palette and unknown types stably by name', () => {
    const many = typeColors(Array.from({ length: 20 }, (_, i) => `Type${i}`));
    expect(many.get('Type19')).toMatch(/^hsl\(\d+, 70%, 78%\)$/);
    expect(colorOf(many, 'Other')).toBe(colorOf(typeColors([]), 'Other'));
  });
});
