/**
 * From Documents to model examples: label sets learned from training data, per-sentence inputs and gold BIO tags,
 * entity mentions placed on tokens, and relation examples (candidate pairs with their gold label).
 *
 * Relation examples come from `relationCandidates` in src/text: ordered pairs whose argument types were seen in a
 * training relation and whose sentences lie inside the window. For training the pairs are built on gold entities;
 * end to end they are built on the entities the tagger found (the same function, given a Document whose entities
 * are predictions). A pair that is no gold relation is labelled NO_RELATION (id 0).
 *
 * Negative sampling (training only): all positive pairs of a document are kept, and at most
 * `negativeRatio x max(1, positives)` negatives, drawn afresh each epoch from a generator fixed by
 * (seed, epoch, document), so that over the epochs the model still sees most negatives, every epoch is as cheap as
 * the ratio says, and a resumed run draws the same samples. Documents with no relation keep `negativeRatio`
 * negatives so that "nothing here" is learned too.
 */
import type { Document, Entity } from '../corpus/types.js';
import { encodeBio, type TagScheme } from '../text/bio.js';
import { packTags, tagLayersFor, type TagLayer, type TagLayout } from './tag-layers.js';
import { learnArgTypePairs, relationCandidates, type ArgTypePair } from '../text/candidates.js';
import { canonicalRelations, symmetricRelationTypes, textOrder } from '../text/relation-shapes.js';
import { prepareDocument, entitiesBySentence, type PreparedDocument } from '../text/prepare.js';
import type { SentenceInput } from './batching.js';
import { derivedRandom, shuffleInPlace } from '../random.js';
import { charIds, LabelVocab, wordIds, type TextVocabs } from './vocab.js';

/** Label of a candidate pair that is no relation. Not a valid brat type name, so it cannot clash with one. */
export const NO_RELATION = '<none>';
/** Characters of a token the char features look at (long placeholders carry nothing more past this). */
export const MAX_WORD_CHARS = 20;

export interface ModelLabels {
  entityTypes: LabelVocab;
  /** How entities are written as tags (`config.tagScheme`). */
  tagScheme: TagScheme;
  /**
   * The tagger's tag sequences (`config.tagLayers`, ./tag-layers.ts): one over every type (`O`, then `B-X`, `I-X`,
   * and `E-X`, `S-X` for bioes, for each entity type in `entityTypes` order), or one per type.
   */
  tagLayers: TagLayer[];
  /** NO_RELATION first, then the relation types. */
  relationTypes: LabelVocab;
  /** (arg1 type, arg2 type, relation type) seen in training, most frequent first. */
  argTypePairs: ArgTypePair[];
  /**
   * Relation types whose argument order carries no meaning in the training data (src/text/relation-shapes.ts):
   * trained and predicted once per unordered pair, arguments in text order.
   */
  symmetricTypes: string[];
}

/** Label sets of a training corpus, sorted so they do not depend on document order. */
export function learnLabels(
  documents: readonly Document[],
  tagging: { scheme: TagScheme; layout: TagLayout } = { scheme: 'bio', layout: 'single' },
): ModelLabels {
  const entityTypes = new Set<string>();
  const relationTypes = new Set<string>();
  for (const doc of documents) {
    for (const e of doc.entities) entityTypes.add(e.type);
    for (const r of doc.relations) relationTypes.add(r.type);
  }
  const symmetricTypes = symmetricRelationTypes(documents);
  const symmetric = new Set(symmetricTypes);
  const canonical = documents.map((d) => ({ ...d, relations: canonicalRelations(d, symmetric) }));
  // Canonical (text-order) relations give the type pairs; a symmetric type also gets each pair reversed, so that a
  // test pair in the other text order is still a candidate.
  const argTypePairs = learnArgTypePairs(canonical);
  const seen = new Set(argTypePairs.map((p) => `${p.arg1Type}\u0000${p.arg2Type}\u0000${p.relationType}`));
  for (const p of [...argTypePairs]) {
    const key = `${p.arg2Type}\u0000${p.arg1Type}\u0000${p.relationType}`;
    if (!symmetric.has(p.relationType) || seen.has(key)) continue;
    seen.add(key);
    argTypePairs.push({ arg1Type: p.arg2Type, arg2Type: p.arg1Type, relationType: p.relationType, count: p.count });
  }
  return labelsFrom([...entityTypes].sort(), [...relationTypes].sort(), argTypePairs, symmetricTypes, tagging);
}

/** Rebuild label sets from their saved lists (entity types and relation types without NO_RELATION). */
export function labelsFrom(
  entityTypes: string[],
  relationTypes: string[],
  argTypePairs: ArgTypePair[],
  symmetricTypes: string[] = [],
  tagging: { scheme: TagScheme; layout: TagLayout } = { scheme: 'bio', layout: 'single' },
): ModelLabels {
  return {
    entityTypes: new LabelVocab(entityTypes),
    tagScheme: tagging.scheme,
    tagLayers: tagLayersFor(entityTypes, tagging.layout, tagging.scheme),
    relationTypes: new LabelVocab([NO_RELATION, ...relationTypes]),
    argTypePairs,
    symmetricTypes,
  };
}

/** A token position: sentence index in the document, token index in the sentence. */
export interface TokenRef {
  sentence: number;
  token: number;
}

/** An entity placed on tokens. */
export interface Mention {
  /** Index into `PreparedDocument.entities` (and so into the document's entities). */
  entity: number;
  typeId: number;
  /** Sentence holding the first token. */
  sentence: number;
  /** Tokens covered by the entity's fragments, in order (gaps of discontinuous entities left out). */
  tokens: TokenRef[];
}

