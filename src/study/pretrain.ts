/**
 * Fold-safe in-domain pretraining for the study: one word-vector file per fold, trained on text that fold's model
 * may see and nothing else.
 *
 * A fold's text is its training documents (dev included: they are not test data) plus the unlabelled sources —
 * the corpus folder itself (for ADE that adds `ADE-NEG.txt`, the sentences without an adverse effect) and any
 * `pretrain.text` paths — minus every unit of a test document's *group*: for ADE the whole PubMed article, so that
 * no sentence of a test abstract, labelled or not, shapes the vectors the model is tested with. The vectors are
 * cached in REPORT_DIR/vectors/ (written whole, then renamed), so a resumed study does not pretrain again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs, writeFileAtomic } from '../atomic-write.js';
import type { Document } from '../corpus/types.js';
import { documentGroup, readTextUnits, type TextUnit } from '../corpus/unlabelled.js';
import { defaultConfig } from '../models/config.js';
import { pretrainWordVectors } from '../models/pretrain/index.js';
import type { StudyConfig } from './config.js';
import type { SplitPlan } from './folds.js';

/** Where a fold's vectors live (the run configs name this file). */
export function foldVectorsPath(reportDir: string, fold: number): string {
  return join(reportDir, 'vectors', `${fold < 0 ? 'test' : `fold${fold}`}.txt`);
}

export interface FoldPretraining {
  fold: number;
  units: number;
  excludedUnits: number;
  words: number;
  tokens: number;
  seconds: number;
}

/**
 * Write the vectors of every fold that has none yet. `dataDir` (the corpus folder, when there is one) is read as
 * an unlabelled source when `study.pretrain.includeCorpusFolder` is set; otherwise the training documents' own text
 * is used. Returns what was trained (empty when every file already existed).
 */
export async function prepareFoldVectors(
  reportDir: string,
  study: StudyConfig,
  split: SplitPlan,
  corpus: { documents: readonly Document[]; format: string; dataDir?: string },
  log: (line: string) => void = () => undefined,
): Promise<FoldPretraining[]> {
  const options = study.pretrain;
  if (!options.enabled) return [];
  const todo = split.splits.filter((s) => !existsSync(foldVectorsPath(reportDir, s.fold)));
  if (todo.length === 0) return [];
  const byId = new Map(corpus.documents.map((d) => [d.id, d]));
  const folderUnits: TextUnit[] = options.includeCorpusFolder && corpus.dataDir ? await readTextUnits([corpus.dataDir]) : [];
  const extraUnits = options.text.length > 0 ? await readTextUnits(options.text) : [];
  const defaults = defaultConfig();
  const normalize = { lowercase: defaults.lowercase, normalizeDigits: defaults.normalizeDigits };
  const done: FoldPretraining[] = [];
  makeDirs(join(reportDir, 'vectors'));
  for (const s of todo) {
    const testIds = new Set(s.testIds);
    const testGroups = new Set(s.testIds.map((id) => documentGroup(id, corpus.format)));
    const safe = (u: TextUnit) => !testIds.has(u.id) && !testGroups.has(u.group);
    // The corpus folder already holds the training documents' text; without it, use the documents themselves.
    const own: TextUnit[] =
      folderUnits.length > 0
        ? folderUnits
        : s.trainIds.flatMap((id) => {
            const d = byId.get(id);
            return d ? [{ id, group: documentGroup(id, corpus.format), text: d.text }] : [];
          });
    const candidates = [...own, ...extraUnits];
    const units = candidates.filter(safe);
    const started = performance.now();
    const { result, file } = pretrainWordVectors(units, normalize, {
      dim: options.dim, epochs: options.epochs, minCount: options.minCount, seed: options.seed,
    });
    const path = foldVectorsPath(reportDir, s.fold);
    writeFileAtomic(path, file);
    const record: FoldPretraining = {
      fold: s.fold,
      units: units.length,
      excludedUnits: candidates.length - units.length,
      words: result.words.length,
      tokens: result.tokens,
      seconds: (performance.now() - started) / 1000,
    };
    log(
      `pretrain: fold ${s.fold}: ${record.words} vectors from ${record.units} text units (${record.tokens} tokens; ` +
        `${record.excludedUnits} units of test documents' groups left out) in ${record.seconds.toFixed(0)} s`,
    );
    done.push(record);
  }
  return done;
}
