/**
 * Draws an extraction: the text with entities highlighted in their type's colour, a legend, and relation arcs
 * (SVG, above the text, like brat). Arcs are positioned from the highlighted elements' measured boxes, so they
 * follow the browser's line wrapping; `drawArcs` is called again when the layout changes (window resize).
 */
import type { Extraction } from '../../src/api/types.js';
import { arcLabelPoint, arcPath, assignArcLevels, spreadEnds } from './arcs.js';
import { colorOf } from './colors.js';
import { segmentText } from './segments.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Vertical distance between stacked arcs, px (above the labels' 10px font); arcs above MAX_LEVEL share it. */
const LEVEL_STEP = 13;
const MAX_LEVEL = 6;
/** Height of one line of text and the gap kept between the highest arc label and the line above, px. */
const TEXT_LINE = 24;
const LABEL_ROOM = 10;

/** The text with one `<mark class="entity">` per highlighted run (the innermost entity's colour). */
export function renderText(container: HTMLElement, text: string, extraction: Extraction, colors: Map<string, string>): void {
  container.replaceChildren();
  const byId = new Map(extraction.entities.map((e) => [e.id, e]));
  for (const segment of segmentText(text.length, extraction.entities)) {
    const piece = text.slice(segment.start, segment.end);
    if (segment.entities.length === 0) {
      container.append(document.createTextNode(piece));
      continue;
    }
    const entity = byId.get(segment.entities[0])!;
    const mark = document.createElement('mark');
    mark.className = 'entity';
    mark.dataset.entity = segment.entities.join(' ');
    mark.dataset.type = entity.type;
    mark.style.backgroundColor = colorOf(colors, entity.type);
    mark.title = segment.entities
      .map((id) => byId.get(id)!)
      .map((e) => `${e.id} ${e.type} "${e.text}" (score ${e.score.toFixed(2)})`)
      .join('\n');
    mark.textContent = piece;
    container.append(mark);
  }
}

/** Legend: one swatch per entity type with its count in this extraction (types of the model first). */
export function renderLegend(container: HTMLElement, modelTypes: readonly string[], extraction: Extraction, colors: Map<string, string>): void {
  container.replaceChildren();
  const counts = new Map<string, number>();
  for (const e of extraction.entities) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const types = [...new Set([...modelTypes, ...counts.keys()])];
  for (const type of types) {
    const item = document.createElement('span');
    item.className = 'legend-item';
    item.dataset.type = type;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = colorOf(colors, type);
    item.append(swatch, `${type} (${counts.get(type) ?? 0})`);
    container.append(item);
  }
}

interface Box {
  left: number;
  width: number;
  top: number;
}

/** Each entity's first highlighted box, relative to `origin` (arcs attach to its top edge). */
function entityBoxes(textLayer: HTMLElement, origin: DOMRect): Map<string, Box> {
  const boxes = new Map<string, Box>();
  for (const mark of Array.from(textLayer.querySelectorAll<HTMLElement>('mark.entity'))) {
    for (const id of (mark.dataset.entity ?? '').split(' ')) {
      if (boxes.has(id)) continue;
      const rect = mark.getClientRects()[0];
      if (rect) boxes.set(id, { left: rect.left - origin.left, width: rect.width, top: rect.top - origin.top });
    }
  }
  return boxes;
}

interface PlacedArc {
  relation: Extraction['relations'][number];
  from: { x: number; y: number };
  to: { x: number; y: number };
}

/** Arc ends for every relation whose entities are both shown, spread across each entity's box. */
function placeEnds(textLayer: HTMLElement, extraction: Extraction, origin: DOMRect): PlacedArc[] {
  const boxes = entityBoxes(textLayer, origin);
  const box = (id: string) => boxes.get(id);
  const arcs = extraction.relations.flatMap((relation) => {
    const a = box(relation.arg1);
    const b = box(relation.arg2);
    if (!a || !b) return [];
    const centre = (x: Box) => x.left + x.width / 2;
    return [{ relation, from: { x: centre(a), y: a.top }, to: { x: centre(b), y: b.top } }];
  });
  // Every arc end touching one entity, then spread those ends across that entity's box.
  const ends = new Map<string, { arc: PlacedArc; end: 'from' | 'to' }[]>();
  for (const arc of arcs) {
    for (const [end, id] of [['from', arc.relation.arg1], ['to', arc.relation.arg2]] as const) {
      ends.set(id, [...(ends.get(id) ?? []), { arc, end }]);
    }
  }
  for (const [id, list] of ends) {
    const b = box(id)!;
    const others = list.map(({ arc, end }) => (end === 'from' ? arc.to.x : arc.from.x));
    spreadEnds(b.left, b.width, others).forEach((x, k) => {
      list[k].arc[list[k].end].x = x;
    });
  }
  return arcs;
}

