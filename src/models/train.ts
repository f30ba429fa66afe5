/**
 * Training: `train(documents, config, { devDocuments, outDir, onEpoch })` -> a Model.
 *
 * Phases. A pipeline trains in two phases, each with its own optimiser and early stopping: `ner` (embedder,
 * encoder and tagger of the NER side, selected on dev entity F1) and then `re` (the RE side's embedder, encoder and
 * head, on gold entities, selected on dev relation F1 with gold entities). A joint model has one phase, `joint`:
 * every parameter, loss = nerLoss + relLossWeight x relLoss on the same batches, selected on the mean of dev entity
 * F1 and end-to-end dev relation F1. Without dev documents there is no early stopping and the last epoch is kept.
 *
 * Ensembles. With `config.ensemble` > 1 the members (./ensemble.ts) train one after the other, each through every
 * phase with its own seed, optimiser, early stopping and worker pool, on the same documents and dev set. With
 * `shards` >= 2 the members train at the same time instead, one thread each (./parallel/member-threads.ts says why
 * that beats cutting batches), and the model is the same as on one thread.
 *
 * Determinism. Every random choice (initial weights, batch order, negative samples, word dropout, dropout masks)
 * is derived from (seed, phase, epoch, batch), never from a running stream, so a fixed seed gives the same model.
 *
 * Checkpoints. With `outDir`, after every epoch the current weights, the best weights, the optimiser moments and the
 * training state are written as one file, `outDir/checkpoint.safetensors` (./checkpoint.ts: atomic, hashed; a
 * damaged one is refused with one line, `restart: true` discards it). Calling `train` again with
 * the same outDir, data and config (epochs and patience may differ) resumes after the last finished epoch and
 * ends with the same weights as an uninterrupted run. The final model goes to `outDir` (model.json +
 * model.safetensors).
 */
