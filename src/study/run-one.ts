/**
 * One run of the study: train one configuration with one seed on one training part, predict the test part, score
 * it with the n2c2 scorer (NER, RE on gold entities, RE end to end), and measure what it cost. Meant to run alone
 * in its own process (see child.ts), so CPU time and peak memory are this run's.
 */
import type { Document } from '../corpus/types.js';
import type { TrainingBackend } from '../engine/kernels/load.js';
import { scoreCorpora, type ScoreReport } from '../eval/score.js';
import { countOverlappingRelations, withoutOverlappingRelations } from '../eval/overlapping.js';
import { summarize } from '../models/model.js';
import { predictDocuments } from '../models/predict.js';
import { train } from '../models/train.js';
import type { ModelConfig } from '../models/config.js';
import { DEFAULT_REGION_BYTES } from '../engine/parallel/shard-pool.js';
import { RECORD_FORMAT, RECORD_VERSION, type DocCounts, type RunRecord, type TaskScores } from './record.js';
import type { StudyConfiguration } from './config.js';

const MIB = 2 ** 20;
/** A float32 parameter. */
const PARAMETER_BYTES = 4;
/** Adam's first and second moments of a parameter: held for the ensemble member in training only. */
const ADAM_MOMENT_BYTES = 2 * 4;

/** Everything a run needs besides the documents; plain JSON so it can be sent to a child process. */
export interface RunSpec {
  id: string;
  specKey: string;
  configuration: StudyConfiguration;
  modelConfig: ModelConfig;
  fold: number;
  seed: number;
  /** Training threads (part of the spec: it changes the times, not the scores; see TrainOptions.shards). */
  threads: number;
  /** Where matrix products run (part of the spec for the same reason). */
  backend: TrainingBackend;
  trainIds: string[];
  /** Held out from trainIds for early stopping. */
  devIds: string[];
  testIds: string[];
  corpusHash: string;
  codeVersion: string;
}

/** The per-run work, as a function so the runner can be tested with a fake one. */
export type RunOne = (spec: RunSpec, trainDocs: readonly Document[], testDocs: readonly Document[]) => Promise<RunRecord>;

/** Train, predict, score and measure one run. `trainDocs` includes the dev documents named in `spec.devIds`. */
export const runOne: RunOne = async (spec, trainDocs, testDocs) => {
  const startedAt = new Date().toISOString();
  const cpuBefore = process.cpuUsage();
  const devIds = new Set(spec.devIds);
  const fit = trainDocs.filter((d) => !devIds.has(d.id));
  const dev = trainDocs.filter((d) => devIds.has(d.id));

  const trainStart = performance.now();
  const { model, history, memberArenaPeakBytes } = await train(fit, spec.modelConfig, { devDocuments: dev, progress: false, shards: spec.threads, backend: spec.backend });
  const trainSeconds = (performance.now() - trainStart) / 1000;

  const inferenceStart = performance.now();
  const endToEnd = predictDocuments(model, testDocs);
  const inferenceSeconds = (performance.now() - inferenceStart) / 1000;
  const onGold = predictDocuments(model, testDocs, { entities: 'gold' });
  const cpu = process.cpuUsage(cpuBefore);
  const testTokens = summarize(testDocs).tokens;
  const parameters = parameterCounts(model.members.map((m) => m.params));

  const nerReport = scoreCorpora(withoutRelations(testDocs), withoutRelations(endToEnd));
  // Relation types whose argument order means nothing in the training data match either way round.
  const scoring = { symmetricRelationTypes: model.labels.symmetricTypes };
  const goldReport = scoreCorpora(testDocs, onGold, scoring);
  const endReport = scoreCorpora(testDocs, endToEnd, scoring);
  const apartReport = scoreCorpora(withoutOverlappingRelations(testDocs), withoutOverlappingRelations(endToEnd), scoring);
  const apart = taskScores(apartReport, 'relations');
  const byId = (docs: readonly Document[]): Map<string, Document> => new Map(docs.map((d) => [d.id, d]));
  const endById = byId(endToEnd);
  const goldById = byId(onGold);

  return {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    id: spec.id,
    specKey: spec.specKey,
    configuration: spec.configuration.name,
    model: spec.configuration.model,
    sharing: spec.configuration.sharing,
    tagLayers: model.config.tagLayers,
    noneWeight: model.config.noneWeight,
    fold: spec.fold,
    seed: spec.seed,
    corpusHash: spec.corpusHash,
    codeVersion: spec.codeVersion,
    startedAt,
    data: { trainDocuments: fit.length, devDocuments: dev.length, testDocuments: testDocs.length, testTokens },
    scores: {
      ner: taskScores(nerReport, 'entities'),
      reGold: taskScores(goldReport, 'relations'),
      reEndToEnd: taskScores(endReport, 'relations'),
    },
    withoutOverlapping: {
      goldRelationsRemoved: countOverlappingRelations(testDocs),
      reEndToEnd: { strict: apart.strict, lenient: apart.lenient },
    },
    documents: testDocs.map((gold) => {
      const end = endById.get(gold.id) ?? emptyLike(gold);
      const withGold = goldById.get(gold.id) ?? emptyLike(gold);
      return {
        id: gold.id,
        ner: strictCounts(scoreCorpora([withoutRelations([gold])[0]], withoutRelations([end])), 'entities'),
        reGold: strictCounts(scoreCorpora([gold], [withGold], scoring), 'relations'),
        reEndToEnd: strictCounts(scoreCorpora([gold], [end], scoring), 'relations'),
      };
    }),
    cost: {
      threads: spec.threads,
      backend: spec.backend,
      trainSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      inferenceSeconds,
      inferenceTokensPerSecond: inferenceSeconds > 0 ? testTokens / inferenceSeconds : 0,
      // resourceUsage().maxRSS is in KiB and covers the whole process: in a child of its own, that is this run.
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      arenaPeakMiB: arenaPeakBytes(model.network.kernels.peakBytes(), memberArenaPeakBytes, spec.threads) / MIB,
      modelStateMiB:
        (parameters.total * PARAMETER_BYTES + Math.max(...model.members.map((m) => m.params.count())) * ADAM_MOMENT_BYTES) / MIB,
    },
    parameters,
    learningCurve: history.map((h) => ({
      phase: h.phase,
      ...(h.member === undefined ? {} : { member: h.member }),
      epoch: h.epoch,
      loss: h.loss,
      devEntityF1: h.devEntityF1,
      devRelationF1: h.devRelationF1,
      devScore: h.devScore ?? null,
      seconds: h.seconds,
    })),
  };
};

