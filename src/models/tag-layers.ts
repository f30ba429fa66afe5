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
import { MedrexError } from '../errors.js';
import { schemeTags, type TagScheme } from '../text/bio.js';
import { LabelVocab } from './vocab.js';

export const TAG_LAYOUTS = ['single', 'per-type'] as const;
export type TagLayout = (typeof TAG_LAYOUTS)[number];

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
  let product = 1;
  for (const layer of layers) product *= layer.tags.size;
  if (product > 2 ** 31 - 1) {
    throw new MedrexError(
      `"tagLayers": "per-type" cannot hold ${entityTypes.length} entity types (their tags do not fit one 32-bit number per token); use "single"`,
      { rule: 'config-invalid-value' },
    );
  }
  return layers;
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
