/**
 * `medrex study --queue URL`: the same study as `conductStudy`, with the runs trained by queue workers. Every run
 * without a record is queued up front (so all workers get busy at once), then the ordinary runner waits for each
 * run's record through the queue executor, and the report is written as for a local study.
 */
import { serializeJsonCorpus } from '../../corpus/json.js';
import { MedrexError } from '../../errors.js';
import { prepareStudyCorpus } from '../corpus.js';
import { prepareFoldVectors } from '../pretrain.js';
import { hasValidRecord } from '../record.js';
import { codeVersion as currentCodeVersion, planStudy } from '../runner.js';
import { conductStudy, type ConductOptions, type ConductResult } from '../study.js';
import { DEFAULT_QUEUE_NAME } from './keys.js';
import { openQueueExecutor, type QueueExecutorOptions } from './queue-executor.js';

export type QueueStudyOptions = Omit<QueueExecutorOptions, 'log'>;

export async function conductStudyOnQueue(options: ConductOptions & { queue: QueueStudyOptions }): Promise<ConductResult> {
  if (options.reportOnly) return conductStudy(options);
  const log = options.log ?? (() => undefined);
  const executor = await openQueueExecutor({ ...options.queue, log });
  try {
    // The same corpus and plan conductStudy is about to make (both are deterministic), to queue every run now.
    const corpus = await prepareStudyCorpus(options.dataDir, options.reportDir, options.study);
    const plan = planStudy(corpus.documents, options.study, {
      corpusHash: corpus.hash,
      codeVersion: currentCodeVersion(),
      corpusFolds: corpus.folds,
      corpusFormat: corpus.format,
      reportDir: options.reportDir,
    });
    // Vectors first: a run names its fold's file. Workers read it by path, so with pretraining they need this
    // report folder on a shared file system (README, Scale-out).
    await prepareFoldVectors(options.reportDir, options.study, plan.split, { ...corpus, dataDir: options.dataDir }, log);
    const todo = plan.specs.filter((s) => !hasValidRecord(options.reportDir, s.id, s.specKey, s.corpusHash));
    const bytes = Buffer.from(serializeJsonCorpus(corpus.documents));
    try {
      for (const spec of todo) await executor.enqueue(spec, bytes, options.reportDir);
    } catch (err) {
      throw new MedrexError(`cannot queue the study's runs on ${options.queue.url}: ${err instanceof Error ? err.message : String(err)}`, {
        rule: 'queue-unreachable',
      });
    }
    log(`queue: ${todo.length} runs on queue ${options.queue.queueName ?? DEFAULT_QUEUE_NAME} at ${options.queue.url}; waiting for workers (medrex worker --queue ...)`);
    return await conductStudy({ ...options, execute: executor.execute });
  } finally {
    await executor.close();
  }
}

/** `conductStudy`'s signature with the queue bound: what `medrex study --queue` calls instead of it. */
export function conductorOnQueue(queue: QueueStudyOptions): (options: ConductOptions) => Promise<ConductResult> {
  return (options) => conductStudyOnQueue({ ...options, queue });
}
