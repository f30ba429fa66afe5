/**
 * BIO tags for one sentence: encoding entities (with a record of what BIO cannot hold) and decoding tags back to
 * spans (repairing invalid sequences).
 */
import { outerSpan, sortedFragments, type Entity, type Fragment } from '../corpus/types.js';
import type { Token } from './tokenize.js';
import { charSpanToTokenSpan, type TokenSpan } from './spans.js';

/**
 * A discontinuous entity (non-whitespace text between fragments) cannot be one BIO span. `outer` tags the outer
 * span, first start to last end, as the n2c2 scorer sees it (default); `first-fragment` tags only the first
 * fragment; `each-fragment` tags each fragment as an entity of its own.
 */
export type DiscontinuousPolicy = 'outer' | 'first-fragment' | 'each-fragment';
/** Two entities sharing a token cannot both be tagged: keep the `longer` (in tokens; default) or the `first`. */
export type OverlapPolicy = 'longer' | 'first';

/**
 * `bio`: `B-X` starts an entity, `I-X` continues it. `bioes` (BILOU) adds `E-X` for the last token of a longer
 * entity and `S-X` for a one-token entity, so that the tagger states where an entity ends as well as where it starts.
 */
export type TagScheme = 'bio' | 'bioes';
export const TAG_SCHEMES: readonly TagScheme[] = ['bio', 'bioes'];

export interface BioOptions {
  discontinuous?: DiscontinuousPolicy;
  overlap?: OverlapPolicy;
}

export interface EncodeOptions extends BioOptions {
  /** Tag names to write (default `bio`); the spans and issues are the same in every scheme. */
  scheme?: TagScheme;
}

/** Every tag of `scheme` for these entity types: `O`, then each type's tags (`B`, `I`, then `E`, `S` for bioes). */
export function schemeTags(entityTypes: readonly string[], scheme: TagScheme = 'bio'): string[] {
  const prefixes = scheme === 'bioes' ? ['B', 'I', 'E', 'S'] : ['B', 'I'];
  return ['O', ...entityTypes.flatMap((t) => prefixes.map((p) => `${p}-${t}`))];
}

export type BioIssueReason = 'discontinuous' | 'overlap' | 'boundary-inside-token' | 'cross-sentence' | 'no-token';

export const BIO_ISSUE_REASONS: readonly BioIssueReason[] = [
  'discontinuous',
  'overlap',
  'boundary-inside-token',
  'cross-sentence',
  'no-token',
];

/** Something about one entity that its tags do not hold exactly. */
export interface BioIssue {
  entityId: string;
  type: string;
  reason: BioIssueReason;
}

export interface EncodedSpan extends TokenSpan {
  type: string;
  entityId: string;
}

export interface BioEncoding {
  tags: string[];
  /** The spans the tags hold, in token order. */
  spans: EncodedSpan[];
  issues: BioIssue[];
}

export type BioEntity = Pick<Entity, 'id' | 'type' | 'fragments'>;

interface Unit extends TokenSpan {
  entity: number;
}

/** How each reason is handled under the given policies, in words (for reports). */
export function bioHandling(reason: BioIssueReason, options: BioOptions = {}, crossSentence = 'truncate'): string {
  switch (reason) {
    case 'discontinuous':
      return {
        outer: 'outer span tagged (the text between fragments is included)',
        'first-fragment': 'first fragment tagged, the others dropped',
        'each-fragment': 'each fragment tagged as an entity of its own',
      }[options.discontinuous ?? 'outer'];
    case 'overlap':
      return (options.overlap ?? 'longer') === 'longer'
        ? 'longer entity kept (earlier on ties); the other is lost'
        : 'first entity kept (longer on ties); the other is lost';
    case 'boundary-inside-token':
      return 'span widened to whole tokens';
    case 'cross-sentence':
      return crossSentence === 'merge'
        ? 'sentences merged; entity kept whole'
        : 'entity cut at the sentence boundary';
    case 'no-token':
      return 'entity covers no token; lost';
  }
}

/**
 * Tags (`O`, `B-type`, `I-type`; with the `bioes` scheme also `E-type`, `S-type`) for the tokens of one sentence. Entities are given by character fragments; parts
 * outside the sentence's tokens are cut off (reported as `cross-sentence`).
 */