export interface PairExample {
  /** Indices into `EncodedDocument.mentions`. */
  arg1: number;
  arg2: number;
  /** Relation type id (0 = NO_RELATION). */
  label: number;
}

export interface EncodedDocument {
  prepared: PreparedDocument;
  sentences: SentenceInput[];
  /** Gold tag ids per sentence, packed over the tag layers (`packTags`; all `O` for a document without entities). */
  tags: Int32Array[];
  mentions: Mention[];
  /** Every candidate pair, with gold labels (all NO_RELATION when the document has no relations). */
  pairs: PairExample[];
}

/** What training reads of an encoded document (a data-parallel worker gets only this, not the text). */
export type TrainingDocument = Pick<EncodedDocument, 'sentences' | 'tags' | 'mentions' | 'pairs'>;

/**
 * Encode one document. Entities of types the model does not know are left out (they cannot be tagged nor be
 * arguments), as are entities that cover no token.
 */
export function encodeDocument(
  document: Document,
  vocabs: TextVocabs,
  labels: ModelLabels,
  windowSentences: number,
): EncodedDocument {
  const known = { ...document, entities: document.entities.filter((e) => labels.entityTypes.has(e.type)) };
  const prepared = prepareDocument(known);
  const sentences = prepared.sentences.map((s): SentenceInput => {
    const texts = s.tokens.map((t) => t.text);
    return { words: wordIds(vocabs, texts), chars: texts.map((t) => charIds(vocabs, t, MAX_WORD_CHARS)) };
  });
  const bySentence = entitiesBySentence(prepared);
  const layerSizes = labels.tagLayers.map((layer) => layer.tags.size);
  const tags = prepared.sentences.map((s, k) => {
    // No entity (every sentence at prediction): all `O`, id 0 in every layer, so the packed tags are all 0 too.
    if (bySentence[k].length === 0) return new Int32Array(s.tokens.length);
    const entities = bySentence[k].map((p) => ({ id: p.entity.id, type: p.entity.type, fragments: p.fragments }));
    const perLayer = labels.tagLayers.map((layer) => {
      const own = labels.tagLayers.length === 1 ? entities : entities.filter((e) => layer.types.includes(e.type));
      return Int32Array.from(encodeBio(s.tokens, own, { scheme: labels.tagScheme }).tags, (tag) => layer.tags.id(tag));
    });
    return packTags(layerSizes, perLayer);
  });

  const mentions: Mention[] = [];
  const mentionOf = new Map<string, number>();
  prepared.entities.forEach((p, index) => {
    const tokens: TokenRef[] = [];
    for (const placed of p.placed) {
      if (!placed) continue;
      for (let t = placed.startToken; t < placed.endToken; t++) tokens.push({ sentence: placed.sentence, token: t });
    }
    if (tokens.length === 0) return;
    mentionOf.set(p.entity.id, mentions.length);
    mentions.push({ entity: index, typeId: labels.entityTypes.id(p.entity.type), sentence: tokens[0].sentence, tokens });
  });

  const symmetric = new Set(labels.symmetricTypes);
  const goldType = new Map<string, string>();
  for (const r of canonicalRelations(document, symmetric)) {
    if (labels.relationTypes.has(r.type)) goldType.set(`${r.arg1}\u0000${r.arg2}`, r.type);
  }
  const pairs: PairExample[] = [];
  if (labels.argTypePairs.length > 0) {
    for (const c of relationCandidates(prepared, { windowSentences, argTypePairs: labels.argTypePairs })) {
      const arg1 = mentionOf.get(c.arg1.entity.id);
      const arg2 = mentionOf.get(c.arg2.entity.id);
      if (arg1 === undefined || arg2 === undefined) continue;
      // A pair whose every possible type is symmetric is asked once, in text order.
      if (c.relationTypes.every((t) => symmetric.has(t)) && textOrder(c.arg1.entity, c.arg2.entity) > 0) continue;
      const type = goldType.get(`${c.arg1.entity.id}\u0000${c.arg2.entity.id}`);
      pairs.push({ arg1, arg2, label: type === undefined ? 0 : labels.relationTypes.id(type) });
    }
  }
  return { prepared, sentences, tags, mentions, pairs };
}

/**
 * The pairs of one document to train on this epoch: every positive, and a seeded sample of negatives (see the
 * module comment). `ratio` null keeps everything. Order is preserved.
 */
export function sampleTrainingPairs(
  pairs: readonly PairExample[],
  ratio: number | null,
  random: { seed: number; epoch: number; doc: number },
): PairExample[] {
  if (ratio === null) return [...pairs];
  const negatives: number[] = [];
  let positives = 0;
  pairs.forEach((p, i) => (p.label === 0 ? negatives.push(i) : positives++));
  const keep = Math.floor(ratio * Math.max(1, positives));
  if (negatives.length <= keep) return [...pairs];
  const chosen = new Set(
    shuffleInPlace(negatives, derivedRandom(random.seed, 'negatives', random.epoch, random.doc)).slice(0, keep),
  );
  return pairs.filter((p, i) => p.label !== 0 || chosen.has(i));
}

/** The entities of a document, re-numbered `T1..Tn` in document order (for predictions). */
export function numberEntities(entities: Omit<Entity, 'id'>[]): Entity[] {
  const ordered = [...entities].sort(
    (a, b) => a.fragments[0].start - b.fragments[0].start || a.fragments[0].end - b.fragments[0].end,
  );
  return ordered.map((e, i) => ({ id: `T${i + 1}`, ...e }));
}