/**
 * Draws the relation arcs of `extraction` in `svg` (which overlays `textLayer`), first making the text's lines
 * tall enough for the highest stack of arcs. Call again when the layout changes.
 */
export function drawArcs(svg: SVGSVGElement, textLayer: HTMLElement, extraction: Extraction): void {
  const highest = Math.min(placeArcs(svg, textLayer, extraction), MAX_LEVEL);
  const arcRoom = highest * LEVEL_STEP + LABEL_ROOM;
  const lineHeight = `${TEXT_LINE + arcRoom}px`;
  // A line box puts half its extra height above the text; the first line has no line above to borrow the rest
  // from, so the layer gets it as top padding (else the highest arcs of line 1 would be clipped).
  const paddingTop = `${highest > 0 ? Math.ceil(arcRoom / 2) : 0}px`;
  // These change vertical positions only (wrapping depends on width), so one redraw settles the layout.
  if (textLayer.style.lineHeight !== lineHeight || textLayer.style.paddingTop !== paddingTop) {
    textLayer.style.lineHeight = lineHeight;
    textLayer.style.paddingTop = paddingTop;
    placeArcs(svg, textLayer, extraction);
  }
}

/** Draws the arcs for the current layout; returns the highest level used (0 without arcs). */
function placeArcs(svg: SVGSVGElement, textLayer: HTMLElement, extraction: Extraction): number {
  svg.replaceChildren();
  const origin = textLayer.getBoundingClientRect();
  svg.setAttribute('width', String(origin.width));
  svg.setAttribute('height', String(origin.height));

  const defs = document.createElementNS(SVG_NS, 'defs');
  const marker = document.createElementNS(SVG_NS, 'marker');
  marker.id = 'arrow';
  for (const [k, v] of Object.entries({ viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '6', markerHeight: '6', orient: 'auto' })) {
    marker.setAttribute(k, v);
  }
  const head = document.createElementNS(SVG_NS, 'path');
  head.setAttribute('d', 'M 0 0 L 10 5 L 0 10 z');
  marker.append(head);
  defs.append(marker);
  svg.append(defs);

  const arcs = placeEnds(textLayer, extraction, origin);
  // Levels are assigned among arcs leaving the same text line (keyed by the higher end's y).
  const byLine = new Map<number, number[]>();
  arcs.forEach((a, i) => {
    const line = Math.round(Math.min(a.from.y, a.to.y));
    byLine.set(line, [...(byLine.get(line) ?? []), i]);
  });
  const levels = new Array<number>(arcs.length).fill(1);
  for (const members of byLine.values()) {
    const lineLevels = assignArcLevels(members.map((i) => ({ x1: arcs[i].from.x, x2: arcs[i].to.x })));
    members.forEach((i, k) => (levels[i] = lineLevels[k]));
  }

  arcs.forEach(({ relation, from, to }, i) => {
    const height = Math.min(levels[i], MAX_LEVEL) * LEVEL_STEP + 4;
    const group = document.createElementNS(SVG_NS, 'g');
    group.setAttribute('class', 'relation');
    group.dataset.relation = relation.id;
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = `${relation.id} ${relation.type}: ${relation.arg1} -> ${relation.arg2} (score ${relation.score.toFixed(2)})`;
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('class', 'arc');
    path.setAttribute('d', arcPath(from.x, from.y, to.x, to.y, height));
    path.setAttribute('marker-end', 'url(#arrow)');
    const at = arcLabelPoint(from.x, from.y, to.x, to.y, height);
    const label = document.createElementNS(SVG_NS, 'text');
    label.setAttribute('class', 'arc-label');
    label.setAttribute('x', String(at.x));
    label.setAttribute('y', String(at.y + 3));
    label.textContent = relation.type;
    group.append(title, path, label);
    svg.append(group);
  });
  return Math.max(0, ...levels);
}