import { createHash } from 'node:crypto';
import cliProgress from 'cli-progress';
import type { Document } from '../corpus/types.js';
import { defaultKernels, type TrainingBackend } from '../engine/kernels/load.js';
import type { Kernels } from '../engine/kernels/types.js';
import type { DirectionRunner } from '../engine/ops/lstm.js';
import { ParameterAverage } from '../engine/average.js';
import { Adam, clipGradNorm, type Optimizer, type OptimizerState } from '../engine/optim.js';
import type { Parameter } from '../engine/params.js';
import type { FileOps } from '../atomic-write.js';
import { loadParameters } from '../engine/safetensors.js';
import { MedrexError } from '../errors.js';
import { checkpointPath, discardCheckpoint, hasCheckpoint, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';
import { batchSegments, capBatchSize, planSegments } from './batching.js';
import type { ModelConfig } from './config.js';
import { encodeDocument, type EncodedDocument } from './examples.js';
import { withPredictedEntities } from './predicted-entities.js';
import { strictScores } from './metrics.js';
import { tuneNoneWeight } from './relation-decision.js';
import { createModel, saveModel, summarize, type EpochRecord, type Model } from './model.js';
import { predictDocuments } from './predict.js';
import { createTrainingPool, type TrainingPool } from './parallel/training-pool.js';
import { trainMembersOnThreads } from './parallel/member-threads.js';
import { epochKey, epochPairs, runShard, shardBatch } from './shards.js';
import { weightsOf, type Weights } from './weights.js';

export type Phase = EpochRecord['phase'];

export interface TrainOptions {
  /** Kernels to train on (default: WebAssembly SIMD when built, else the reference kernels). */
  kernels?: Kernels;
  /** Runs the BiLSTM directions, e.g. on two threads (`createDirectionThreads(kernels).runner`, same results). */
  directionRunner?: DirectionRunner;
  /**
   * Threads to train on (default 1; `medrex train --threads N`). An ensemble trains up to this many members at the
   * same time, one thread each (exactly the model one thread trains; ./parallel/member-threads.ts). A single network
   * is trained data-parallel: each batch is cut into this many shards, run at the same time on worker threads over
   * the same shared WebAssembly memory; the result equals one shard's up to float rounding (models/shards.ts).
   * Needs the WebAssembly kernels and the compiled workers (`dist/`).
   */
  shards?: number;
  /** Used when `kernels` is not given: `blas` multiplies with the optional OpenBLAS addon (same results to rounding). */
  backend?: TrainingBackend;
  devDocuments?: readonly Document[];
  /** Where checkpoints and the final model go. Without it nothing is written and nothing can be resumed. */
  outDir?: string;
  /** Called after each epoch, after its checkpoint is written (throwing here interrupts training cleanly). */
  onEpoch?: (record: EpochRecord) => void;
  /** Progress bars on stderr: `auto` (default) shows them only when stderr is a terminal. */
  progress?: boolean | 'auto';
  /** Discard the checkpoint in `outDir` (if any) and train from the start. */
  restart?: boolean;
  /** Test seam: the file operations checkpoint writes go through (fault injection). */
  checkpointFileOps?: FileOps;
}

export interface TrainResult {
  model: Model;
  history: EpochRecord[];
  /** Whether this call continued a checkpointed run. */
  resumed: boolean;
  /**
   * When the members trained on threads of their own: each member's arena bytes at its peak (its kernels were its
   * own, so the returned model's kernels do not show them; up to `shards` of them were held at once). Else null.
   */
  memberArenaPeakBytes: number[] | null;
}

/** Anchor sentences per segment for relation and joint training (context sentences come on top). */
const SEGMENT_ANCHORS = 4;

interface CheckpointState {
  fingerprint: string;
  /** The ensemble member in training (0-based); the members before it are finished and in the checkpoint. */
  member: number;
  phaseIndex: number;
  /** Epochs finished in the current phase. */
  epochsDone: number;
  /** The current phase stopped early or ran out of epochs. */
  phaseDone: boolean;
  bestScore: number | null;
  bestEpoch: number;
  badEpochs: number;
  history: EpochRecord[];
  bestEpochs: Record<string, number>;
  adamStep: number;
}

export async function train(
  documents: readonly Document[],
  config: ModelConfig,
  options: TrainOptions = {},
): Promise<TrainResult> {
  if (documents.length === 0) throw new MedrexError('no training documents', { rule: 'train-empty' });
  const shards = options.shards ?? 1;
  if (trainsMembersOnThreads(config, options)) return trainEnsembleOnThreads(documents, config, options);
  const kernels = options.kernels ?? (await defaultKernels(shards, options.backend));
  const model = createModel(kernels, documents, config);
  const encoded = documents.map((d) => encodeDocument(d, model.vocabs, model.labels, model.config.windowSentences));
  const dev = options.devDocuments ?? [];

  const checkpointDir = options.outDir ?? null;
  if (checkpointDir && options.restart) discardCheckpoint(checkpointDir);
  const fingerprint = fingerprintOf(documents, dev, model.config);
  const restored = checkpointDir ? readTrainingCheckpoint(checkpointDir, fingerprint, model.members.length) : null;
  let state: CheckpointState = restored?.state ?? { ...freshMemberState(), fingerprint, member: 0, history: [], bestEpochs: {} };
  const finished: Weights[] = [...(restored?.finished ?? [])];
  finished.forEach((weights, i) => loadParameters(model.members[i].params, weights, checkpointPath(checkpointDir!)));

  // Members train one after the other, each with its own worker pool; the workers' memory regions are reserved
  // below every per-step allocation and given back (with the optimiser's moments) when the member is done.
  for (; state.member < model.members.length; state.member++) {
    const member = model.members[state.member];
    member.directionRunner = options.directionRunner;
    const view: Model = { ...model, config: memberTrainingConfig(model, member), network: member, members: [member] };
    const mark = kernels.mark();
    const pool = shards > 1 ? await createTrainingPool(member, encoded, shards) : null;
    try {
      const resumeFrom = restored && restored.state.member === state.member ? restored : null;
      const memberLabel = model.members.length > 1 ? state.member + 1 : null;
      state = await trainMember(view, encoded, dev, options, pool, state, resumeFrom, memberLabel, finished);
    } finally {
      await pool?.close();
      kernels.reset(mark);
    }
    finished.push(weightsOf(member.params));
    state = { ...state, ...freshMemberState() };
    if (checkpointDir && state.member + 1 < model.members.length) {
      const next: CheckpointState = { ...state, member: state.member + 1 };
      const fresh = weightsOf(model.members[next.member].params);
      writeCheckpoint(checkpointDir, { state: next, current: fresh, best: fresh, optimizer: { steps: 0, tensors: [] }, finished }, options.checkpointFileOps);
    }
  }

  model.training = {
    summary: summarize(documents),
    devDocuments: dev.length,
    history: state.history,
    bestEpochs: state.bestEpochs,
  };
  settleNoneWeight(model, config, dev);
  if (options.outDir) saveModel(model, options.outDir);
  return { model, history: state.history, resumed: restored !== null, memberArenaPeakBytes: null };
}

/**
 * Members go to threads of their own when there are several of both, the kernels are this module's to choose, and
 * no checkpoint of a one-thread run waits in `outDir` (that run resumes as it began).
 */
function trainsMembersOnThreads(config: ModelConfig, options: TrainOptions): boolean {
  const { outDir, restart } = options;
  if ((options.shards ?? 1) < 2 || config.ensemble < 2) return false;
  if (options.kernels || options.directionRunner || options.checkpointFileOps) return false;
  return !(outDir && !restart && hasCheckpoint(outDir));
}

async function trainEnsembleOnThreads(documents: readonly Document[], config: ModelConfig, options: TrainOptions): Promise<TrainResult> {
  const backend = options.backend ?? 'wasm';
  const kernels = await defaultKernels(1, backend);
  const model = createModel(kernels, documents, config);
  const dev = options.devDocuments ?? [];
  if (options.outDir && options.restart) discardCheckpoint(options.outDir);
  const showProgress = showsProgress(options);
  const labelled = (member: number, record: EpochRecord): EpochRecord => ({ ...record, member: member + 1 });
  const members = await trainMembersOnThreads(
    documents,
    model.members.map((member) => memberTrainingConfig(model, member)),
    {
      threads: options.shards ?? 1,
      backend,
      devDocuments: dev,
      outDir: options.outDir ?? null,
      restart: options.restart ?? false,
      onEpoch: (member, record) => {
        // Members interleave, so one line per epoch rather than progress bars.
        if (showProgress) process.stderr.write(`${describeEpoch(labelled(member, record))}\n`);
        options.onEpoch?.(labelled(member, record));
      },
    },
  );
  const history: EpochRecord[] = [];
  const bestEpochs: Record<string, number> = {};
  members.forEach((result, k) => {
    loadParameters(model.members[k].params, result.weights, `ensemble member ${k + 1}`);
    history.push(...result.history.map((record) => labelled(k, record)));
    for (const [phase, epoch] of Object.entries(result.bestEpochs)) bestEpochs[`member${k + 1}.${phase}`] = epoch;
  });
  model.training = { summary: summarize(documents), devDocuments: dev.length, history, bestEpochs };
  settleNoneWeight(model, config, dev);
  if (options.outDir) saveModel(model, options.outDir);
  return { model, history, resumed: members.some((m) => m.resumed), memberArenaPeakBytes: members.map((m) => m.peakBytes) };
}

/** `progress: 'auto'` (the default) shows progress only when stderr is a terminal. */
function showsProgress(options: TrainOptions): boolean {
  return options.progress === true || (options.progress !== false && Boolean(process.stderr.isTTY));
}

/**
 * What one member trains with, on this thread or its own: its config (seed, one member), the model's tag layout, and
 * plain argmax for relations (the model's weight is tuned once, on the whole ensemble, by `settleNoneWeight`).
 */
function memberTrainingConfig(model: Model, member: Model['network']): Model['config'] {
  return { ...member.config, tagLayers: model.config.tagLayers, noneWeight: 1 };
}

/** With `noneWeight: 'tune'`, dev documents and relation types to decide, the trained model's weight is chosen on dev. */
function settleNoneWeight(model: Model, config: ModelConfig, dev: readonly Document[]): void {
  if (config.noneWeight !== 'tune' || dev.length === 0 || model.labels.relationTypes.size < 2 || !model.training) return;
  const { noneWeight, trials } = tuneNoneWeight(model, dev);
  model.config = { ...model.config, noneWeight };
  model.training.noneWeightTuning = trials;
}

/** The per-member part of the training state, at the start of a member's first phase. */
function freshMemberState(): Omit<CheckpointState, 'fingerprint' | 'member' | 'history' | 'bestEpochs'> {
  return { phaseIndex: 0, epochsDone: 0, phaseDone: false, bestScore: null, bestEpoch: 0, badEpochs: 0, adamStep: 0 };
}

/**
 * Trains one member (`model` is the member's view: its config, its network alone) through every phase, from
 * `restored` when the checkpoint was taken in this member. `memberLabel` (1-based, null for a single network) tags
 * the epoch records and best epochs of an ensemble; `finished` (the members before this one) goes into each
 * checkpoint, so that a resumed run does not train them again.
 */
async function trainMember(
  model: Model,
  encoded: readonly EncodedDocument[],
  dev: readonly Document[],
  options: TrainOptions,
  pool: TrainingPool | null,
  initial: CheckpointState,
  restored: Checkpoint<CheckpointState> | null,
  memberLabel: number | null,
  finished: readonly Weights[],
): Promise<CheckpointState> {
  const { network } = model;
  const kernels = network.kernels;
  const phases: Phase[] = model.config.kind === 'pipeline' ? ['ner', 're'] : ['joint'];
  const showProgress = showsProgress(options);
  const checkpointDir = options.outDir ?? null;
  const save = (s: CheckpointState, current: Weights, bestWeights: Weights, optimizer: OptimizerState) =>
    writeCheckpoint(checkpointDir!, { state: s, current, best: bestWeights, optimizer, finished }, options.checkpointFileOps);
  const state: CheckpointState = { ...initial, history: [...initial.history], bestEpochs: { ...initial.bestEpochs } };
  let best = weightsOf(network.params);
  let pendingOptimizer: OptimizerState | null = null;
  if (restored) {
    loadParameters(network.params, restored.current, checkpointPath(checkpointDir!));
    best = restored.best;
    pendingOptimizer = restored.optimizer;
  }
  const bestKey = (phase: Phase) => (memberLabel === null ? phase : `member${memberLabel}.${phase}`);

  for (; state.phaseIndex < phases.length; state.phaseIndex++) {
    const phase = phases[state.phaseIndex];
    const trained = network.parametersOf(phase === 'joint' ? 'all' : phase);
    const adam = new Adam(kernels, trained, { lr: model.config.learningRate, weightDecay: model.config.weightDecay });
    // Only the phase the checkpoint was taken in has optimiser moments to restore.
    const average = model.config.averageDecay > 0 ? new ParameterAverage(kernels, trained, model.config.averageDecay) : null;
    if (pendingOptimizer && pendingOptimizer.steps > 0) {
      adam.restore(pendingOptimizer);
      average?.restore(pendingOptimizer.tensors, pendingOptimizer.steps);
    }
    pendingOptimizer = null;
    let epochDocuments = encoded;
    while (!state.phaseDone && state.epochsDone < model.config.epochs) {
      const epoch = state.epochsDone + 1;
      const started = performance.now();
      const progress = showProgress ? `${memberLabel === null ? '' : `member ${memberLabel} `}${phase} epoch ${epoch}` : null;
      epochDocuments = relationTrainingDocuments(model, encoded, epochDocuments, phase, epoch);
      const losses = runEpoch(model, epochDocuments, phase, epoch, { optimizer: adam, average, parameters: trained, pool }, progress);
      // With averaging, the averaged weights are the ones judged and kept; training goes on from the live ones.
      average?.swapIn();
      const scores = dev.length > 0 ? evaluate(model, dev, phase) : null;
      const record: EpochRecord = {
        phase,
        ...(memberLabel === null ? {} : { member: memberLabel }),
        epoch,
        loss: losses.loss,
        nerLoss: losses.ner,
        relLoss: losses.rel,
        devEntityF1: scores?.entityF1 ?? null,
        devRelationF1: scores?.relationF1 ?? null,
        devScore: scores?.score ?? null,
        seconds: (performance.now() - started) / 1000,
      };
      state.history.push(record);
      state.epochsDone = epoch;
      const improved = scores === null || state.bestScore === null || scores.score > state.bestScore;
      if (improved) {
        state.bestScore = scores?.score ?? null;
        state.bestEpoch = epoch;
        state.badEpochs = 0;
        best = weightsOf(network.params);
      } else {
        state.badEpochs++;
        if (model.config.patience > 0 && state.badEpochs >= model.config.patience) state.phaseDone = true;
      }
      if (state.epochsDone >= model.config.epochs) state.phaseDone = true;
      average?.swapOut();
      const snapshot = adam.snapshot();
      if (average) snapshot.tensors.push(...average.snapshot());
      state.adamStep = snapshot.steps;
      if (checkpointDir) save(state, weightsOf(network.params), best, snapshot);
      if (showProgress) process.stderr.write(`${describeEpoch(record)}${improved ? ' *' : ''}\n`);
      options.onEpoch?.(record);
      // An epoch is one long synchronous computation: let timers, signals and messages run between epochs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // The phase ends on its best weights; the next phase (if any) starts from them.
    loadParameters(network.params, best, 'best weights');
    state.bestEpochs[bestKey(phase)] = state.bestEpoch;
    Object.assign(state, { ...freshMemberState(), phaseIndex: state.phaseIndex });
    if (checkpointDir && state.phaseIndex + 1 < phases.length) {
      const next = { ...state, phaseIndex: state.phaseIndex + 1 };
      save(next, best, best, { steps: 0, tensors: [] });
    }
  }
  return state;
}

/**
 * The documents an epoch trains on: the gold encoding, or with `relationTrainEntities: "gold+predicted"` the gold
 * encoding plus the tagger's non-gold entities (./predicted-entities.ts). A joint model's tagger changes as it
 * trains, so they are found again each epoch from the second on (the first epoch's tagger knows nothing yet); a
 * pipeline's RE phase reads a finished tagger, so once. Found with the live weights, which a resumed run restores,
 * so resuming does not change them.
 */
function relationTrainingDocuments(
  model: Model, gold: readonly EncodedDocument[], previous: readonly EncodedDocument[], phase: Phase, epoch: number,
): readonly EncodedDocument[] {
  if (model.config.relationTrainEntities !== 'gold+predicted' || phase === 'ner') return gold;
  if (phase === 'joint' && epoch < 2) return gold;
  if (phase === 're' && previous !== gold) return previous;
  return withPredictedEntities(model, gold);
}

interface EpochLosses {
  loss: number;
  ner: number | null;
  rel: number | null;
}

/**
 * Padded tokens per training batch at most (rows x longest row): a batch with a very long sentence is cut into
 * smaller ones, so that activation memory is bounded whatever the corpus (see `capBatchSize`).
 */
export const TRAINING_PADDED_TOKENS = 4_096;

function runEpoch(
  model: Model,
  encoded: readonly EncodedDocument[],
  phase: Phase,
  epoch: number,
  training: { optimizer: Optimizer; average: ParameterAverage | null; parameters: readonly Parameter[]; pool: TrainingPool | null },
  /** The progress bar's title ("member 2 joint epoch 3"), or null for no bar. */
  progress: string | null,
): EpochLosses {
  const { network, config } = model;
  const counts = encoded.map((d) => d.sentences.length);
  const segments =
    phase === 'ner'
      ? planSegments(counts, 1, 0)
      : planSegments(counts, SEGMENT_ANCHORS, config.windowSentences - 1);
  const batches = capBatchSize(
    batchSegments(segments, config.batchSize, { seed: config.seed, epoch: epochKey(phase, epoch) }),
    (doc, sentence) => encoded[doc].sentences[sentence].words.length,
    TRAINING_PADDED_TOKENS,
  );
  const pairs = epochPairs(encoded, config, phase, epoch);
  const pairsOf = (doc: number) => pairs[doc];
  const classWeights = network.classWeights();
  const { pool } = training;
  const bar = progress
    ? new cliProgress.SingleBar(
        { format: `${progress} |{bar}| {value}/{total} batches  loss {loss}`, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(batches.length, 0, { loss: '-' });
  let nerSum = 0;
  let relSum = 0;
  let steps = 0;
  batches.forEach((segmentsOfBatch, index) => {
    // One shard per thread; each adds its part of the batch's gradient (shards.ts explains why the sum does not
    // depend on the thread count).
    const { shards, totals } = shardBatch(encoded, segmentsOfBatch, pairsOf, pool?.threads ?? 1, classWeights);
    const key = { phase, epoch, index };
    const local = () => runShard(network, encoded, pairsOf, shards[0], totals, key);
    const parts = pool && shards.length > 1 ? pool.run(shards, totals, key, local, { documents: encoded, pairsOf }) : [local()];
    pool?.addGradients(training.parameters, shards.length);
    let ner: number | null = null;
    let rel: number | null = null;
    for (const part of parts) {
      if (part.ner !== null) ner = (ner ?? 0) + part.ner;
      if (part.rel !== null) rel = (rel ?? 0) + part.rel;
    }
    if (ner === null && rel === null) return; // a relation batch without any candidate pair: nothing to learn from
    nerSum += ner ?? 0;
    relSum += rel ?? 0;
    steps++;
    if (config.gradClip > 0) clipGradNorm(network.kernels, training.parameters, config.gradClip);
    // Inverse-time decay per epoch (Lample et al. 2016): smaller steps as the model settles.
    training.optimizer.step(config.learningRate / (1 + config.lrDecay * (epoch - 1)));
    training.average?.update();
    network.params.zeroGrads();
    const loss = (ner ?? 0) + (phase === 'joint' ? config.relLossWeight : 1) * (rel ?? 0);
    bar?.update(index + 1, { loss: loss.toFixed(3) });
  });
  bar?.stop();
  const n = Math.max(steps, 1);
  const ner = phase === 're' ? null : nerSum / n;
  const rel = phase === 'ner' ? null : relSum / n;
  return { loss: (ner ?? 0) + (phase === 'joint' ? config.relLossWeight : 1) * (rel ?? 0), ner, rel };
}

interface DevScores {
  entityF1: number | null;
  relationF1: number | null;
  score: number;
}

/** Dev scores for model selection in a phase (see the module comment for which number counts). */
export function evaluate(model: Model, dev: readonly Document[], phase: Phase): DevScores {
  if (phase === 'ner') {
    const predicted = predictDocuments(model, dev, { entities: 'predicted' }).map((d) => ({ ...d, relations: [] }));
    const gold = dev.map((d) => ({ ...d, relations: [] }));
    const f1 = strictScores(gold, predicted).entities.f1;
    return { entityF1: f1, relationF1: null, score: f1 };
  }
  if (phase === 're') {
    const f1 = strictScores(dev, predictDocuments(model, dev, { entities: 'gold' }), model.labels.symmetricTypes).relations.f1;
    return { entityF1: null, relationF1: f1, score: f1 };
  }
  const scores = strictScores(dev, predictDocuments(model, dev), model.labels.symmetricTypes);
  return {
    entityF1: scores.entities.f1,
    relationF1: scores.relations.f1,
    score: (scores.entities.f1 + scores.relations.f1) / 2,
  };
}

export function describeEpoch(r: EpochRecord): string {
  const parts = [`${r.member === undefined ? '' : `member ${r.member} `}${r.phase} epoch ${r.epoch}`, `loss ${r.loss.toFixed(4)}`];
  if (r.devEntityF1 !== null) parts.push(`dev entity F1 ${r.devEntityF1.toFixed(4)}`);
  if (r.devRelationF1 !== null) parts.push(`dev relation F1 ${r.devRelationF1.toFixed(4)}`);
  parts.push(`${r.seconds.toFixed(1)} s`);
  return parts.join('  ');
}

/**
 * What a checkpoint must agree with to be resumed: the data and every config key that changes the result (epochs
 * and patience only say how long to go on).
 */
function fingerprintOf(train: readonly Document[], dev: readonly Document[], config: ModelConfig): string {
  const hash = createHash('sha256');
  const { epochs: _epochs, patience: _patience, ...rest } = config;
  hash.update(JSON.stringify(rest));
  for (const set of [train, dev]) {
    hash.update(`|${set.length}`);
    for (const d of set) hash.update(`${d.id}\u0000${d.text.length}\u0000${d.entities.length}\u0000${d.relations.length}\u0000`);
  }
  return hash.digest('hex');
}

function readTrainingCheckpoint(dir: string, fingerprint: string, members: number) {
  const checkpoint = readCheckpoint<CheckpointState>(dir);
  if (!checkpoint) return null;
  const { state } = checkpoint;
  if (typeof state !== 'object' || state === null || typeof state.phaseIndex !== 'number' || !Array.isArray(state.history)) {
    throw new MedrexError(
      'the training checkpoint is damaged (its state is incomplete); run the same command with --restart to discard it',
      { file: checkpointPath(dir), rule: 'checkpoint-damaged' },
    );
  }
  if (state.fingerprint !== fingerprint) {
    throw new MedrexError(
      'the checkpoint here was made with other data or another config; use a new output directory, or --restart to discard it',
      { file: checkpointPath(dir), rule: 'checkpoint-mismatch' },
    );
  }
  // The member in training, and exactly the members before it finished (else some would keep their initial weights).
  const member = state.member as unknown;
  if (typeof member !== 'number' || !Number.isInteger(member) || member < 0 || member >= members || (checkpoint.finished?.length ?? 0) !== member) {
    throw new MedrexError(
      'the training checkpoint is damaged (its ensemble members do not add up); run the same command with --restart to discard it',
      { file: checkpointPath(dir), rule: 'checkpoint-damaged' },
    );
  }
  return checkpoint;
}
