/**
 * The whole study, end to end: prepare the corpus, run (or resume) every run, collect the records that belong to
 * this study, and write the report. `medrex study` is a thin shell over `conductStudy`.
 */
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Document } from '../corpus/types.js';
import type { StudyConfig } from './config.js';
import { prepareStudyCorpus } from './corpus.js';
import { forkExecutor } from './fork-executor.js';
import type { JobExecutor } from './job.js';
import { prepareFoldVectors } from './pretrain.js';
import { RUNS_DIR, readAllRecords } from './record.js';
import { writeReport, type WrittenReport } from './report/index.js';
import { codeVersion as currentCodeVersion, planStudy, runStudy, type RunStudyResult } from './runner.js';

export interface ConductOptions {
  study: StudyConfig;
  /** Corpus path; absent: the synthetic corpus generated into REPORT_DIR/corpus. */
  dataDir?: string;
  reportDir: string;
  /** Only rebuild the report from the records already there. */
  reportOnly?: boolean;
  /** Print the poster PDF and screenshots with Chromium when present (default true). */
  browser?: boolean;
  /** Default: each run in a child process. */
  execute?: JobExecutor;
  progress?: boolean | 'auto';
  log?: (line: string) => void;
}

export interface ConductResult {
  run: RunStudyResult | null;
  report: WrittenReport;
  plannedRuns: number;
  usedRecords: number;
}

export async function conductStudy(options: ConductOptions): Promise<ConductResult> {
  const { study, reportDir } = options;
  const log = options.log ?? (() => undefined);
  mkdirSync(reportDir, { recursive: true });
  const corpus = await prepareStudyCorpus(options.dataDir, reportDir, study);
  log(`corpus: ${corpus.source}: ${corpus.documents.length} documents${corpus.cleaning ? ` after cleaning (${corpus.cleaning.changes} changes)` : ''}`);
  const version = currentCodeVersion();
  const info = { corpusHash: corpus.hash, codeVersion: version, corpusFolds: corpus.folds, corpusFormat: corpus.format, reportDir };
  const plan = planStudy(corpus.documents, study, info);
  log(`plan: ${plan.specs.length} runs; ${plan.split.description}`);
  if (!options.reportOnly) {
    await prepareFoldVectors(reportDir, study, plan.split, { ...corpus, dataDir: options.dataDir }, log);
  }

  const run = options.reportOnly
    ? null
    : await runStudy({
        reportDir,
        study,
        documents: corpus.documents,
        corpusHash: corpus.hash,
        corpusFolds: corpus.folds,
        corpusFormat: corpus.format,
        execute: options.execute ?? forkExecutor(),
        progress: options.progress,
        log,
        codeVersion: version,
      });

  // Only records of this study's runs, made from this corpus and these specs, count.
  const wanted = new Map(plan.specs.map((s) => [s.id, s.specKey]));
  const { records: all, invalid } = readAllRecords(reportDir);
  const records = all.filter((r) => wanted.get(r.id) === r.specKey && r.corpusHash === corpus.hash);
  // A record of a planned run made with another spec is left out; say so, since the usual cause is a rerun
  // (often --report-only) without the first run's --threads or --backend, which are part of the spec.
  const otherSpec = all.filter((r) => wanted.has(r.id) && !records.includes(r)).length;
  if (otherSpec > 0) {
    log(
      `note: ${otherSpec} record${otherSpec === 1 ? '' : 's'} in ${RUNS_DIR}/ of planned runs ${otherSpec === 1 ? 'was' : 'were'} made with another corpus or run spec and ${otherSpec === 1 ? 'is' : 'are'} not used; ` +
        'give the same config, data, --threads and --backend as the run that made them',
    );
  }
  const report = await writeReport(
    reportDir,
    {
      generatedAt: new Date().toISOString(),
      codeVersion: version,
      corpus: {
        source: corpus.source,
        documents: corpus.documents.length,
        hash: corpus.hash,
        cleaning: corpus.cleaning,
        format: corpus.format,
        name: options.dataDir ? basename(resolve(options.dataDir)) : 'synthetic n2c2-style corpus',
        synthetic: !options.dataDir,
        ...countTypes(corpus.documents),
      },
      splitDescription: plan.split.description,
      study,
      plannedRuns: plan.specs.length,
      completedRuns: records.length,
      failed: run?.failed ?? [],
      invalidRecords: invalid,
    },
    records,
    { browser: options.browser },
  );
  return { run, report, plannedRuns: plan.specs.length, usedRecords: records.length };
}

/** Entities and relations by type, most frequent first. */
export function countTypes(documents: readonly Document[]): { entityTypes: Record<string, number>; relationTypes: Record<string, number> } {
  const count = (types: string[]): Record<string, number> => {
    const counts = new Map<string, number>();
    for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
    return Object.fromEntries([...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)));
  };
  return {
    entityTypes: count(documents.flatMap((d) => d.entities.map((e) => e.type))),
    relationTypes: count(documents.flatMap((d) => d.relations.map((r) => r.type))),
  };
}
