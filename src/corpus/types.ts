/**
 * The data model every part of medrex consumes: a Document is a text plus standoff annotations whose character
 * offsets index into that exact text (JavaScript string indices, i.e. UTF-16 code units, CR characters included).
 *
 * Readers (brat, ADE, JSON) produce Documents; writers consume them; text processing, models, and the scorer read
 * them. Nothing here knows about any particular label set: entity and relation types are plain strings.
 */

/** A half-open character range [start, end) into Document.text. */
export interface Fragment {
  start: number;
  end: number;
}

export interface Entity {
  /** Identifier as in the source (`T12` in brat). Unique within a document. */
  id: string;
  /** Entity type, e.g. `Drug`. */
  type: string;
  /**
   * One or more fragments, in the order the source listed them (brat allows `10 15;3 8`). Use
   * `sortedFragments()` when order by position matters.
   */
  fragments: Fragment[];
  /** The covered text as the source gave it: fragments' text joined by a single space (brat convention). */
  text: string;
  /** Model confidence in [0, 1] for predictions; absent for gold annotations. */
  score?: number;
}

export interface Relation {
  /** Identifier as in the source (`R3` in brat). Unique within a document. */
  id: string;
  /** Relation type, e.g. `Strength-Drug`. */
  type: string;
  /** Id of the first argument entity (brat `Arg1`). */
  arg1: string;
  /** Id of the second argument entity (brat `Arg2`). */
  arg2: string;
  /** Role names as written in the source when not brat's usual `Arg1`/`Arg2` (absent means the usual one). */
  arg1Role?: string;
  arg2Role?: string;
  /** Model confidence in [0, 1] for predictions. */
  score?: number;
}

/** A brat attribute (`A1\tNegated T3` or `A2\tSeverity T3 High`). */
export interface Attribute {
  id: string;
  type: string;
  target: string;
  value?: string;
}

/** A brat equivalence group (`*\tEquiv T1 T2 T3`). */
export interface Equivalence {
  type: string;
  members: string[];
}

/** A brat note (`#1\tAnnotatorNotes T3\tfree text`). */
export interface Note {
  id: string;
  type: string;
  target: string;
  text: string;
}

export interface Document {
  /** Document identifier: the path relative to the corpus root without extension (`sub/100035`), or a PMID. */
  id: string;
  text: string;
  entities: Entity[];
  relations: Relation[];
  attributes?: Attribute[];
  equivalences?: Equivalence[];
  notes?: Note[];
  /**
   * How the brat `.ann` this document was read from was laid out (set by the brat reader). The brat writer uses it
   * to reproduce an unchanged file byte for byte; documents built in memory leave it out and are written in the
   * canonical order. Code that edits annotations may keep it: the writer notices edited lines and regenerates them.
   */
  annLayout?: AnnLayout;
}

/**
 * The order and exact bytes of a brat `.ann` file's lines. Each line either refers to an annotation of the
 * Document (by id; equivalences, which have no id, by `*<index into equivalences>`) or is kept verbatim (a valid
 * line medrex does not model: events, normalizations, blank lines).
 */
export interface AnnLayout {
  lines: AnnLayoutLine[];
  /** Line terminator of most lines. */
  eol: '\n' | '\r\n';
  /** Whether the last line ends with a terminator. */
  finalNewline: boolean;
  /** Whether the file started with a UTF-8 byte order mark. */
  bom?: boolean;
}

export interface AnnLayoutLine {
  /** Annotation id (`T3`, `R1`, `A2`, `#1`) or `*<index>` for an equivalence; absent for verbatim lines. */
  ref?: string;
  /** The line as written, when it differs from what the writer would generate (or for a verbatim line). */
  raw?: string;
  /** What the writer generated for this line when it was read; `raw` is used only while this still matches. */
  canonical?: string;
  /** Terminator of this line when it differs from `AnnLayout.eol` (mixed line endings). */
  eol?: string;
}

/** A named collection of documents, e.g. a corpus split. */
export interface Corpus {
  name: string;
  documents: Document[];
}

/** Fragments ordered by start offset (then end). Does not modify the entity. */
export function sortedFragments(entity: Pick<Entity, 'fragments'>): Fragment[] {
  return [...entity.fragments].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The outer span of an entity: start of its first fragment to end of its last (as the n2c2 scorer sees it). */
export function outerSpan(entity: Pick<Entity, 'fragments'>): Fragment {
  let start = Infinity;
  let end = -Infinity;
  for (const f of entity.fragments) {
    if (f.start < start) start = f.start;
    if (f.end > end) end = f.end;
  }
  return { start, end };
}

/** The text an entity covers, read from the document: fragments in source order joined by one space. */
export function textOfFragments(text: string, fragments: Fragment[]): string {
  return fragments.map((f) => text.slice(f.start, f.end)).join(' ');
}
