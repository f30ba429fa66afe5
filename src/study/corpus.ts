/**
 * The corpus a study runs on: read from a data directory (any format `loadCorpus` knows) or, without one, the
 * synthetic corpus generated into REPORT_DIR/corpus; optionally cleaned; fingerprinted so run records can tell
 * whether they were made from the same data.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanCorpus } from '../corpus/clean/clean.js';
import { checkCleanLoss } from '../corpus/clean/loss.js';
import { loadCorpus, type LoadedCorpus } from '../corpus/load.js';
import { emptyReport } from '../corpus/read-report.js';
import { withSplitFolders } from '../corpus/split.js';
import { MedrexError } from '../errors.js';
import { writeSynthCorpus } from '../corpus/synth/write.js';
import type { Document } from '../corpus/types.js';
import type { StudyConfig } from './config.js';

/** The cleaning report in REPORT_DIR (same name as `medrex clean` writes). */
export const CLEAN_REPORT_FILE = 'clean-report.json';

export interface StudyCorpus {
  documents: Document[];
  /** The corpus's own folds (ADE), if any. */
  folds?: string[][];
  /** The format it was read in (decides which documents belong together: `documentGroup`). */
  format: string;
  /** Where it came from, for the report. */
  source: string;
  /** What cleaning did (null when off). */
  cleaning: { changes: number; documentsBefore: number; documentsAfter: number } | null;
  hash: string;
}

export async function prepareStudyCorpus(dataDir: string | undefined, reportDir: string, study: StudyConfig): Promise<StudyCorpus> {
  let source: string;
  let path: string;
  if (study.trainData !== undefined && study.testData !== undefined) {
    if (dataDir) {
      throw new MedrexError('give the corpus either as one directory (--data) or as parts (--train/--test), not both', {
        rule: 'study-data-and-parts',
      });
    }
    const report = emptyReport();
    const read = async (p: string) => {
      const loaded = await loadCorpus(p, { lenient: study.lenient });
      report.warnings.push(...loaded.report.warnings);
      return loaded.documents;
    };
    const parts = {
      train: await read(study.trainData),
      test: await read(study.testData),
      dev: study.devData !== undefined ? await read(study.devData) : undefined,
    };
    const documents = withSplitFolders(parts);
    source = `train ${study.trainData}, test ${study.testData}${study.devData ? `, dev ${study.devData}` : ''}`;
    return finishStudyCorpus({ documents, format: 'brat', report }, source, study, reportDir);
  }
  if (dataDir) {
    path = dataDir;
    source = dataDir;
  } else {
    path = join(reportDir, 'corpus');
    // The generator is deterministic, so rewriting on a resumed study gives the very same files.
    const { docs, seed, length } = study.synthetic;
    await writeSynthCorpus(path, { docs, seed, length, split: true, force: true });
    source = `synthetic corpus (${docs} ${length} documents, seed ${seed}), written to ${path}`;
  }
  return finishStudyCorpus(await loadCorpus(path, { lenient: study.lenient }), source, study, reportDir);
}

/** Cleaning (with the loss guard) and the hash. */
function finishStudyCorpus(loaded: LoadedCorpus, source: string, study: StudyConfig, reportDir: string): StudyCorpus {
  let documents = loaded.documents;
  // What the reader skipped or noted is said where the corpus is named (log and report): never silent.
  const skipped = loaded.report.warnings.length;
  if (skipped > 0) {
    const rules = Object.entries(loaded.report.countsByRule).map(([rule, n]) => `${rule} ${n}`).join(', ');
    source += ` (reader warnings: ${rules}; \`medrex stats --lenient\` lists them)`;
  }
  let cleaning: StudyCorpus['cleaning'] = null;
  if (study.clean) {
    const cleaned = cleanCorpus(documents, { disabled: study.cleanDisable });
    checkCleanLoss(
      cleaned.report.loss,
      study.cleanMaxLoss,
      'nothing was trained; add "{rule}" to "cleanDisable" in the study config, or accept the loss with ' +
        '--allow-loss (or a higher "cleanMaxLoss"); `medrex clean` shows every change',
    );
    cleaning = {
      changes: cleaned.report.changes.length,
      documentsBefore: documents.length,
      documentsAfter: cleaned.documents.length,
    };
    documents = cleaned.documents;
    // What cleaning changed, rule by rule, as `medrex clean` reports it.
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(join(reportDir, CLEAN_REPORT_FILE), `${JSON.stringify(cleaned.report, null, 1)}\n`);
  }
  return { documents, folds: loaded.folds, format: loaded.format, source, cleaning, hash: corpusHash(documents) };
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
