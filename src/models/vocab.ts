/**
 * Vocabularies: words (with normalisation and an UNK policy), characters, and closed label sets.
 *
 * Ids 0 and 1 of the word and character vocabularies are reserved: 0 is padding (never a real token; its
 * embedding row is ignored through masks) and 1 is UNK. Label vocabularies have no UNK: a label unseen in
 * training cannot be predicted, and looking one up is a programming error.
 *
 * Vocabularies serialise to plain JSON (the list of entries in id order) for the model card.
 */
import type { Random } from '../random.js';

export const PAD_ID = 0;
export const UNK_ID = 1;
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';

export interface NormalizeOptions {
  lowercase: boolean;
  normalizeDigits: boolean;
}

/** The form of a word that the word vocabulary stores (characters keep the raw form). */
export function normalizeWord(word: string, options: NormalizeOptions): string {
  let w = options.lowercase ? word.toLowerCase() : word;
  if (options.normalizeDigits) w = w.replace(/\d/g, '0');
  return w;
}

/** A string <-> id mapping whose ids 0 and 1 are padding and UNK. */
export class TokenVocab {
  private readonly index = new Map<string, number>();

  /** `entries` in id order, starting with the two reserved entries. */
  private constructor(readonly entries: readonly string[]) {
    entries.forEach((entry, id) => this.index.set(entry, id));
  }

  /**
   * Build from training counts: entries seen at least `minFreq` times, most frequent first (ties broken
   * alphabetically so the result does not depend on corpus order), plus `extra` entries (e.g. words that have
   * pretrained vectors) whatever their count.
   */
  static fromCounts(counts: Map<string, number>, minFreq = 1, extra: Iterable<string> = []): TokenVocab {
    const kept = new Set<string>();
    for (const [entry, count] of counts) if (count >= minFreq) kept.add(entry);
    for (const entry of extra) kept.add(entry);
    kept.delete(PAD_TOKEN);
    kept.delete(UNK_TOKEN);
    const ordered = [...kept].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || compare(a, b));
    return new TokenVocab([PAD_TOKEN, UNK_TOKEN, ...ordered]);
  }

  /** Rebuild from `toJSON()` output. */
  static fromJSON(entries: readonly string[]): TokenVocab {
    if (entries[PAD_ID] !== PAD_TOKEN || entries[UNK_ID] !== UNK_TOKEN) {
      throw new Error('token vocabulary must start with the padding and UNK entries');
    }
    return new TokenVocab([...entries]);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Id of an entry, UNK_ID when unknown. */
  id(entry: string): number {
    return this.index.get(entry) ?? UNK_ID;
  }

  has(entry: string): boolean {
    return this.index.has(entry);
  }

  toJSON(): string[] {
    return [...this.entries];
  }
}

/** A closed set of labels (entity types, BIO tags, relation types) with dense ids in a fixed order. */
export class LabelVocab {
  private readonly index = new Map<string, number>();

  constructor(readonly labels: readonly string[]) {
    labels.forEach((label, id) => {
      if (this.index.has(label)) throw new Error(`duplicate label "${label}"`);
      this.index.set(label, id);
    });
  }

  get size(): number {
    return this.labels.length;
  }

  id(label: string): number {
    const id = this.index.get(label);
    if (id === undefined) throw new Error(`unknown label "${label}" (known: ${this.labels.join(', ')})`);
    return id;
  }

  has(label: string): boolean {
    return this.index.has(label);
  }

  label(id: number): string {
    const label = this.labels[id];
    if (label === undefined) throw new Error(`label id ${id} out of range 0..${this.labels.length - 1}`);
    return label;
  }

  toJSON(): string[] {
    return [...this.labels];
  }
}

/** Word and character vocabularies built from the training tokens. */
export interface TextVocabs {
  words: TokenVocab;
  chars: TokenVocab;
  normalize: NormalizeOptions;
}

/**
 * Build word and char vocabularies from training token texts. Characters are taken from the raw tokens (case
 * and digits carry information the normalised word loses, such as `MG` vs `mg`); every character seen is kept.
 */
export function buildTextVocabs(
  tokenTexts: Iterable<string>,
  options: NormalizeOptions & { minWordFreq: number; extraWords?: Iterable<string> },
): TextVocabs {
  const wordCounts = new Map<string, number>();
  const charCounts = new Map<string, number>();
  for (const text of tokenTexts) {
    const w = normalizeWord(text, options);
    wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    for (const ch of text) charCounts.set(ch, (charCounts.get(ch) ?? 0) + 1);
  }
  const normalize = { lowercase: options.lowercase, normalizeDigits: options.normalizeDigits };
  const extra = [...(options.extraWords ?? [])].map((w) => normalizeWord(w, normalize));
  return {
    words: TokenVocab.fromCounts(wordCounts, options.minWordFreq, extra),
    chars: TokenVocab.fromCounts(charCounts, 1),
    normalize,
  };
}

/** Word ids of token texts. */
export function wordIds(vocabs: TextVocabs, tokenTexts: readonly string[]): Int32Array {
  const ids = new Int32Array(tokenTexts.length);
  tokenTexts.forEach((t, i) => (ids[i] = vocabs.words.id(normalizeWord(t, vocabs.normalize))));
  return ids;
}

/**
 * Char ids of one token, by code point, cut to `maxChars` (long tokens such as de-identification placeholders
 * or rule lines carry no more information past their first characters).
 */
export function charIds(vocabs: TextVocabs, token: string, maxChars: number): Int32Array {
  const chars = [...token].slice(0, maxChars);
  return Int32Array.from(chars, (ch) => vocabs.chars.id(ch));
}

/**
 * Word dropout for training: a copy of `ids` where each non-padding id becomes UNK with probability `p`, so the
 * UNK embedding is learned from real contexts instead of staying at its random initial value.
 */
export function dropWordsToUnk(ids: Int32Array, p: number, random: Random): Int32Array {
  const out = Int32Array.from(ids);
  if (p <= 0) return out;
  for (let i = 0; i < out.length; i++) if (out[i] !== PAD_ID && random() < p) out[i] = UNK_ID;
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
