/**
 * The study configuration: which model configurations to compare, over how many folds and seeds, with which
 * model settings, on which split. A study config is a JSON file; every key is optional and has a documented
 * default; unknown keys are errors (a typo would otherwise silently run the default study).
 */
import { lineOfKey, readJsonObjectFile } from '../json-file.js';
import { z } from 'zod';
import { TRAINING_BACKENDS } from '../engine/kernels/load.js';
import { MedrexError } from '../errors.js';
import { CLEAN_RULES } from '../corpus/clean/rules.js';
import { DEFAULT_MAX_LOSS } from '../corpus/clean/loss.js';
import { MODEL_KINDS, parseConfig, SHARING_LEVELS, type ModelConfig } from '../models/config.js';

const configurationSchema = z
  .object({
    /** Label used in run file names, tables and charts; letters, digits, `-`, `_` and `.` only. */
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" and "-" only'),
    model: z.enum(MODEL_KINDS),
    sharing: z.enum(SHARING_LEVELS).default('none'),
    /**
     * Sharing depth (joint models with sharing `encoder`): BiLSTM layers shared by NER and RE, then layers of each
     * side's own (see `encoderLayout` in src/models/config.ts). Absent: the preset's layout.
     */
    sharedLayers: z.number().int().min(0).optional(),
    nerLayers: z.number().int().min(0).optional(),
    reLayers: z.number().int().min(0).optional(),
    /**
     * The relation head and the entities the RE side trains on (src/models/config.ts), so that a study can compare
     * them too. Absent: the study's `model` setting, else the model default.
     */
    relationHead: z.enum(['pairs', 'selection']).optional(),
    relationTrainEntities: z.enum(['gold', 'gold+predicted']).optional(),
  })
  .strict();

export type StudyConfiguration = z.infer<typeof configurationSchema>;

/** The three configurations of the research question: no sharing, shared embeddings, shared encoder. */
export const DEFAULT_CONFIGURATIONS: StudyConfiguration[] = [
  { name: 'pipeline', model: 'pipeline', sharing: 'none' },
  { name: 'joint-embeddings', model: 'joint', sharing: 'embeddings' },
  { name: 'joint-encoder', model: 'joint', sharing: 'encoder' },
];

export const StudyConfigSchema = z
  .object({
    /** k of k-fold cross-validation (used unless `useTestSet` applies or the corpus's own folds are used). */
    folds: z.number().int().min(2).max(100).default(5),
    /** Model seeds; every (configuration, fold) is trained once per seed. */
    seeds: z.array(z.number().int()).min(1).default([1, 2, 3]),
    configurations: z.array(configurationSchema).min(2).default(DEFAULT_CONFIGURATIONS),
    /** The configuration the others are compared with (default: the first). */
    baseline: z.string().optional(),
    /** Model config overrides for every configuration (any key of the model config except kind, sharing, seed). */
    model: z.record(z.unknown()).default({}),
    /**
     * When the corpus has a train part and a test part (folders `train`/`training` and `test`/`testing`, any case,
     * or `trainData` + `testData`): train on all of train, score on test (no folds). Default: true with
     * `trainData`, else false.
     */
    useTestSet: z.boolean().default(false),
    /** Separate corpus directories (or files) for the train, test and dev parts, instead of `--data`. */
    trainData: z.string().min(1).optional(),
    testData: z.string().min(1).optional(),
    devData: z.string().min(1).optional(),
    /** Read the corpus leniently: skip bad lines and documents (reported) instead of stopping at the first. */
    lenient: z.boolean().default(false),
    /** Use the corpus's own folds (the ADE reader provides 10) instead of assigning documents by id hash. */
    useCorpusFolds: z.boolean().default(true),
    /** Run the cleaning step (src/corpus/clean, every rule) on the corpus before splitting. */
    clean: z.boolean().default(true),
    /** Cleaning rules to switch off (names as for `medrex clean --disable`). */
    cleanDisable: z.array(z.enum(CLEAN_RULES)).default([]),
    /**
     * The study stops before training when cleaning would remove more than this share of any entity or relation
     * type (copies do not count; see src/corpus/clean/loss.ts). 1 accepts any loss (as `--allow-loss` does).
     */
    cleanMaxLoss: z.number().min(0).max(1).default(DEFAULT_MAX_LOSS),
    /** Share of each training part held out as dev set for early stopping (0 = none: last epoch is kept). */
    devShare: z.number().min(0).max(0.5).default(0.1),
    /** Runs at the same time, each in its own process. 1 keeps time and memory figures comparable. */
    parallel: z.number().int().min(1).max(16).default(1),
    /**
     * Threads per run: an ensemble's members train side by side (the same model as on one thread), a single network
     * data-parallel (the same scores up to float rounding); see TrainOptions.shards. With `parallel` > 1 keep
     * parallel x threads within the machine's cores.
     */
    threads: z.number().int().min(1).max(8).default(1),
    /** Matrix products per run: `wasm` (WebAssembly SIMD) or `blas` (the optional OpenBLAS addon, Node only). */
    backend: z.enum(TRAINING_BACKENDS).default('wasm'),
    /** Paired significance tests between each configuration and the baseline. */
    significance: z
      .object({
        iterations: z.number().int().min(100).max(1_000_000).default(10_000),
        alpha: z.number().gt(0).lt(1).default(0.05),
        seed: z.number().int().default(1),
      })
      .strict()
      .default({}),
    /**
     * Fold-safe in-domain pretraining (src/study/pretrain.ts): word vectors per fold from the text that fold may
     * see (training documents, the corpus folder's unlabelled text, `text` paths), never a test document's group.
     */
    pretrain: z
      .object({
        enabled: z.boolean().default(false),
        /** Read the corpus folder itself as unlabelled text (ADE: adds ADE-NEG.txt; brat: unannotated .txt files). */
        includeCorpusFolder: z.boolean().default(true),
        /** More unlabelled sources: folders, .json corpora, plain text files (one unit per line). */
        text: z.array(z.string()).default([]),
        dim: z.number().int().min(1).max(1024).default(100),
        epochs: z.number().int().min(1).max(100).default(5),
        minCount: z.number().int().min(1).default(2),
        seed: z.number().int().default(1),
      })
      .strict()
      .default({}),
    /** Who made the study, for the poster's title area. */
    poster: z
      .object({
        /** Poster title (default: the research question as a title). */
        title: z.string().min(1).optional(),
        authors: z.array(z.string().min(1)).default([]),
        affiliation: z.string().default(''),
      })
      .strict()
      .default({}),
    /** The corpus generated when no data directory is given. */
    synthetic: z
      .object({
        docs: z.number().int().min(4).default(15),
        seed: z.number().int().default(7),
        /** `long` (discharge-summary length, ~3,000 tokens a note) or `short` (~550). */
        length: z.enum(['long', 'short']).default('long'),
      })
      .strict()
      .default({}),
  })
  .strict();

