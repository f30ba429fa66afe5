/**
 * A Document turned into tokenised sentences with every entity placed on them: the input of the taggers, the
 * relation candidate generator and the statistics.
 */
import { outerSpan, type Document, type Entity, type Fragment } from '../corpus/types.js';
import { joinWhitespaceGaps } from './fragments.js';
import { splitSentences, type Sentence, type SplitOptions } from './sentences.js';
import { charSpanToTokenSpan, type TokenSpanMatch } from './spans.js';

/**
 * What to do when the splitter puts a boundary inside an entity: `merge` the sentences it touches (the entity is
 * kept whole; the default), or `truncate` (each fragment is cut at the end of the sentence it starts in).
 */
export type CrossSentencePolicy = 'merge' | 'truncate';

export interface PrepareOptions extends SplitOptions {
  crossSentence?: CrossSentencePolicy;
}

/** One fragment placed on a sentence; token indices are into that sentence's `tokens`. */
export interface PlacedFragment extends TokenSpanMatch {
  sentence: number;
}

export interface PreparedEntity {
  entity: Entity;
  /** The entity's fragments sorted, with whitespace-only gaps joined (see fragments.ts). */
  fragments: Fragment[];
  /** Index of the sentence holding the entity's first token (or nearest to it); -1 only if there are none. */
  sentence: number;
  /** One per entry of `fragments`; `null` when the fragment covers no token. */
  placed: (PlacedFragment | null)[];
  /** The splitter's boundary fell inside this entity (merged away or truncated, per the policy). */
  crossedBoundary: boolean;
}

export interface PreparedDocument {
  document: Document;
  sentences: Sentence[];
  entities: PreparedEntity[];
  /** Prepared entities by entity id. */
  byId: Map<string, PreparedEntity>;
  /** Sentence boundaries removed because an entity crossed them (policy `merge`). */
  mergedBoundaries: number;
  crossSentence: CrossSentencePolicy;
}

/** Index of the first sentence ending after `offset`, i.e. the one holding it or the next (clamped to the last). */
function sentenceAt(sentences: readonly Sentence[], offset: number): number {
  let lo = 0;
  let hi = sentences.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sentences[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, sentences.length - 1);
}

export function prepareDocument(document: Document, options: PrepareOptions = {}): PreparedDocument {
  const policy = options.crossSentence ?? 'merge';
  const split = splitSentences(document.text, options);
  const fragmentsOf = document.entities.map((e) => joinWhitespaceGaps(document.text, e.fragments));

  // Which boundaries (after sentence k) an entity crosses.
  const crossed = new Uint8Array(Math.max(split.length - 1, 0));
  const crossing = fragmentsOf.map((fragments) => {
    if (split.length === 0 || fragments.length === 0) return false;
    const outer = outerSpan({ fragments });
    const first = sentenceAt(split, outer.start);
    const last = sentenceAt(split, outer.end - 1);
    for (let k = first; k < last; k++) crossed[k] = 1;
    return last > first;
  });

  let sentences = split;
  let mergedBoundaries = 0;
  if (policy === 'merge') {
    sentences = [];
    for (let k = 0; k < split.length; k++) {
      const s = split[k];
      if (k > 0 && crossed[k - 1]) {
        const prev = sentences[sentences.length - 1];
        sentences[sentences.length - 1] = { start: prev.start, end: s.end, tokens: prev.tokens.concat(s.tokens) };
        mergedBoundaries++;
      } else {
        sentences.push(s);
      }
    }
  }

  const entities = document.entities.map((entity, index): PreparedEntity => {
    const fragments = fragmentsOf[index];
    const placed = fragments.map((f): PlacedFragment | null => {
      if (sentences.length === 0) return null;
      const sentence = sentenceAt(sentences, f.start);
      const match = charSpanToTokenSpan(sentences[sentence].tokens, f.start, f.end);
      return match && { sentence, ...match };
    });
    const firstPlaced = placed.find((p) => p !== null);
    const sentence =
      sentences.length === 0 ? -1 : (firstPlaced?.sentence ?? sentenceAt(sentences, fragments[0]?.start ?? 0));
    return { entity, fragments, sentence, placed, crossedBoundary: crossing[index] };
  });

  return {
    document,
    sentences,
    entities,
    byId: new Map(entities.map((e) => [e.entity.id, e])),
    mergedBoundaries,
    crossSentence: policy,
  };
}

/** The prepared entities whose first token is in each sentence, in document order. */
export function entitiesBySentence(prepared: PreparedDocument): PreparedEntity[][] {
  const groups: PreparedEntity[][] = prepared.sentences.map(() => []);
  for (const e of prepared.entities) if (e.sentence >= 0) groups[e.sentence].push(e);
  return groups;
}
