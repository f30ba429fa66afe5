/**
 * `medrex study`: the parameter-sharing study (cross-validated runs of each configuration, significance tests,
 * report and poster). Logic lives in src/study.
 */
import type { Command } from 'commander';
import { MedrexError } from '../../errors.js';
import { defaultStudyConfig, loadStudyConfigFile, type StudyConfig } from '../../study/config.js';
import { conductStudy } from '../../study/study.js';
import { claimOutputFolder } from '../../output-folder.js';
import { parseBackend, parseThreads } from '../run-settings.js';
import { LENIENT_HELP } from '../corpus-input.js';
import { parseMaxLoss } from './clean.js';

/** What a study writes in --out (src/study: records, work files, the corpus it generates, the report). */
const STUDY_OUTPUTS = ['runs/', 'work/', 'corpus/', 'report.md', 'report.html', 'results.json', 'poster.html', 'poster.pdf', 'poster.png', 'report.png'];

interface StudyFlags {
  data?: string;
  config?: string;
  out: string;
  reportOnly?: boolean;
  browser: boolean;
  progress: boolean;
  queue?: string;
  queueName?: string;
  status?: boolean;
  threads?: string;
  backend?: string;
  maxLoss?: string;
  allowLoss?: boolean;
  train?: string;
  test?: string;
  dev?: string;
  lenient?: boolean;
}

/** --threads / --backend on top of the config file's `threads` / `backend`. */
function withRunSettings(study: StudyConfig, flags: StudyFlags): StudyConfig {
  return {
    ...study,
    threads: flags.threads === undefined ? study.threads : parseThreads(flags.threads, 'study-bad-flag'),
    backend: flags.backend === undefined ? study.backend : parseBackend(flags.backend, 'study-bad-flag'),
    ...splitFlags(study, flags),
    lenient: flags.lenient ? true : study.lenient,
    cleanMaxLoss: flags.allowLoss
      ? 1
      : flags.maxLoss === undefined
        ? study.cleanMaxLoss
        : parseMaxLoss(flags.maxLoss, 'study-bad-flag'),
  };
}

/** --train/--test/--dev on top of the config's trainData/testData/devData: an explicit split is used as one (useTestSet). */
function splitFlags(study: StudyConfig, flags: StudyFlags): Partial<StudyConfig> {
  if (flags.train === undefined && flags.test === undefined && flags.dev === undefined) return {};
  if (flags.train === undefined || flags.test === undefined) {
    throw new MedrexError('--train and --test go together (and --dev needs both)', { rule: 'study-bad-flag' });
  }
  if (flags.data !== undefined) {
    throw new MedrexError('give the corpus either as --data DIR or as --train DIR --test DIR [--dev DIR]', { rule: 'study-bad-flag' });
  }
  return { trainData: flags.train, testData: flags.test, devData: flags.dev ?? study.devData, useTestSet: true };
}

export function register(program: Command): void {
  program
    .command('study')
    .description(
      'Compare NER+RE configurations (pipeline vs shared embeddings vs shared encoder) by cross-validation; ' +
        'resumes where a previous run stopped; writes report.md, report.html, results.json and poster.pdf',
    )
    .option('--data <path>', 'corpus (brat directory, ADE directory or medrex JSON); default: the synthetic corpus')
    .option('--config <file>', 'study config JSON (see configs/); default: 5 folds x 3 seeds, the three configurations')
    .requiredOption('--out <dir>', 'report directory (runs/ holds one record per finished run)')
    .option('--report-only', 'rebuild the report from the records already in --out, run nothing')
    .option('--no-browser', 'do not print the poster PDF or take screenshots with Chromium')
    .option('--no-progress', 'no progress bar')
    .option('--queue <url>', 'train the runs on `medrex worker`s through this Redis queue, e.g. redis://HOST:6379')
    .option('--queue-name <name>', 'with --queue: the queue name (default medrex-study)')
    .option('--status', 'with --queue: show queued, running, done and failed runs and what each worker does; run nothing')
    .option('--threads <n>', "threads per run (an ensemble's members side by side, else data-parallel batches); overrides the config's threads")
    .option('--backend <name>', "wasm or blas (the optional OpenBLAS addon); overrides the config's backend")
    .option('--train <dir>', 'instead of --data: the training part (with --test; the study trains on it and scores on --test)')
    .option('--test <dir>', 'with --train: the test part')
    .option('--dev <dir>', 'with --train and --test: documents for early stopping (else devShare of --train)')
    .option('--lenient', LENIENT_HELP)
    .option('--max-loss <share>', "largest share of any entity or relation type cleaning may remove; overrides the config's cleanMaxLoss")
    .option('--allow-loss', 'train on the cleaned corpus whatever share of a type cleaning removed')
    .action(async (flags: StudyFlags) => {
      if (flags.status) {
        if (!flags.queue) throw new MedrexError('--status shows a queue: give --queue redis://HOST:PORT', { rule: 'study-status-needs-queue' });
        const { formatQueueStatus, readQueueStatus } = await import('../../study/queue/status.js');
        process.stdout.write(formatQueueStatus(await readQueueStatus({ url: flags.queue, queueName: flags.queueName, reportDir: flags.out })));
        return;
      }
      const study = withRunSettings(flags.config ? loadStudyConfigFile(flags.config) : defaultStudyConfig(), flags);
      // Only into a new or empty folder or one a study wrote before (then it resumes); never over the user's files.
      claimOutputFolder(flags.out, 'study', { resume: true }).list(STUDY_OUTPUTS);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // With --queue, workers train the runs (bullmq is loaded only then); the rest of the study is the same.
      const conduct = flags.queue
        ? (await import('../../study/queue/conduct.js')).conductorOnQueue({ url: flags.queue, queueName: flags.queueName })
        : conductStudy;
      const result = await conduct({
        study,
        dataDir: flags.data,
        reportDir: flags.out,
        reportOnly: flags.reportOnly,
        browser: flags.browser,
        progress: flags.progress ? 'auto' : false,
        // With a progress bar on a terminal, per-run lines would break it up.
        log: flags.progress && process.stderr.isTTY ? (line) => (line.startsWith('done ') ? undefined : log(line)) : log,
      });
      const out = process.stdout;
      if (result.run) {
        out.write(`runs: ${result.run.completed.length} done, ${result.run.skipped.length} already done, ${result.run.failed.length} failed\n`);
      }
      for (const h of result.report.summary.hypotheses) out.write(`${h.id}: ${h.verdict} — ${h.statement}\n`);
      for (const file of result.report.files) out.write(`wrote ${file}\n`);
      if (result.report.pdfSkipped) out.write(`poster PDF skipped: ${result.report.pdfSkipped}\n`);
      if (result.run && result.run.failed.length > 0) {
        throw new MedrexError(`${result.run.failed.length} of ${result.plannedRuns} runs failed (the report covers the others; run again to retry them)`, {
          file: flags.out,
          rule: 'study-runs-failed',
        });
      }
    });
}
