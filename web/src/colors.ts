/**
 * A colour per entity type. Types are not tied to any label set: colours come from a fixed palette in the order
 * the model lists its types, so the same model always shows the same colours, and a type the palette has no
 * room for gets a colour derived from its name.
 */

/** Light, distinguishable background colours (dark text stays readable on all of them). */
const PALETTE = [
  '#8fb2ff', '#ffb27a', '#8fdc8f', '#ff9aa8', '#c9a6ff', '#ffe066', '#7ee0d8', '#e0b894',
  '#b8e07a', '#ff9ee6', '#a8c8e0', '#d4d47a',
];

/** A stable hue from a name (FNV-1a hash), for types beyond the palette. */
function hashColor(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `hsl(${h % 360}, 70%, 78%)`;
}

/** Colour of each type: `types` in order take the palette's colours; later types get a hashed colour. */
export function typeColors(types: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const type of types) {
    if (colors.has(type)) continue;
    colors.set(type, colors.size < PALETTE.length ? PALETTE[colors.size] : hashColor(type));
  }
  return colors;
}

/** The colour of `type`, falling back to a hashed one for a type the model did not list. */
export function colorOf(colors: ReadonlyMap<string, string>, type: string): string {
  return colors.get(type) ?? hashColor(type);
}
