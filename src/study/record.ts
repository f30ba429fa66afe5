/**
 * Run records: everything one training + evaluation run measured, one JSON file per run in `REPORT_DIR/runs/`.
 *
 * A record is written atomically (temp file + rename), so a file that exists is complete. A study that stops half
 * way is resumed by skipping the runs whose record exists, parses, and was made from the same corpus and the same
 * run spec (see `specKey`); anything else is run again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TRAINING_BACKENDS } from '../engine/kernels/load.js';
import { TAG_LAYOUTS } from '../models/tag-layers.js';

export const RECORD_FORMAT = 'medrex-run-record';
export const RECORD_VERSION = 1;
export const RUNS_DIR = 'runs';

const prf = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });
export type PrfValues = z.infer<typeof prf>;

const counts = z.object({ tp: z.number().int().nonnegative(), fp: z.number().int().nonnegative(), fn: z.number().int().nonnegative() });
export type DocCounts = z.infer<typeof counts>;

/** One task's scores: micro-averaged strict and lenient P/R/F1, strict/lenient F1 per type, strict macro F1. */
const taskScores = z.object({
  strict: prf,
  lenient: prf,
  perType: z.array(z.object({ type: z.string(), support: z.number().int(), strictF1: z.number(), lenientF1: z.number() })),
  /** Strict F1 macro-averaged over types, as the scorer defines it (src/eval/score.ts); absent in older records. */
  macroStrictF1: z.number().optional(),
});
export type TaskScores = z.infer<typeof taskScores>;

const epochSchema = z.object({
  phase: z.string(),
  /** The ensemble member the epoch trained (1-based); absent for one network and in older records. */
  member: z.number().int().positive().optional(),
  epoch: z.number().int(),
  loss: z.number(),
  devEntityF1: z.number().nullable(),
  devRelationF1: z.number().nullable(),
  /** What early stopping compared (entity F1, relation F1 or their mean by phase); null in older records. */
  devScore: z.number().nullable().default(null),
  seconds: z.number(),
});
export type EpochPoint = z.infer<typeof epochSchema>;

/** The three tasks scored in every run. */
export const TASKS = ['ner', 'reGold', 'reEndToEnd'] as const;
export type Task = (typeof TASKS)[number];
export const TASK_LABELS: Record<Task, string> = {
  ner: 'NER',
  reGold: 'RE (gold entities)',
  reEndToEnd: 'RE (end to end)',
};

export const RunRecordSchema = z.object({
  format: z.literal(RECORD_FORMAT),
  version: z.literal(RECORD_VERSION),
  /** `<configuration>--fold<k>--seed<s>` (fold `test` for a train/test run). */
  id: z.string(),
  /** Hash of everything that defines the run (configuration, model config, fold members); resume compares it. */
  specKey: z.string(),
  configuration: z.string(),
  model: z.string(),
  sharing: z.string(),
  /** The trained model's tag layout (what `tagLayers: "auto"` chose for this training part); null in older records. */
  tagLayers: z.enum(TAG_LAYOUTS).nullable().default(null),
  /** The trained model's relation decision weight (what `noneWeight: "tune"` chose on dev); null in older records. */
  noneWeight: z.number().positive().nullable().default(null),
  /** Fold index (0-based), or -1 for the train/test split. */
  fold: z.number().int(),
  seed: z.number().int(),
  corpusHash: z.string(),
  codeVersion: z.string(),
  startedAt: z.string(),
  data: z.object({
    trainDocuments: z.number().int(),
    devDocuments: z.number().int(),
    testDocuments: z.number().int(),
    testTokens: z.number().int(),
  }),
  scores: z.object({ ner: taskScores, reGold: taskScores, reEndToEnd: taskScores }),
  /**
   * End-to-end RE under the published ADE protocol: relations between overlapping entities removed from gold and
   * prediction (src/eval/overlapping.ts), with how many gold relations that removed. Null in older records.
   */
  withoutOverlapping: z
    .object({ goldRelationsRemoved: z.number().int().nonnegative(), reEndToEnd: z.object({ strict: prf, lenient: prf }) })
    .nullable()
    .default(null),
  /** Strict TP/FP/FN per test document, for the paired significance tests. */
  documents: z.array(z.object({ id: z.string(), ner: counts, reGold: counts, reEndToEnd: counts })),
  cost: z.object({
    /** Threads the run trained on (records written before this field existed trained on one). */
    threads: z.number().int().min(1).default(1),
    /** Kernel backend of the run (records written before this field existed used wasm). */
    backend: z.enum(TRAINING_BACKENDS).default('wasm'),
    trainSeconds: z.number(),
    /** User + system CPU seconds of the run's process (training and inference). */
    cpuSeconds: z.number(),
    inferenceSeconds: z.number(),
    inferenceTokensPerSecond: z.number(),
    /** Peak resident set size of the run's own process, in MiB (mostly Node itself: about the same for every model). */
    peakRssMiB: z.number(),
    /**
     * The model's own memory: the peak of the engine's arena (parameters, gradients, optimiser state, activations
     * and kernel scratch of the largest step), in MiB. With threads > 1: the calling thread's arena without the
     * regions reserved for the workers (their activations, about shard 0's each, are not counted). Null in records
     * written before it was measured.
     */
    arenaPeakMiB: z.number().nullable().default(null),
    /** Parameters plus Adam's two moments (3 x 4 bytes per parameter), in MiB. Null in older records. */
    modelStateMiB: z.number().nullable().default(null),
  }),
  parameters: z.object({ total: z.number().int(), byGroup: z.record(z.number().int()) }),
  learningCurve: z.array(epochSchema),
});

export type RunRecord = z.infer<typeof RunRecordSchema>;

/** File name of a run's record. */
export function recordPath(reportDir: string, runId: string): string {
  return join(reportDir, RUNS_DIR, `${runId}.json`);
}

/** Write a record atomically: a reader (or a resumed study) never sees half a file. */
export function writeRecord(reportDir: string, record: RunRecord): string {
  const validated = RunRecordSchema.parse(record);
  const dir = join(reportDir, RUNS_DIR);
  mkdirSync(dir, { recursive: true });
  const path = recordPath(reportDir, record.id);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(validated, null, 1)}\n`);
  renameSync(temp, path);
  return path;
}

/** The record of a run if its file exists and is a valid record, else null (missing, truncated, other schema). */
export function readRecord(path: string): RunRecord | null {
  if (!existsSync(path)) return null;
  try {
    const result = RunRecordSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** Whether a finished record exists for this run, made from the same spec and the same corpus. */
export function hasValidRecord(reportDir: string, runId: string, specKey: string, corpusHash: string): boolean {
  const record = readRecord(recordPath(reportDir, runId));
  return record !== null && record.specKey === specKey && record.corpusHash === corpusHash;
}

/** Every valid record in `REPORT_DIR/runs/`, sorted by id (invalid files are skipped and listed). */
export function readAllRecords(reportDir: string): { records: RunRecord[]; invalid: string[] } {
  const dir = join(reportDir, RUNS_DIR);
  if (!existsSync(dir)) return { records: [], invalid: [] };
  const records: RunRecord[] = [];
  const invalid: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const record = readRecord(join(dir, name));
    if (record) records.push(record);
    else invalid.push(name);
  }
  return { records, invalid };
}
