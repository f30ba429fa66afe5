/**
 * Corpus statistics (the core of `medrex stats`): sizes, label counts, span lengths, what is hard about the
 * annotations (discontinuous, overlapping, cross-sentence), what BIO loses and what candidate windows keep. The
 * result is one plain JSON-serialisable object.
 */
import { forEachOverlap } from './overlaps.js';
import type { Document } from '../corpus/types.js';
import type { BioOptions } from './bio.js';
import { bioLossOfPrepared, type BioLossReport } from './bioLoss.js';
import { candidateRecallOfPrepared, learnArgTypePairs, type CandidateRecallReport } from './candidates.js';
import { prepareDocument, type PrepareOptions, type PreparedDocument } from './prepare.js';

export interface LengthSummary {
  mean: number;
  median: number;
  max: number;
}

export interface CountByType {
  count: number;
  byType: Record<string, number>;
}

export interface CorpusStats {
  documents: number;
  sentences: number;
  tokens: number;
  entities: Record<string, number>;
  relations: Record<string, number>;
  /** Per entity type; an entity's length is the sum over its fragments (text between fragments not counted). */
  spanLengths: Record<string, { tokens: LengthSummary; characters: LengthSummary }>;
  /** Entities with non-whitespace text between their fragments. */
  discontinuousEntities: CountByType;
  /** Entities sharing at least one character with another entity of the same document. */
  overlappingEntities: CountByType;
  /** Entities the sentence splitter cut (before the cross-sentence policy applied). */
  crossSentenceEntities: CountByType;
  /** Relations whose two arguments lie in different sentences, with their share of all (resolved) relations. */
  crossSentenceRelations: {
    count: number;
    share: number;
    byType: Record<string, { count: number; share: number }>;
  };
  bioLoss: BioLossReport;
  /** Candidate recall for sentence windows 1, 2 and 3. */
  candidateRecall: CandidateRecallReport[];
}

export const STATS_WINDOWS = [1, 2, 3] as const;

export function corpusStats(documents: readonly Document[], options: PrepareOptions & BioOptions = {}): CorpusStats {
  const prepared = documents.map((d) => prepareDocument(d, options));
  const argTypePairs = learnArgTypePairs(documents);
  const tokenLengths: Record<string, number[]> = {};
  const charLengths: Record<string, number[]> = {};
  const stats: CorpusStats = {
    documents: documents.length,
    sentences: 0,
    tokens: 0,
    entities: {},
    relations: {},
    spanLengths: {},
    discontinuousEntities: { count: 0, byType: {} },
    overlappingEntities: { count: 0, byType: {} },
    crossSentenceEntities: { count: 0, byType: {} },
    crossSentenceRelations: { count: 0, share: 0, byType: {} },
    bioLoss: bioLossOfPrepared(prepared, options),
    candidateRecall: STATS_WINDOWS.map((w) => candidateRecallOfPrepared(prepared, w, argTypePairs)),
  };
  const relationTotals: Record<string, number> = {};

  for (const doc of prepared) {
    stats.sentences += doc.sentences.length;
    for (const s of doc.sentences) stats.tokens += s.tokens.length;
    const overlapping = overlappingEntityIds(doc);
    for (const e of doc.entities) {
      const type = e.entity.type;
      increment(stats.entities, type);
      (tokenLengths[type] ??= []).push(e.placed.reduce((n, p) => n + (p ? p.endToken - p.startToken : 0), 0));
      (charLengths[type] ??= []).push(e.fragments.reduce((n, f) => n + f.end - f.start, 0));
      if (e.fragments.length > 1) countType(stats.discontinuousEntities, type);
      if (overlapping.has(e.entity.id)) countType(stats.overlappingEntities, type);
      if (e.crossedBoundary) countType(stats.crossSentenceEntities, type);
    }
    for (const rel of doc.document.relations) {
      increment(stats.relations, rel.type);
      const a1 = doc.byId.get(rel.arg1);
      const a2 = doc.byId.get(rel.arg2);
      if (!a1 || !a2) continue;
      increment(relationTotals, rel.type);
      if (a1.sentence !== a2.sentence) {
        stats.crossSentenceRelations.count++;
        const byType = (stats.crossSentenceRelations.byType[rel.type] ??= { count: 0, share: 0 });
        byType.count++;
      }
    }
  }

  for (const type of Object.keys(tokenLengths)) {
    stats.spanLengths[type] = { tokens: summarise(tokenLengths[type]), characters: summarise(charLengths[type]) };
  }
  const resolved = Object.values(relationTotals).reduce((a, b) => a + b, 0);
  stats.crossSentenceRelations.share = resolved === 0 ? 0 : stats.crossSentenceRelations.count / resolved;
  for (const [type, counts] of Object.entries(stats.crossSentenceRelations.byType)) {
    counts.share = counts.count / relationTotals[type];
  }
  return stats;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function countType(target: CountByType, type: string): void {
  target.count++;
  increment(target.byType, type);
}

/** Mean, median (mean of the middle two for an even count) and max; all 0 for no values. */
export function summarise(values: readonly number[]): LengthSummary {
  if (values.length === 0) return { mean: 0, median: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { mean, median, max: sorted[sorted.length - 1] };
}

/** Ids of entities that share a character with another entity. */
function overlappingEntityIds(doc: PreparedDocument): Set<string> {
  const ids = new Set<string>();
  forEachOverlap(doc.entities, (e) => e.fragments, (a, b) => {
    ids.add(a.entity.id);
    ids.add(b.entity.id);
  });
  return ids;
}
