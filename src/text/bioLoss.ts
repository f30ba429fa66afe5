/**
 * What BIO tagging loses on a corpus: encode every sentence, decode the tags, and count the gold entities that come
 * back exactly, with every entity that does not hold exactly counted under its reasons.
 */
import { outerSpan, type Document } from '../corpus/types.js';
import { BIO_ISSUE_REASONS, bioHandling, decodeBio, encodeBio, type BioIssueReason, type BioOptions } from './bio.js';
import { entitiesBySentence, prepareDocument, type PrepareOptions, type PreparedDocument } from './prepare.js';

export interface BioLossTypeCounts {
  entities: number;
  /** Decoded with the same type and exactly the same (single, continuous) character span. */
  recoveredExactly: number;
  /** Decoded with the same type and the entity's outer span (what the n2c2 scorer compares). */
  recoveredOuterSpan: number;
}

export interface BioLossReason {
  /** Entities with this issue (an entity may have several). */
  entities: number;
  byType: Record<string, number>;
  /** What the encoder does about it under the policies used. */
  handling: string;
}

export interface BioLossReport extends BioLossTypeCounts {
  /** recoveredExactly / entities (1 for an empty corpus). */
  exactRecall: number;
  policies: Required<BioOptions> & { crossSentence: string };
  byType: Record<string, BioLossTypeCounts>;
  byReason: Record<BioIssueReason, BioLossReason>;
}

export function bioLoss(documents: readonly Document[], options: BioOptions & PrepareOptions = {}): BioLossReport {
  return bioLossOfPrepared(
    documents.map((d) => prepareDocument(d, options)),
    options,
  );
}

/** As `bioLoss`, on documents already prepared (their cross-sentence policy is the one reported). */
export function bioLossOfPrepared(prepared: readonly PreparedDocument[], options: BioOptions = {}): BioLossReport {
  const policies = {
    discontinuous: options.discontinuous ?? 'outer',
    overlap: options.overlap ?? 'longer',
    crossSentence: prepared[0]?.crossSentence ?? 'merge',
  } as const;
  const report: BioLossReport = {
    entities: 0,
    recoveredExactly: 0,
    recoveredOuterSpan: 0,
    exactRecall: 1,
    policies,
    byType: {},
    byReason: Object.fromEntries(
      BIO_ISSUE_REASONS.map((r) => [r, { entities: 0, byType: {}, handling: bioHandling(r, policies, policies.crossSentence) }]),
    ) as Record<BioIssueReason, BioLossReason>,
  };

  for (const doc of prepared) {
    const groups = entitiesBySentence(doc);
    const reasons = new Map<string, Set<BioIssueReason>>();
    const decodedKeys = new Set<string>();
    groups.forEach((group, s) => {
      const tokens = doc.sentences[s].tokens;
      const encoding = encodeBio(
        tokens,
        group.map((e) => ({ id: e.entity.id, type: e.entity.type, fragments: e.fragments })),
        options,
      );
      for (const issue of encoding.issues) addReason(reasons, issue.entityId, issue.reason);
      for (const span of decodeBio(encoding.tags, tokens)) decodedKeys.add(spanKey(span.type, span.start, span.end));
    });

    for (const e of doc.entities) {
      const { type, id } = e.entity;
      if (e.crossedBoundary) addReason(reasons, id, 'cross-sentence');
      if (e.sentence < 0) addReason(reasons, id, 'no-token');
      const counts = (report.byType[type] ??= { entities: 0, recoveredExactly: 0, recoveredOuterSpan: 0 });
      counts.entities++;
      report.entities++;
      if (e.fragments.length > 0) {
        const outer = outerSpan({ fragments: e.fragments });
        const outerKey = spanKey(type, outer.start, outer.end);
        if (e.fragments.length === 1 && decodedKeys.has(outerKey)) {
          counts.recoveredExactly++;
          report.recoveredExactly++;
        }
        if (decodedKeys.has(outerKey)) {
          counts.recoveredOuterSpan++;
          report.recoveredOuterSpan++;
        }
      }
      for (const reason of reasons.get(id) ?? []) {
        const r = report.byReason[reason];
        r.entities++;
        r.byType[type] = (r.byType[type] ?? 0) + 1;
      }
    }
  }
  report.exactRecall = report.entities === 0 ? 1 : report.recoveredExactly / report.entities;
  return report;
}

function addReason(reasons: Map<string, Set<BioIssueReason>>, entityId: string, reason: BioIssueReason): void {
  let set = reasons.get(entityId);
  if (!set) reasons.set(entityId, (set = new Set()));
  set.add(reason);
}

function spanKey(type: string, start: number, end: number): string {
  return `${type}\u0000${start}\u0000${end}`;
}
