/**
 * Hand-made run records for tests (kept out of the build by tsconfig.build.json, like every test-helpers folder).
 */
import { RECORD_FORMAT, RECORD_VERSION, type DocCounts, type RunRecord, type TaskScores } from '../record.js';
import { microF1 } from '../significance.js';

export interface FakeRecordOptions {
  configuration: string;
  fold: number;
  seed: number;
  /** Strict counts per document, used for all three tasks unless `reDocs` is given. */
  docs: Record<string, DocCounts>;
  /** Counts per document for both relation tasks. */
  reDocs?: Record<string, DocCounts>;
  model?: string;
  sharing?: string;
  trainSeconds?: number;
  peakRssMiB?: number;
  /** Engine arena peak; default 2 + parameters / 1000. */
  arenaPeakMiB?: number | null;
  parameters?: number;
  /** Dev score per epoch of one `joint` phase; default 0.6, 0.7, 0.65 (best at epoch 2 of 3: converged). */
  devScores?: number[];
  specKey?: string;
  corpusHash?: string;
  /** End-to-end RE under the published ADE protocol; default null (not recorded). */
  withoutOverlapping?: RunRecord['withoutOverlapping'];
}

function scoresOf(docs: Record<string, DocCounts>, types: string[]): TaskScores {
  const f1 = microF1(Object.values(docs));
  const prf = { precision: f1, recall: f1, f1 };
  return {
    strict: prf,
    lenient: prf,
    perType: types.map((type, i) => ({ type, support: 10 + i, strictF1: f1, lenientF1: Math.min(1, f1 + 0.02) })),
  };
}

export function fakeRecord(o: FakeRecordOptions): RunRecord {
  const reDocs = o.reDocs ?? o.docs;
  const ids = Object.keys(o.docs);
  const foldName = o.fold < 0 ? 'test' : `fold${o.fold}`;
  return {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    id: `${o.configuration}--${foldName}--seed${o.seed}`,
    specKey: o.specKey ?? 'spec',
    configuration: o.configuration,
    model: o.model ?? 'joint',
    sharing: o.sharing ?? 'none',
    tagLayers: 'single',
    noneWeight: 1,
    fold: o.fold,
    seed: o.seed,
    corpusHash: o.corpusHash ?? 'corpus',
    codeVersion: '0.0.0-test',
    startedAt: '2026-01-01T00:00:00.000Z',
    data: { trainDocuments: 8, devDocuments: 1, testDocuments: ids.length, testTokens: 100 * ids.length },
    scores: {
      ner: scoresOf(o.docs, ['Drug', 'Strength']),
      reGold: scoresOf(reDocs, ['Strength-Drug']),
      reEndToEnd: scoresOf(reDocs, ['Strength-Drug']),
    },
    withoutOverlapping: o.withoutOverlapping ?? null,
    documents: ids.map((id) => ({ id, ner: o.docs[id], reGold: reDocs[id] ?? o.docs[id], reEndToEnd: reDocs[id] ?? o.docs[id] })),
    cost: {
      threads: 1,
      backend: 'wasm',
      trainSeconds: o.trainSeconds ?? 10,
      cpuSeconds: (o.trainSeconds ?? 10) * 1.1,
      inferenceSeconds: 0.5,
      inferenceTokensPerSecond: 200 * ids.length,
      peakRssMiB: o.peakRssMiB ?? 150,
      arenaPeakMiB: o.arenaPeakMiB === undefined ? 2 + (o.parameters ?? 1000) / 1000 : o.arenaPeakMiB,
      modelStateMiB: ((o.parameters ?? 1000) * 12) / 2 ** 20,
    },
    parameters: { total: o.parameters ?? 1000, byGroup: { 'ner.embed': (o.parameters ?? 1000) / 2, 're.head': (o.parameters ?? 1000) / 2 } },
    learningCurve: (o.devScores ?? [0.6, 0.7, 0.65]).map((devScore, i) => ({
      phase: 'joint',
      epoch: i + 1,
      loss: 3 / (i + 1),
      devEntityF1: devScore + 0.05,
      devRelationF1: devScore - 0.05,
      devScore,
      seconds: 1,
    })),
  };
}

/** Three configurations with small, mixed differences: the layout case that crowds markers and whiskers. */
export function threeConfigurationRecords(): RunRecord[] {
  const c = (tp: number, fp: number, fn: number): DocCounts => ({ tp, fp, fn });
  const out: RunRecord[] = [];
  const configs = [
    { configuration: 'pipeline', model: 'pipeline', sharing: 'none', shift: 0, time: 30, mem: 6.5, params: 9000 },
    { configuration: 'joint-embeddings', model: 'joint', sharing: 'embeddings', shift: 1, time: 24, mem: 5.1, params: 7000 },
    { configuration: 'joint-encoder', model: 'joint', sharing: 'encoder', shift: -1, time: 21, mem: 4.2, params: 5000 },
  ];
  for (const fold of [0, 1, 2]) {
    for (const seed of [1, 2]) {
      for (const k of configs) {
        const docs: Record<string, DocCounts> = {};
        const reDocs: Record<string, DocCounts> = {};
        for (let i = 0; i < 8; i++) {
          docs[`f${fold}d${i}`] = c(8 + ((i + seed + k.shift + 3) % 3), 1 + (i % 2), 2);
          reDocs[`f${fold}d${i}`] = c(4 + ((i + k.shift + 3) % 2), 1, 2 + ((i + seed) % 2));
        }
        out.push(fakeRecord({
          ...k, fold, seed, docs, reDocs,
          trainSeconds: k.time + fold + seed,
          arenaPeakMiB: k.mem + fold * 0.01,
          parameters: k.params,
          devScores: seed === 1 ? [0.5, 0.6, 0.7] : [0.5, 0.7, 0.6],
        }));
      }
    }
  }
  return out;
}