export function encodeBio(tokens: readonly Token[], entities: readonly BioEntity[], options: EncodeOptions = {}): BioEncoding {
  const discontinuous = options.discontinuous ?? 'outer';
  const issues: BioIssue[] = [];
  const flagged = new Set<string>();
  const report = (entity: BioEntity, reason: BioIssueReason): void => {
    const key = `${reason}\u0000${entity.id}`;
    if (flagged.has(key)) return;
    flagged.add(key);
    issues.push({ entityId: entity.id, type: entity.type, reason });
  };

  const units: Unit[] = [];
  entities.forEach((entity, index) => {
    const pieces = continuousPieces(tokens, entity.fragments);
    if (pieces.length === 0) return report(entity, 'no-token');
    let chosen = pieces;
    if (pieces.length > 1) {
      report(entity, 'discontinuous');
      if (discontinuous === 'outer') chosen = [outerSpan({ fragments: pieces })];
      else if (discontinuous === 'first-fragment') chosen = [pieces[0]];
    }
    for (const piece of chosen) {
      const match = charSpanToTokenSpan(tokens, piece.start, piece.end);
      if (!match) {
        report(entity, 'no-token');
        continue;
      }
      const cutBefore = piece.start < tokens[0].start;
      const cutAfter = piece.end > tokens[tokens.length - 1].end;
      if (cutBefore || cutAfter) report(entity, 'cross-sentence');
      if ((!match.exactStart && !cutBefore) || (!match.exactEnd && !cutAfter)) report(entity, 'boundary-inside-token');
      units.push({ entity: index, startToken: match.startToken, endToken: match.endToken });
    }
  });

  const byPriority = [...units].sort(
    (options.overlap ?? 'longer') === 'longer'
      ? (a, b) => length(b) - length(a) || a.startToken - b.startToken || a.entity - b.entity
      : (a, b) => a.startToken - b.startToken || length(b) - length(a) || a.entity - b.entity,
  );
  const owner = new Int32Array(tokens.length).fill(-1);
  const spans: EncodedSpan[] = [];
  for (const unit of byPriority) {
    let free = true;
    for (let k = unit.startToken; k < unit.endToken && free; k++) free = owner[k] < 0;
    const entity = entities[unit.entity];
    if (!free) {
      report(entity, 'overlap');
      continue;
    }
    owner.fill(unit.entity, unit.startToken, unit.endToken);
    spans.push({ type: entity.type, entityId: entity.id, startToken: unit.startToken, endToken: unit.endToken });
  }
  spans.sort((a, b) => a.startToken - b.startToken);

  const tags: string[] = new Array<string>(tokens.length).fill('O');
  const bioes = options.scheme === 'bioes';
  for (const span of spans) {
    tags[span.startToken] = `B-${span.type}`;
    for (let k = span.startToken + 1; k < span.endToken; k++) tags[k] = `I-${span.type}`;
    if (bioes && length(span) === 1) tags[span.startToken] = `S-${span.type}`;
    else if (bioes) tags[span.endToken - 1] = `E-${span.type}`;
  }
  return { tags, spans, issues };
}

function length(span: TokenSpan): number {
  return span.endToken - span.startToken;
}

/**
 * Fragments sorted, those overlapping no token of the sentence dropped, and neighbours with no token between them
 * (whitespace only, as after a brat line-wrap split) joined: the pieces BIO has to represent.
 */
function continuousPieces(tokens: readonly Token[], fragments: readonly Fragment[]): Fragment[] {
  const pieces: Fragment[] = [];
  for (const f of sortedFragments({ fragments: [...fragments] })) {
    if (!charSpanToTokenSpan(tokens, f.start, f.end)) continue;
    const last = pieces[pieces.length - 1];
    if (last && (f.start <= last.end || !charSpanToTokenSpan(tokens, last.end, f.start))) {
      last.end = Math.max(last.end, f.end);
    } else {
      pieces.push({ start: f.start, end: f.end });
    }
  }
  return pieces;
}

export interface BioSpan extends TokenSpan {
  type: string;
  /** Character offsets of the span (from the tokens). */
  start: number;
  end: number;
  /** The span began with an `I-` tag (after `O` or another type) and was repaired into a new entity. */
  repaired: boolean;
}

const TAG = /^([BIES])-(.+)$/su;

/**
 * Spans from BIO or BIOES tags. `B-X` and `S-X` start an entity, `I-X` and `E-X` continue it, and `E-X` and `S-X`
 * end it. Invalid sequences are repaired by the usual convention: `I-X` or `E-X` after `O`, at the start, after
 * an entity's end or after a tag of another type starts a new `X` entity. Throws on a tag that is not `O` or one
 * of `B-*`, `I-*`, `E-*`, `S-*`.
 */
export function decodeBio(tags: readonly string[], tokens: readonly Token[]): BioSpan[] {
  if (tags.length !== tokens.length) {
    throw new RangeError(`decodeBio: ${tags.length} tags for ${tokens.length} tokens`);
  }
  const spans: BioSpan[] = [];
  let open: { type: string; startToken: number; repaired: boolean } | null = null;
  const close = (endToken: number): void => {
    if (!open) return;
    spans.push({
      type: open.type,
      startToken: open.startToken,
      endToken,
      start: tokens[open.startToken].start,
      end: tokens[endToken - 1].end,
      repaired: open.repaired,
    });
    open = null;
  };
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (tag === 'O') {
      close(i);
      continue;
    }
    const m = TAG.exec(tag);
    if (!m) throw new Error(`decodeBio: tag ${JSON.stringify(tag)} at ${i} is not O, B-type or I-type (or E-type, S-type)`);
    const [, prefix, type] = m;
    const continues = prefix === 'I' || prefix === 'E';
    if (!(continues && open !== null && open.type === type)) {
      close(i);
      open = { type, startToken: i, repaired: continues };
    }
    if (prefix === 'E' || prefix === 'S') close(i + 1);
  }
  close(tags.length);
  return spans;
}