/**
 * The model's own memory: the largest arena the run needed. Members trained on threads of their own
 * (`memberArenaPeakBytes`) each had an arena, and this thread's held the model and predicted: the largest of them,
 * as when one arena serves the members one after the other. Else one arena served everything, but the regions
 * reserved in it for data-parallel workers are virtual until touched: they are left out.
 */
function arenaPeakBytes(mainPeak: number, memberPeaks: readonly number[] | null, threads: number): number {
  if (memberPeaks !== null) return Math.max(mainPeak, ...memberPeaks);
  return mainPeak - (threads - 1) * DEFAULT_REGION_BYTES;
}

function withoutRelations(docs: readonly Document[]): Document[] {
  return docs.map((d) => ({ ...d, relations: [] }));
}

function emptyLike(doc: Document): Document {
  return { id: doc.id, text: doc.text, entities: [], relations: [] };
}

function taskScores(report: ScoreReport, kind: 'entities' | 'relations'): TaskScores {
  const additions = report.additions[kind];
  const prf = (s: { precision: number; recall: number; f1: number }) => ({ precision: s.precision, recall: s.recall, f1: s.f1 });
  return {
    strict: prf(additions.micro.strict),
    lenient: prf(additions.micro.lenient),
    perType: additions.perType.map((row) => ({
      type: row.type,
      support: row.strict.tp + row.strict.fn,
      strictF1: row.strict.f1,
      lenientF1: row.lenient.f1,
    })),
    macroStrictF1: additions.macroOverTypes.strict.f1,
  };
}

function strictCounts(report: ScoreReport, kind: 'entities' | 'relations'): DocCounts {
  const { tp, fp, fn } = report.additions[kind].micro.strict;
  return { tp, fp, fn };
}

/**
 * Scalar parameters in total and per group, the group being the first two parts of the name (`shared.embed`,
 * `ner.encoder`, `re.head`, ...), so the report shows what sharing saves. An ensemble's members add up per group.
 */
export function parameterCounts(stores: readonly { list(): readonly { name: string; size: number }[] }[]): {
  total: number;
  byGroup: Record<string, number>;
} {
  const byGroup: Record<string, number> = {};
  let total = 0;
  for (const p of stores.flatMap((s) => s.list())) {
    const group = p.name.split('.').slice(0, 2).join('.');
    byGroup[group] = (byGroup[group] ?? 0) + p.size;
    total += p.size;
  }
  return { total, byGroup };
}
