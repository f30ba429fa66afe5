/**
 * Training the RE side on the tagger's own entities (`relationTrainEntities: "gold+predicted"`): at test time the
 * relation head only ever sees the tagger's entities, some with a wrong boundary or type, or spurious; trained on
 * gold entities alone it has never seen one. Here the entities the tagger finds in a training document that match
 * no gold entity (strictly: type and outer span) join the gold ones as arguments of no relation, so their
 * candidate pairs are negatives (the pair head) or their heads are "no relation" slots (the selection head). The
 * tagging loss still reads the gold tags only.
 */
import { outerSpan, type Entity } from '../corpus/types.js';
import { encodeDocument, type EncodedDocument } from './examples.js';
import type { Model } from './model.js';
import { predictEntities } from './predict.js';

/** Type and outer span: what the strict scorer compares. */
function strictKey(entity: Pick<Entity, 'type' | 'fragments'>): string {
  const { start, end } = outerSpan(entity);
  return `${entity.type}\u0000${start}\u0000${end}`;
}

/** Prefix of the ids given to the added entities (brat ids are `T` + digits, so these cannot clash). */
export const PREDICTED_ENTITY_ID = 'predicted-';

/**
 * `encoded` (gold) with the tagger's non-gold entities added, one EncodedDocument per document; a document where
 * the tagger found nothing new is returned as it was (the same object).
 */
export function withPredictedEntities(model: Model, encoded: readonly EncodedDocument[]): EncodedDocument[] {
  const documents = encoded.map((e) => e.prepared.document);
  const predicted = predictEntities(model, documents);
  return encoded.map((gold, i) => {
    const known = new Set(documents[i].entities.map(strictKey));
    const extra = predicted[i].entities
      .filter((e) => !known.has(strictKey(e)))
      .map((e, k) => ({ ...e, id: `${PREDICTED_ENTITY_ID}${k + 1}` }));
    if (extra.length === 0) return gold;
    const document = { ...documents[i], entities: [...documents[i].entities, ...extra] };
    const augmented = encodeDocument(document, model.vocabs, model.labels, model.config.windowSentences);
    // The tagger's entities lie inside its sentences, so the sentences are those of the gold encoding; were they
    // not, the gold encoding is kept rather than tags misaligned.
    if (augmented.sentences.length !== gold.sentences.length) return gold;
    return { ...augmented, tags: gold.tags };
  });
}
