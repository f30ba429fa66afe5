/**
 * Document-level rules: empty documents, duplicates (exact and near) and train/test leaks.
 *
 * When the corpus has `train/` and `test/` folders, duplicates are only looked for inside one top-level folder:
 * a copy that spans train and test is a leak, and the leak rule resolves it by dropping the train copy; the
 * duplicate rules must never drop a test document, which would change the benchmark.
 */
import { corpusSplit, splitRoleOf, topFolder } from '../split.js';
import type { Document } from '../types.js';
import type { ChangeLog } from './report.js';
import { createSimilarityIndex, words } from './similarity.js';

function summary(doc: Document): string {
  return `${doc.id} (${doc.text.length} chars, ${doc.entities.length} entities, ${doc.relations.length} relations)`;
}

/** True when the corpus has a train part and a test part (`train/` and `test/`, any case, or the other names of split.ts). */
export function hasTrainTestSplit(documents: readonly Document[]): boolean {
  return corpusSplit(documents.map((d) => d.id)) !== null;
}

/** The group inside which duplicates are looked for: the top folder when there are splits, else the corpus. */
function groupsOf(documents: readonly Document[]): Map<string, number[]> {
  const split = hasTrainTestSplit(documents);
  const groups = new Map<string, number[]>();
  documents.forEach((d, i) => {
    const key = split ? topFolder(d.id) : '';
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

/** Rule `empty-documents`: nothing to learn from, and they skew per-document averages. */
export function dropEmptyDocuments(documents: Document[], log: ChangeLog): Document[] {
  return documents.filter((d) => {
    if (d.text.trim().length > 0) return true;
    log.add({ rule: 'empty-documents', action: 'dropped', document: d.id, before: summary(d), after: '' });
    return false;
  });
}

/** Rule `exact-duplicate-documents`: identical text; the first in corpus order is kept. */
export function dropExactDuplicates(documents: Document[], log: ChangeLog): Document[] {
  const drop = new Set<number>();
  for (const members of groupsOf(documents).values()) {
    const firstByText = new Map<string, Document>();
    for (const i of members) {
      const d = documents[i];
      const kept = firstByText.get(d.text);
      if (kept === undefined) {
        firstByText.set(d.text, d);
        continue;
      }
      drop.add(i);
      log.add({
        rule: 'exact-duplicate-documents',
        action: 'dropped',
        document: d.id,
        before: summary(d),
        after: `same text as ${kept.id}`,
      });
    }
  }
  return documents.filter((_, i) => !drop.has(i));
}

/**
 * Rule `near-duplicate-documents`: each document is compared with the documents kept so far in its group, and
 * dropped when one of them reaches the threshold. Comparing only with kept documents means the kept set has no
 * near-duplicate pair, so cleaning the output again drops nothing. Documents without words are left alone.
 */
export function dropNearDuplicates(documents: Document[], threshold: number, log: ChangeLog): Document[] {
  const drop = new Set<number>();
  for (const members of groupsOf(documents).values()) {
    const index = createSimilarityIndex(threshold);
    for (const i of members) {
      const d = documents[i];
      if (words(d.text).length === 0) continue;
      const fp = index.fingerprint(d.text);
      const best = index.query(fp)[0];
      if (best === undefined) {
        index.add(i, fp);
        continue;
      }
      drop.add(i);
      log.add({
        rule: 'near-duplicate-documents',
        action: 'dropped',
        document: d.id,
        before: summary(d),
        after: `Jaccard ${best.similarity.toFixed(3)} with ${documents[best.item].id}`,
      });
    }
  }
  return documents.filter((_, i) => !drop.has(i));
}

/**
 * Rule `train-test-leak`: a train document whose text is identical to, or at least `threshold` similar to, a
 * test document is dropped (the test set is the benchmark and stays as published).
 */
export function dropTrainTestLeaks(documents: Document[], threshold: number, log: ChangeLog): Document[] {
  if (!hasTrainTestSplit(documents)) return documents;
  const index = createSimilarityIndex(threshold);
  const testByText = new Map<string, Document>();
  documents.forEach((d, i) => {
    if (splitRoleOf(d.id) !== 'test' || d.text.trim().length === 0) return;
    if (!testByText.has(d.text)) testByText.set(d.text, d);
    if (words(d.text).length > 0) index.add(i, index.fingerprint(d.text));
  });
  return documents.filter((d) => {
    // Blank documents are the business of `empty-documents`, not leaks.
    if (splitRoleOf(d.id) !== 'train' || d.text.trim().length === 0) return true;
    const same = testByText.get(d.text);
    let why: string | undefined;
    if (same !== undefined) why = `same text as ${same.id}`;
    else if (words(d.text).length > 0) {
      const best = index.query(index.fingerprint(d.text))[0];
      if (best !== undefined) why = `Jaccard ${best.similarity.toFixed(3)} with ${documents[best.item].id}`;
    }
    if (why === undefined) return true;
    log.add({ rule: 'train-test-leak', action: 'dropped', document: d.id, before: summary(d), after: why });
    return false;
  });
}
