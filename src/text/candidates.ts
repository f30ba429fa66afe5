/**
 * Relation candidates: the ordered entity pairs a relation classifier is asked about. A pair is a candidate when
 * its argument types were seen as a relation's (arg1, arg2) in training data and its entities lie close enough in
 * sentences. Nothing here knows a label set: directions and same-type pairs come from the data.
 */
import type { Document } from '../corpus/types.js';
import { MedrexError } from '../errors.js';
import { prepareDocument, type PrepareOptions, type PreparedDocument, type PreparedEntity } from './prepare.js';

export interface ArgTypePair {
  arg1Type: string;
  arg2Type: string;
  relationType: string;
  /** How many relations in the data had these argument types. */
  count: number;
}

/** Every (arg1 type, arg2 type, relation type) seen in the documents, most frequent first. */
export function learnArgTypePairs(documents: readonly Document[]): ArgTypePair[] {
  const counts = new Map<string, ArgTypePair>();
  for (const doc of documents) {
    const typeOf = new Map(doc.entities.map((e) => [e.id, e.type]));
    for (const rel of doc.relations) {
      const arg1Type = typeOf.get(rel.arg1);
      const arg2Type = typeOf.get(rel.arg2);
      // A relation to a missing entity is a corpus error the readers report; here it teaches nothing.
      if (arg1Type === undefined || arg2Type === undefined) continue;
      const key = [arg1Type, arg2Type, rel.type].join('\u0000');
      const pair = counts.get(key);
      if (pair) pair.count++;
      else counts.set(key, { arg1Type, arg2Type, relationType: rel.type, count: 1 });
    }
  }
  return [...counts.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.relationType.localeCompare(b.relationType) ||
      a.arg1Type.localeCompare(b.arg1Type) ||
      a.arg2Type.localeCompare(b.arg2Type),
  );
}

export interface CandidateOptions {
  /** 1: both entities in one sentence; 2: in the same or adjacent sentences; and so on. */
  windowSentences: number;
  argTypePairs: readonly Pick<ArgTypePair, 'arg1Type' | 'arg2Type' | 'relationType'>[];
}

export interface RelationCandidate {
  arg1: PreparedEntity;
  arg2: PreparedEntity;
  /** Relation types seen with these argument types, most frequent first (as `argTypePairs` is ordered). */
  relationTypes: string[];
  /** |sentence(arg1) - sentence(arg2)|. */
  sentenceDistance: number;
}

function checkWindow(windowSentences: number): void {
  if (!Number.isInteger(windowSentences) || windowSentences < 1) {
    throw new MedrexError(`the sentence window must be a whole number of at least 1, not ${windowSentences}`, {
      rule: 'window-sentences',
    });
  }
}

/**
 * Ordered pairs (arg1, arg2) of distinct entities whose types match a learned pair and whose sentences are at most
 * `windowSentences - 1` apart, in document order of arg1 then arg2.
 */
export function relationCandidates(prepared: PreparedDocument, options: CandidateOptions): RelationCandidate[] {
  checkWindow(options.windowSentences);
  const typesOf = new Map<string, string[]>();
  for (const p of options.argTypePairs) {
    const key = `${p.arg1Type}\u0000${p.arg2Type}`;
    const list = typesOf.get(key);
    if (!list) typesOf.set(key, [p.relationType]);
    else if (!list.includes(p.relationType)) list.push(p.relationType);
  }
  const maxDistance = options.windowSentences - 1;
  // Sorting by sentence lets the inner loop stop at the window's edge instead of visiting every pair.
  const placed = prepared.entities.filter((e) => e.sentence >= 0);
  const bySentence = [...placed].sort((a, b) => a.sentence - b.sentence);
  const candidates: RelationCandidate[] = [];
  for (const arg1 of placed) {
    let k = lowerBound(bySentence, arg1.sentence - maxDistance);
    for (; k < bySentence.length && bySentence[k].sentence <= arg1.sentence + maxDistance; k++) {
      const arg2 = bySentence[k];
      if (arg2 === arg1) continue;
      const relationTypes = typesOf.get(`${arg1.entity.type}\u0000${arg2.entity.type}`);
      if (!relationTypes) continue;
      candidates.push({
        arg1,
        arg2,
        relationTypes,
        sentenceDistance: Math.abs(arg1.sentence - arg2.sentence),
      });
    }
  }
  const order = new Map(prepared.entities.map((e, i) => [e, i]));
  candidates.sort((a, b) => order.get(a.arg1)! - order.get(b.arg1)! || order.get(a.arg2)! - order.get(b.arg2)!);
  return candidates;
}

