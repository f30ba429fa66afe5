/**
 * The study runner: plan every (configuration, split, seed) run, skip those whose record already exists and is
 * valid (so a stopped study resumes where it stopped), execute the rest (each in a child process by default),
 * with a progress bar over runs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { serializeJsonCorpus } from '../corpus/json.js';
import type { Document } from '../corpus/types.js';
import { medrexVersion } from '../models/model.js';
import { modelConfigFor, type StudyConfig } from './config.js';
import { documentGroup } from '../corpus/unlabelled.js';
import { holdOutDev, planSplits, type SplitPlan } from './folds.js';
import { foldVectorsPath } from './pretrain.js';
import type { JobExecutor } from './job.js';
import { hasValidRecord } from './record.js';
import type { RunSpec } from './run-one.js';

export const WORK_DIR = 'work';
export const CORPUS_FILE = 'corpus.json';

export interface StudyPlan {
  split: SplitPlan;
  specs: RunSpec[];
}

/** Every run of a study, in the order they are executed (split, then seed, then configuration). */
export function planStudy(
  documents: readonly Document[],
  study: StudyConfig,
  info: {
    corpusHash: string;
    codeVersion: string;
    corpusFolds?: readonly (readonly string[])[];
    corpusFormat?: string;
    /** Where the study's per-fold pretrained vectors are (needed when `study.pretrain.enabled`). */
    reportDir?: string;
  },
): StudyPlan {
  const groupOf = (id: string): string => documentGroup(id, info.corpusFormat ?? '');
  const split = planSplits(documents.map((d) => d.id), {
    k: study.folds,
    useTestSet: study.useTestSet,
    useCorpusFolds: study.useCorpusFolds,
    corpusFolds: info.corpusFolds,
    groupOf,
  });
  const specs: RunSpec[] = [];
  for (const s of split.splits) {
    // Dev documents come in whole groups (an ADE article's sentences), like the test folds.
    const dev = s.devIds ?? holdOutDev(s.trainIds, study.devShare, groupOf).dev;
    for (const seed of study.seeds) {
      for (const configuration of study.configurations) {
        let modelConfig = modelConfigFor(study, configuration, seed);
        if (study.pretrain.enabled) {
          if (!info.reportDir) throw new Error('planStudy: pretraining needs the report folder');
          modelConfig = { ...modelConfig, pretrainedVectors: foldVectorsPath(info.reportDir, s.fold) };
        }
        const foldName = s.fold < 0 ? 'test' : `fold${s.fold}`;
        const what = {
          configuration, modelConfig, fold: s.fold, seed, threads: study.threads, backend: study.backend, trainIds: s.trainIds, devIds: dev, testIds: s.testIds,
        };
        specs.push({
          id: `${configuration.name}--${foldName}--seed${seed}`,
          specKey: createHash('sha256').update(JSON.stringify(what)).digest('hex'),
          ...what,
          corpusHash: info.corpusHash,
          codeVersion: info.codeVersion,
        });
      }
    }
  }
  return { split, specs };
}

/** `0.1.0+abc1234` when git can tell the commit, else the package version. */
export function codeVersion(): string {
  const version = medrexVersion();
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    return commit ? `${version}+${commit}` : version;
  } catch {
    return version;
  }
}

export interface RunStudyOptions {
  reportDir: string;
  study: StudyConfig;
  documents: readonly Document[];
  corpusHash: string;
  corpusFolds?: readonly (readonly string[])[];
  /** The corpus's format (`documentGroup`: which documents go to one side of a dev split together). */
  corpusFormat?: string;
  execute: JobExecutor;
  /** Progress bar on stderr: `auto` shows it only on a terminal. */
  progress?: boolean | 'auto';
  /** One line per finished, skipped or failed run (default: nothing). */
  log?: (line: string) => void;
  codeVersion?: string;
}

export interface RunStudyResult {
  plan: StudyPlan;
  /** Runs whose valid record was already there. */
  skipped: string[];
  completed: string[];
  failed: { id: string; error: string }[];
}

export async function runStudy(options: RunStudyOptions): Promise<RunStudyResult> {
  const { reportDir, study } = options;
  const log = options.log ?? (() => undefined);
  const plan = planStudy(options.documents, study, {
    corpusHash: options.corpusHash,
    codeVersion: options.codeVersion ?? codeVersion(),
    corpusFolds: options.corpusFolds,
    corpusFormat: options.corpusFormat,
    reportDir,
  });
  const corpusPath = writeStudyCorpus(reportDir, options.documents);

  const skipped: string[] = [];
  const todo: RunSpec[] = [];
  for (const spec of plan.specs) {
    if (hasValidRecord(reportDir, spec.id, spec.specKey, spec.corpusHash)) skipped.push(spec.id);
    else todo.push(spec);
  }
  if (skipped.length > 0) log(`resuming: ${skipped.length} of ${plan.specs.length} runs already have a record`);

  const showBar = options.progress === true || (options.progress !== false && Boolean(process.stderr.isTTY));
  const bar = showBar
    ? new cliProgress.SingleBar(
        { format: 'study |{bar}| {value}/{total} runs  {last}', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(plan.specs.length, skipped.length, { last: '' });

  const completed: string[] = [];
  const failed: { id: string; error: string }[] = [];
  let next = 0;
  // A small pool: `parallel` workers each take the next spec until none is left.
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const spec = todo[next++];
      const started = performance.now();
      const reply = await options.execute({ spec, corpusPath, reportDir });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (reply.ok) {
        completed.push(spec.id);
        log(`done ${spec.id} (${seconds} s)`);
      } else {
        failed.push({ id: spec.id, error: reply.error });
        log(`FAILED ${spec.id} (${seconds} s): ${reply.error.split('\n')[0]}`);
      }
      bar?.increment({ last: `${reply.ok ? 'done' : 'FAILED'} ${spec.id}` });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(study.parallel, Math.max(todo.length, 1)) }, worker));
  } finally {
    bar?.stop();
  }
  return { plan, skipped, completed, failed };
}

/** The (cleaned) study corpus as one medrex JSON file for the children to read, written atomically. */
function writeStudyCorpus(reportDir: string, documents: readonly Document[]): string {
  const dir = join(reportDir, WORK_DIR);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, CORPUS_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, serializeJsonCorpus(documents));
  renameSync(temp, path);
  return path;
}
