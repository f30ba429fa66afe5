/**
 * The one configuration object for every model medrex trains: network sizes, optimisation, the degree of
 * parameter sharing between NER and RE, relation-example construction and text normalisation.
 *
 * Defaults are chosen for a CPU (2 cores) and corpora of a few hundred clinical notes; README.md in this folder
 * explains each choice. A config file is JSON holding any subset of the keys below; unknown keys are an error
 * (a typo such as `learningrate` would otherwise silently train with the default).
 */
import { lineOfKey, readJsonObjectFile } from '../json-file.js';
import { z } from 'zod';
import { MedrexError } from '../errors.js';
import { TAG_SCHEMES, type TagScheme } from '../text/bio.js';
import { TAG_LAYOUT_CHOICES, type TagLayout } from './tag-layers.js';

/** How much of the network NER and RE have in common. */
export const SHARING_LEVELS = ['none', 'embeddings', 'encoder'] as const;
export type Sharing = (typeof SHARING_LEVELS)[number];

/** `pipeline`: NER then RE, each trained on its own. `joint`: one network, summed loss. */
export const MODEL_KINDS = ['pipeline', 'joint'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const probability = z.number().min(0).max(0.95);

export const ModelConfigSchema = z
  .object({
    /** `pipeline` or `joint`. A pipeline never shares parameters. */
    kind: z.enum(MODEL_KINDS).default('pipeline'),
    /** Degree of sharing between the NER and RE sides (joint models only; pipelines are always `none`). */
    sharing: z.enum(SHARING_LEVELS).default('none'),

    // ---- network sizes --------------------------------------------------------------------------------
    /** Word embedding width (overridden by the pretrained vectors' width when a vectors file is given). */
    wordDim: positiveInt.default(50),
    /** Character features: a char CNN with max pooling over each word, concatenated to the word embedding. */
    charFeatures: z.boolean().default(true),
    charDim: positiveInt.default(25),
    /** Number of char-CNN filters (= width of the per-word character feature). */
    charFilters: positiveInt.default(50),
    /** Char-CNN window (characters); odd so the window is centred. */
    charWindow: positiveInt.default(3),
    /**
     * The NER tags: `bio`, or `bioes` (also `E-X` on an entity's last token and `S-X` on a one-token entity), which
     * makes the tagger decide where an entity ends as well as where it starts.
     */
    tagScheme: z.enum(TAG_SCHEMES as [TagScheme, ...TagScheme[]]).default('bio'),
    /**
     * `single`: one tag sequence over every entity type (entities never overlap). `per-type`: one sequence and CRF
     * per entity type, so entities of different types may overlap or nest (a drug inside its ADE); ./tag-layers.ts.
     * `auto` (default): `per-type` when the training data has entities of two types overlapping, else `single`
     * (`chooseTagLayout`); the trained model's card records the layout chosen.
     */
    tagLayers: z.enum(TAG_LAYOUT_CHOICES).default('auto'),
    /** BiLSTM hidden size per direction (the token state is 2 x hidden). */
    hidden: positiveInt.default(64),
    /**
     * Depth of each side's BiLSTM stack when the sharing preset decides the layout: `none` and `embeddings` give
     * each side `layers` layers of its own; `encoder` shares all `layers`. See `encoderLayout`.
     */
    layers: positiveInt.default(1),
    /**
     * Explicit layout (null = from the preset): BiLSTM layers shared by both sides (needs sharing `encoder`), then
     * layers of the NER side's own and of the RE side's own on top (Crone 2020's task-specific layers).
     */
    sharedLayers: nonNegativeInt.nullable().default(null),
    nerLayers: nonNegativeInt.nullable().default(null),
    reLayers: nonNegativeInt.nullable().default(null),
    /**
     * How relations are scored. `pairs` (default): each candidate pair of entities is classified by an MLP over
     * pooled argument spans, the tokens between them, their distance and types (softmax over no-relation and the
     * types). `selection`: multi-head selection (Bekoulis et al. 2018, ./selection.ts): every token of a sentence
     * window scores every other token as the head of a relation of each type (an independent sigmoid per type),
     * from its state and the embedding of the entity label it heads; training sees every token pair at once,
     * prediction reads the scores at the last tokens of the entity pairs.
     */
    relationHead: z.enum(['pairs', 'selection']).default('pairs'),
    /**
     * Entities the RE side trains on. `gold` (default): gold entities only (teacher forcing). `gold+predicted`:
     * from the second epoch on, the entities the tagger finds in the training documents that are no gold entity
     * (wrong boundary or type, or spurious) join them as arguments of no relation, so the RE side learns, as at
     * test time, to reject pairs with a wrong argument. Costs a tagging pass over the training documents per epoch.
     */
    relationTrainEntities: z.enum(['gold', 'gold+predicted']).default('gold'),
    /** Width of the relation MLP's hidden layer (of the selection scorer's, with `relationHead: "selection"`). */
    relHidden: positiveInt.default(64),
    /** Width of the embeddings of the (bucketed) token distance and of each argument's entity type. */
    distanceDim: positiveInt.default(8),
    typeDim: positiveInt.default(8),

    // ---- optimisation ---------------------------------------------------------------------------------
    /** Dropout on embeddings and on encoder outputs (inverted dropout; off at prediction time). */
    dropout: probability.default(0.3),
    /** Probability of replacing a training word by UNK, so the UNK embedding is trained on real contexts. */
    wordDropout: probability.default(0.05),
    learningRate: z.number().positive().max(1).default(0.002),
    /** Inverse-time decay: epoch e (from 1) trains at learningRate / (1 + lrDecay x (e - 1)); 0 = constant. */
    lrDecay: z.number().nonnegative().default(0),
    /** Decoupled weight decay (AdamW) per step; 0 = plain Adam. */
    weightDecay: z.number().nonnegative().max(0.1).default(0),
    /**
     * Exponential moving average of the weights (Polyak averaging, src/engine/average.ts), 0 = off: dev scoring and
     * the saved model use the averaged weights, which smooths the last steps' noise on a small dev set. The decay at
     * step t is min(averageDecay, (1 + t) / (10 + t)), so until t is about 9 / (1 - averageDecay) (9,000 steps at
     * 0.999) the average covers roughly the last tenth of the steps so far.
     */
    averageDecay: z.number().nonnegative().lt(1).default(0.999),
    /** Global-norm gradient clipping threshold (0 = off). LSTMs on long notes otherwise spike. */
    gradClip: z.number().nonnegative().default(5),
    epochs: positiveInt.default(15),
    /** Sentences (NER) or sentence windows (RE) per mini-batch. */
    batchSize: positiveInt.default(8),
    /** Stop after this many epochs without a better dev F1 (0 = never stop early). */
    patience: nonNegativeInt.default(3),
    /** Joint models minimise nerLoss + relLossWeight * relLoss. */
    relLossWeight: z.number().nonnegative().default(1),
    /**
     * Language modelling as an auxiliary task of the NER side (Rei 2017, "Semi-supervised multitask learning for
     * sequence labeling"): the forward half of the first BiLSTM layer predicts the next word, the backward half the
     * previous one, weighted by this (0 = off). It teaches the encoder the language of the corpus from the training
     * sentences themselves, at no extra data. Needs the NER side's stack to be one layer deep (a higher layer's
     * forward half has already seen the next word through the layer below's backward half).
     */
    lmLossWeight: z.number().nonnegative().default(0),
    /** Words the auxiliary language model predicts: the most frequent ones; the rest share one class. */
    lmVocab: positiveInt.default(1000),
    seed: z.number().int().default(13),
    /**
     * Members of an ensemble (1 = a single network). Each member is the same network trained from its own seed
     * (`memberSeed`) on the same data, vocabulary and dev set; prediction averages their tag emissions and CRF
     * scores (one Viterbi path over the mean, so entities never conflict) and their relation probabilities.
     * Training time and model size grow with the number of members.
     */
    ensemble: positiveInt.max(16).default(2),

    // ---- relation examples ----------------------------------------------------------------------------
    /**
     * Candidate pairs lie within this many consecutive sentences (1 = same sentence, 2 = same or adjacent; the
     * meaning of `windowSentences` in src/text). n2c2 medication attributes often sit on the next line of a list.
     */
    windowSentences: positiveInt.default(2),
    /**
     * Negative sampling for training: keep at most this many no-relation candidates per positive one in each
     * document (chosen by seed; null keeps all). Prediction always scores every candidate.
     */
    negativeRatio: z.number().nonnegative().nullable().default(4),
    /** Loss weight of the no-relation class relative to each relation type (class weights of the RE softmax). */
    noneClassWeight: z.number().positive().default(1),
    /**
     * How a candidate pair's relation is decided: it gets its most probable relation type r when
     * p(r) > noneWeight x p(no relation). `tune` (default): chosen after training from `NONE_WEIGHT_CANDIDATES`
     * (./relation-decision.ts) by end-to-end relation F1 on the dev documents, 1 without them; the trained model's
     * card records the weight chosen. A number fixes it (1 = plain argmax).
     */
    noneWeight: z
      .union([z.literal('tune'), z.number().positive()], {
        // zod's own message for a value that fits neither branch is "Invalid input".
        errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union' ? 'expected "tune" or a number > 0' : ctx.defaultError }),
      })
      .default('tune'),

    // ---- text normalisation and vocabulary ------------------------------------------------------------
    lowercase: z.boolean().default(true),
    /** Map every digit to 0 so `10 mg` and `20 mg` share one embedding. */
    normalizeDigits: z.boolean().default(true),
    /** Training words seen fewer times than this become UNK (and are not in the vocabulary). */
    minWordFreq: positiveInt.default(1),
    /**
     * Optional word vectors (text format: `word v1 v2 ...` per line, word2vec/GloVe style, an optional
     * `count dim` header line). Words found there are initialised from it and added to the vocabulary.
     */
    pretrainedVectors: z.string().nullable().default(null),
  })
  .strict();

export type ModelConfig = z.infer<typeof ModelConfigSchema>;
/** What callers may pass: every key optional. */
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;

/** The default configuration (every key at its documented default). */
export function defaultConfig(): ModelConfig {
  return ModelConfigSchema.parse({});
}

/** A trained model's configuration: the tag layout and the relation decision are settled (no `auto`, no `tune`). */
export type SavedModelConfig = ModelConfig & { tagLayers: TagLayout; noneWeight: number };

/**
 * The config saved in a model card. Cards written before ensembles have no `ensemble` key: they hold one network,
 * not the default's members; cards written before tag schemes and layers have no `tagScheme` or `tagLayers`: their
 * tags are one BIO sequence; cards written before the relation decision was tuned have no `noneWeight`: plain argmax. Every other missing key takes its default as in `parseConfig`.
 */
export function parseSavedConfig(saved: object, where: { file?: string } = {}): SavedModelConfig {
  const config = parseConfig({ ensemble: 1, tagScheme: 'bio', tagLayers: 'single', noneWeight: 1, ...saved }, where);
  const { tagLayers, noneWeight } = config;
  if (tagLayers === 'auto') {
    throw new MedrexError('model card config "tagLayers" is "auto": a trained model records the layout it chose ("single" or "per-type")', {
      file: where.file,
      rule: 'model-card',
    });
  }
  if (noneWeight === 'tune') {
    throw new MedrexError('model card config "noneWeight" is "tune": a trained model records the weight it chose (a number)', {
      file: where.file,
      rule: 'model-card',
    });
  }
  return { ...config, tagLayers, noneWeight };
}

/**
 * Validate a partial configuration and fill defaults. `file` is only used in error messages (and to find the
 * line of the offending key in `sourceText`).
 */
export function parseConfig(input: unknown, where: { file?: string; sourceText?: string } = {}): ModelConfig {
  const result = ModelConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      throw new MedrexError(
        `unknown config key "${key}" (known keys: ${Object.keys(ModelConfigSchema.shape).join(', ')})`,
        { file: where.file, line: lineOfKey(where.sourceText, key), rule: 'config-unknown-key' },
      );
    }
    const key = issue.path.join('.');
    throw new MedrexError(`config key "${key}": ${issue.message}`, {
      file: where.file,
      line: lineOfKey(where.sourceText, String(issue.path[0] ?? '')),
      rule: 'config-invalid-value',
    });
  }
  const config = result.data;
  if (config.kind === 'pipeline' && config.sharing !== 'none') {
    throw new MedrexError(
      `a pipeline model shares nothing: sharing must be "none", got "${config.sharing}" (use kind "joint")`,
      { file: where.file, line: lineOfKey(where.sourceText, 'sharing'), rule: 'config-pipeline-sharing' },
    );
  }
  const layoutProblem = encoderLayoutProblem(config);
  if (layoutProblem) {
    throw new MedrexError(layoutProblem.message, {
      file: where.file,
      line: lineOfKey(where.sourceText, layoutProblem.key),
      rule: 'config-invalid-value',
    });
  }
  if (config.charWindow % 2 === 0) {
    throw new MedrexError(`config key "charWindow" must be odd, got ${config.charWindow}`, {
      file: where.file,
      line: lineOfKey(where.sourceText, 'charWindow'),
      rule: 'config-invalid-value',
    });
  }
  return config;
}