function lowerBound(entities: readonly PreparedEntity[], sentence: number): number {
  let lo = 0;
  let hi = entities.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entities[mid].sentence < sentence) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface RecallCounts {
  gold: number;
  kept: number;
  /** kept / gold (1 when there is no gold relation). */
  recall: number;
}

export interface CandidateRecallReport extends RecallCounts {
  windowSentences: number;
  /** Candidate pairs generated. */
  candidates: number;
  /** Candidates that are a gold relation's (arg1, arg2). */
  positives: number;
  /** Candidates that are not: the negatives a classifier trains on. */
  negatives: number;
  /** Gold relations whose argument ids name no entity (not counted in `gold`). */
  unresolvedRelations: number;
  byType: Record<string, RecallCounts>;
}

/**
 * The share of gold relations the window keeps as candidates (per relation type and overall), and how many
 * candidates it makes. Argument type pairs are learned from the same documents unless given.
 */
export function candidateRecall(
  documents: readonly Document[],
  windowSentences: number,
  options: PrepareOptions & { argTypePairs?: CandidateOptions['argTypePairs'] } = {},
): CandidateRecallReport {
  const prepared = documents.map((d) => prepareDocument(d, options));
  return candidateRecallOfPrepared(prepared, windowSentences, options.argTypePairs ?? learnArgTypePairs(documents));
}

/** As `candidateRecall`, on prepared documents with given argument type pairs. */
export function candidateRecallOfPrepared(
  prepared: readonly PreparedDocument[],
  windowSentences: number,
  argTypePairs: CandidateOptions['argTypePairs'],
): CandidateRecallReport {
  const report: CandidateRecallReport = {
    windowSentences,
    gold: 0,
    kept: 0,
    recall: 1,
    candidates: 0,
    positives: 0,
    negatives: 0,
    unresolvedRelations: 0,
    byType: {},
  };
  for (const doc of prepared) {
    const candidates = relationCandidates(doc, { windowSentences, argTypePairs });
    const offered = new Map<string, Set<string>>();
    for (const c of candidates) offered.set(pairKey(c.arg1.entity.id, c.arg2.entity.id), new Set(c.relationTypes));
    const goldPairs = new Set<string>();
    for (const rel of doc.document.relations) {
      if (!doc.byId.has(rel.arg1) || !doc.byId.has(rel.arg2)) {
        report.unresolvedRelations++;
        continue;
      }
      const key = pairKey(rel.arg1, rel.arg2);
      goldPairs.add(key);
      const counts = (report.byType[rel.type] ??= { gold: 0, kept: 0, recall: 1 });
      counts.gold++;
      report.gold++;
      if (offered.get(key)?.has(rel.type)) {
        counts.kept++;
        report.kept++;
      }
    }
    report.candidates += candidates.length;
    for (const key of offered.keys()) if (goldPairs.has(key)) report.positives++;
  }
  report.negatives = report.candidates - report.positives;
  report.recall = ratio(report.kept, report.gold);
  for (const counts of Object.values(report.byType)) counts.recall = ratio(counts.kept, counts.gold);
  return report;
}

function pairKey(arg1: string, arg2: string): string {
  return `${arg1}\u0000${arg2}`;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole;
}