export type StudyConfig = z.infer<typeof StudyConfigSchema> & { baseline: string };

/** Model keys the study sets itself, per configuration and run. */
const RESERVED_MODEL_KEYS = ['kind', 'sharing', 'seed', 'sharedLayers', 'nerLayers', 'reLayers', 'pretrainedVectors'];

/** The default study (every key at its documented default). */
export function defaultStudyConfig(): StudyConfig {
  return parseStudyConfig({});
}

/**
 * Validate a study config object and fill defaults. Errors are MedrexErrors naming the key, with the line of
 * the key in `sourceText` when given.
 */
export function parseStudyConfig(input: unknown, where: { file?: string; sourceText?: string } = {}): StudyConfig {
  const fail = (message: string, key: string, rule: string): never => {
    throw new MedrexError(message, { file: where.file, line: lineOfKey(where.sourceText, key), rule });
  };
  const result = StudyConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      return fail(`unknown study config key "${key}"`, key, 'study-config-unknown-key');
    }
    const key = issue.path.join('.');
    const last = [...issue.path].reverse().find((p) => typeof p === 'string');
    return fail(`study config key "${key}": ${issue.message}`, String(last ?? ''), 'study-config-invalid-value');
  }
  const parsed = result.data;
  if ((parsed.trainData === undefined) !== (parsed.testData === undefined)) {
    fail('"trainData" and "testData" go together: give both or neither', parsed.trainData ? 'trainData' : 'testData', 'study-config-split');
  }
  if (parsed.devData !== undefined && parsed.trainData === undefined) {
    fail('"devData" needs "trainData" and "testData"', 'devData', 'study-config-split');
  }
  const explicitUseTestSet = typeof input === 'object' && input !== null && 'useTestSet' in input;
  if (parsed.trainData !== undefined && !explicitUseTestSet) parsed.useTestSet = true;
  const names = new Set<string>();
  for (const c of parsed.configurations) {
    if (names.has(c.name)) fail(`configuration name "${c.name}" is used twice`, c.name, 'study-config-duplicate-name');
    names.add(c.name);
    if (c.model === 'pipeline' && c.sharing !== 'none') {
      fail(`configuration "${c.name}": a pipeline shares nothing, sharing must be "none"`, c.name, 'study-config-pipeline-sharing');
    }
  }
  if (new Set(parsed.seeds).size !== parsed.seeds.length) fail('seeds must be distinct', 'seeds', 'study-config-duplicate-seed');
  const baseline = parsed.baseline ?? parsed.configurations[0].name;
  if (!names.has(baseline)) {
    fail(`baseline "${baseline}" is not one of the configurations (${[...names].join(', ')})`, 'baseline', 'study-config-baseline');
  }
  for (const key of RESERVED_MODEL_KEYS) {
    if (key in parsed.model) {
      fail(`"model.${key}" is set by the study for each run; remove it`, key, 'study-config-reserved-model-key');
    }
  }
  // Validate the overrides now, with every configuration, so a bad value fails before hours of training.
  for (const c of parsed.configurations) modelConfigFor({ ...parsed, baseline }, c, parsed.seeds[0], where);
  return { ...parsed, baseline };
}

/** Read and validate a study config file. */
export function loadStudyConfigFile(path: string): StudyConfig {
  const { json, text } = readJsonObjectFile(path, 'study config', 'study-config');
  return parseStudyConfig(json, { file: path, sourceText: text });
}

/** The full model config of one run: the study's overrides plus the configuration's kind and sharing and the seed. */
export function modelConfigFor(
  study: StudyConfig,
  configuration: StudyConfiguration,
  seed: number,
  where: { file?: string; sourceText?: string } = {},
): ModelConfig {
  const own = Object.fromEntries(
    (['sharedLayers', 'nerLayers', 'reLayers', 'relationHead', 'relationTrainEntities'] as const)
      .filter((k) => configuration[k] !== undefined)
      .map((k) => [k, configuration[k]]),
  );
  return parseConfig({ ...study.model, kind: configuration.model, sharing: configuration.sharing, ...own, seed }, where);
}