/** How the encoder is laid out: which side owns which BiLSTM layers, and whether the embeddings are shared. */
export interface EncoderLayout {
  sharedEmbeddings: boolean;
  /** Layers both sides read (computed once per batch). */
  shared: number;
  /** Layers of each side's own, on top of the shared ones. */
  ner: number;
  re: number;
}

/**
 * The layout a config describes. The presets: `none` = own embeddings and `layers` own layers per side;
 * `embeddings` = shared embeddings, `layers` own layers per side; `encoder` = shared embeddings and `layers` shared
 * layers, none of each side's own. `sharedLayers`/`nerLayers`/`reLayers` override the preset's numbers.
 */
export function encoderLayout(config: ModelConfig): EncoderLayout {
  const sharedEmbeddings = config.sharing !== 'none';
  const shared = config.sharedLayers ?? (config.sharing === 'encoder' ? config.layers : 0);
  const own = shared > 0 ? 0 : config.layers;
  return { sharedEmbeddings, shared, ner: config.nerLayers ?? own, re: config.reLayers ?? own };
}

/** Why a layout cannot be built, with the key to blame; null when it can. */
function encoderLayoutProblem(config: ModelConfig): { key: string; message: string } | null {
  const layout = encoderLayout(config);
  if (config.sharing !== 'encoder' && layout.shared > 0) {
    return { key: 'sharedLayers', message: `sharedLayers > 0 needs sharing "encoder", got sharing "${config.sharing}"` };
  }
  if (config.sharing === 'encoder' && layout.shared === 0) {
    return { key: 'sharedLayers', message: 'sharing "encoder" needs at least one shared layer (sharedLayers >= 1)' };
  }
  if (layout.shared + layout.ner === 0) return { key: 'nerLayers', message: 'the NER side has no BiLSTM layer' };
  if (config.lmLossWeight > 0 && layout.shared + layout.ner !== 1) {
    return { key: 'lmLossWeight', message: `the language-model loss needs a one-layer NER encoder, this one has ${layout.shared + layout.ner} layers` };
  }
  if (layout.shared + layout.re === 0) return { key: 'reLayers', message: 'the RE side has no BiLSTM layer' };
  return null;
}

/** Read a JSON config file; missing file, bad JSON, unknown keys and bad values are MedrexErrors. */
export function loadConfigFile(path: string): ModelConfig {
  const { json, text } = readJsonObjectFile(path, 'config', 'config');
  return parseConfig(json, { file: path, sourceText: text });
}
