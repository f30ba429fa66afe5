/**
 * The public types of the library API: what `loadModel` returns and what `extract` produces.
 *
 * These are deliberately plainer than the corpus data model (`Document`): an extraction is about one input text,
 * carries no brat layout, and names entity fragments `spans` (character offsets into the input string, JavaScript
 * string indices, half-open `[start, end)`).
 */

/** A half-open character range `[start, end)` into the text given to `extract`. */
export interface Span {
  start: number;
  end: number;
}

/** One entity found in the text. */
export interface ExtractedEntity {
  /** `T1`, `T2`, ... in text order; relations refer to entities by this id. */
  id: string;
  /** Entity type from the model's label set, e.g. `Drug`. */
  type: string;
  /** The characters the entity covers: one span, or several for a discontinuous entity. */
  spans: Span[];
  /** The covered text: each span's text joined by one space (the brat convention). */
  text: string;
  /** Model confidence in [0, 1]. */
  score: number;
}

/** One relation between two extracted entities. */
export interface ExtractedRelation {
  /** `R1`, `R2`, ... */
  id: string;
  /** Relation type from the model's label set, e.g. `Strength-Drug`. */
  type: string;
  /** Id of the first argument (an `ExtractedEntity.id`). */
  arg1: string;
  /** Id of the second argument. */
  arg2: string;
  /** Model confidence in [0, 1]. */
  score: number;
}

/** Everything a model found in one text. */
export interface Extraction {
  entities: ExtractedEntity[];
  relations: ExtractedRelation[];
}

/**
 * The model card as served to users: what the model is and how it was trained, without the (large) vocabularies,
 * which are summarised by their sizes. The complete card is the model directory's `model.json`.
 */
export interface ModelCard {
  format: string;
  formatVersion: number;
  /** medrex version that wrote the model. */
  medrexVersion: string;
  /** Network and training configuration (see src/models/config.ts). */
  config: Record<string, unknown>;
  labels: {
    entityTypes: string[];
    relationTypes: string[];
  };
  vocabulary: {
    words: number;
    chars: number;
  };
  /** Number of trainable parameters. */
  parameters: number;
  /** Training-data counts and history as the trainer recorded them (null for an untrained model). */
  training: unknown;
}

/** A loaded model, ready to extract. */
export interface MedrexModel {
  /** What the model is (labels, configuration, training summary). */
  readonly card: ModelCard;
  /** Entities and relations in one text. An empty or whitespace-only text gives an empty extraction. */
  extract(text: string): Promise<Extraction>;
  /**
   * Entities and relations in several texts at once (one result per text, in order). Faster than calling
   * `extract` per text because the network runs over all sentences together; the server batches with this.
   */
  extractBatch(texts: readonly string[]): Promise<Extraction[]>;
}
