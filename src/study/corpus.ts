/**
 * The corpus a study runs on: read from a data directory (any format `loadCorpus` knows) or, without one, the
 * synthetic corpus generated into REPORT_DIR/corpus; optionally cleaned; fingerprinted so run records can tell
 * whether they were made from the same data.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cleanCorpus } from '../corpus/clean/clean.js';
import { loadCorpus } from '../corpus/load.js';
import { writeSynthCorpus } from '../corpus/synth/write.js';
import type { Document } from '../corpus/types.js';
import type { StudyConfig } from './config.js';

export interface StudyCorpus {
  documents: Document[];
  /** The corpus's own folds (ADE), if any. */
  folds?: string[][];
  /** Where it came from, for the report. */
  source: string;
  /** What cleaning did (null when off). */
  cleaning: { changes: number; documentsBefore: number; documentsAfter: number } | null;
  hash: string;
}

export async function prepareStudyCorpus(dataDir: string | undefined, reportDir: string, study: StudyConfig): Promise<StudyCorpus> {
  let source: string;
  let path: string;
  if (dataDir) {
    path = dataDir;
    source = dataDir;
  } else {
    path = join(reportDir, 'corpus');
    // The generator is deterministic, so rewriting on a resumed study gives the very same files.
    await writeSynthCorpus(path, { docs: study.synthetic.docs, seed: study.synthetic.seed, split: true, force: true });
    source = `synthetic corpus (${study.synthetic.docs} documents, seed ${study.synthetic.seed}), written to ${path}`;
  }
  const loaded = await loadCorpus(path);
  let documents = loaded.documents;
  let cleaning: StudyCorpus['cleaning'] = null;
  if (study.clean) {
    const cleaned = cleanCorpus(documents);
    cleaning = {
      changes: cleaned.report.changes.length,
      documentsBefore: documents.length,
      documentsAfter: cleaned.documents.length,
    };
    documents = cleaned.documents;
  }
  return { documents, folds: loaded.folds, source, cleaning, hash: corpusHash(documents) };
}

/** SHA-256 of what training and scoring read: ids, texts, entity spans and types, relations; order-independent. */
export function corpusHash(documents: readonly Document[]): string {
  const hash = createHash('sha256');
  const sorted = [...documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const d of sorted) {
    hash.update(JSON.stringify([
      d.id,
      d.text,
      d.entities.map((e) => [e.id, e.type, e.fragments.map((f) => [f.start, f.end])]),
      d.relations.map((r) => [r.type, r.arg1, r.arg2]),
    ]));
    hash.update('\n');
  }
  return hash.digest('hex');
}
