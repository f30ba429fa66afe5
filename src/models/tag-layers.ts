/**
 * Tag layers: the NER tagger writes one or more tag sequences per sentence, each decoded by its own CRF.
 *
 * `single` (the default layout) is one sequence over every entity type, so the tagger's entities never overlap.
 * `per-type` is one sequence per entity type, so entities of different types may overlap or nest: a Drug inside its
 * ADE ("phenytoin hypersensitivity syndrome"), which one sequence cannot hold and which training on one sequence
 * even teaches as "not a drug" (the longer entity is kept, src/text/bio.ts). Entities of one type still cannot
 * overlap. The layers share the encoder; each has its own emission layer and CRF.
 *
 * A token's gold tags over all layers travel as one integer (mixed radix: layer l's tag id times the product of the
 * earlier layers' sizes), so batches, shards and workers carry one Int32 per token whatever the layout, and a
 * one-layer model's tag ids are the plain ids.
 */
import type { Document } from '../corpus/types.js';
import { MedrexError } from '../errors.js';
import { schemeTags, type TagScheme } from '../text/bio.js';
import { forEachOverlap } from '../text/overlaps.js';
import { LabelVocab } from './vocab.js';

export const TAG_LAYOUTS = ['single', 'per-type'] as const;
export type TagLayout = (typeof TAG_LAYOUTS)[number];
/** What a config may ask for: a layout, or `auto` (decided from the training data by `chooseTagLayout`). */
export const TAG_LAYOUT_CHOICES = ['auto', ...TAG_LAYOUTS] as const;

export interface TagLayer {
  /** The entity types this layer tags. */
  types: readonly string[];
  /** `O`, then each type's tags (`B-X`, `I-X`, and `E-X`, `S-X` for bioes). */
  tags: LabelVocab;
}

/** The layers for these entity types (in their order): one over all of them, or one per type. */
export function tagLayersFor(entityTypes: readonly string[], layout: TagLayout, scheme: TagScheme): TagLayer[] {
  const groups = layout === 'per-type' && entityTypes.length > 0 ? entityTypes.map((t) => [t]) : [entityTypes];
  const layers = groups.map((types) => ({ types, tags: new LabelVocab(schemeTags(types, scheme)) }));
  if (!packable(layers.map((layer) => layer.tags.size))) {
    throw new MedrexError(
      `"tagLayers": "per-type" cannot hold ${entityTypes.length} entity types (their tags do not fit one 32-bit number per token); use "single"`,
      { rule: 'config-invalid-value' },
    );
  }
  return layers;
}

/** Whether tags of layers of these sizes pack into one 32-bit integer per token. */
function packable(sizes: readonly number[]): boolean {
  let product = 1;
  for (const size of sizes) product *= size;
  return product <= 2 ** 31 - 1;
}

/**
 * The layout `auto` resolves to for a training corpus: `per-type` when entities of two different types overlap
 * somewhere in it (one sequence cannot hold them: training on it would drop one of each such pair, see
 * src/text/bio.ts), unless the types are too many to pack; otherwise `single`, which keeps the types of a flat
 * corpus mutually exclusive with one CRF. On ADE, where drugs nest inside their ADEs, per-type added up to 0.8
 * NER points (src/models/README.md).
 */
export function chooseTagLayout(documents: readonly Document[], scheme: TagScheme): TagLayout {
  const types = new Set<string>();
  for (const doc of documents) for (const e of doc.entities) types.add(e.type);
  const sizes = [...types].map((t) => schemeTags([t], scheme).length);
  return documents.some(hasCrossTypeOverlap) && packable(sizes) ? 'per-type' : 'single';
}

/** Whether two entities of different types share a character. */
export function hasCrossTypeOverlap(doc: Pick<Document, 'entities'>): boolean {
  let found = false;
  forEachOverlap(doc.entities, (e) => e.fragments, (a, b) => (found = a.type !== b.type));
  return found;
}

/** The multiplier of each layer's tag id in a packed tag: 1, then the product of the earlier layers' sizes. */
function strides(sizes: readonly number[]): number[] {
  const out: number[] = [];
  let stride = 1;
  for (const size of sizes) {
    out.push(stride);
    stride *= size;
  }
  return out;
}

/** One packed tag per token from each layer's tag ids (all of one sentence's length). */
export function packTags(sizes: readonly number[], perLayer: readonly Int32Array[]): Int32Array {
  const stride = strides(sizes);
  const out = new Int32Array(perLayer[0]?.length ?? 0);
  perLayer.forEach((ids, l) => {
    for (let t = 0; t < ids.length; t++) out[t] += ids[t] * stride[l];
  });
  return out;
}

/** Layer `layer`'s tag ids out of packed tags. */
export function unpackLayer(sizes: readonly number[], packed: Int32Array, layer: number): Int32Array {
  if (sizes.length === 1) return packed;
  const stride = strides(sizes)[layer];
  return Int32Array.from(packed, (code) => Math.floor(code / stride) % sizes[layer]);
}
