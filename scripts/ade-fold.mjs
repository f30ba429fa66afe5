#!/usr/bin/env node
/* global process, console, performance */
// One ADE cross-validation fold, for model experiments (the figures in src/models/README.md come from it):
//   npm run build && node scripts/ade-fold.mjs FOLD ['{"hidden":128}'] [--vectors DIM:EPOCHS] [--sentence-folds] [--threads 2] [--backend blas]
// Reads the ADE corpus from MEDREX_ADE_DIR (default ../shared/data/ade-corpus-v2 beside the repository), cleans it
// as the study does, trains a joint model (sharing encoder, one-sentence window; the JSON overrides any model config
// key) on the other nine folds with a dev split of whole articles, and prints one JSON line: strict micro F1 of NER
// (with precision, recall and lenient F1, and macro-averaged over entity types as published), of end-to-end RE, and of end-to-end RE with relations between overlapping
// entities removed from gold and prediction (the published protocol), the latter also with plain argmax relations
// (`reWithoutOverlappingArgmax`, beside the `noneWeight` tuned on dev), plus training seconds. `--vectors` first
// pretrains fold-safe skip-gram vectors (no sentence of a test-fold article) and trains with them.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => import(join(root, 'dist', path));
const { readAdeCorpus, adeArticleOf } = await dist('corpus/ade.js');
const { cleanCorpus } = await dist('corpus/clean/clean.js');
const { parseConfig } = await dist('models/config.js');
const { splitDev } = await dist('models/split.js');
const { train } = await dist('models/train.js');
const { predictDocuments, predictRelations } = await dist('models/predict.js');
const { scoreCorpora } = await dist('eval/score.js');
const { withoutOverlappingRelations } = await dist('eval/overlapping.js');
const { readTextUnits } = await dist('corpus/unlabelled.js');
const { pretrainWordVectors } = await dist('models/pretrain/index.js');
const { hashFolds } = await dist('study/folds.js');

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { vectors: { type: 'string' }, 'sentence-folds': { type: 'boolean', default: false }, threads: { type: 'string', default: '2' }, backend: { type: 'string', default: 'blas' } },
});
const [foldText, overrides = '{}'] = positionals;
const fold = Number(foldText);
const adeDir = process.env.MEDREX_ADE_DIR ?? resolve(root, '..', 'shared', 'data', 'ade-corpus-v2');
if (!Number.isInteger(fold) || fold < 0 || fold > 9) throw new Error('give a fold from 0 to 9');
if (!existsSync(adeDir)) throw new Error(`no ADE corpus at ${adeDir}; set MEDREX_ADE_DIR`);

const ade = await readAdeCorpus(adeDir);
const documents = cleanCorpus(ade.documents).documents;
// `--sentence-folds`: the study's folds with `"useCorpusFolds": false` (configs/study.ade-sentences.json): sentences
// dealt to ten folds by a hash of their id, ignoring articles, as a sentence-level split does. Sentences of one
// abstract share drugs and phrasing, so this is an easier test than holding articles out whole (the default).
const folds = values['sentence-folds'] ? hashFolds(documents.map((d) => d.id), 10) : ade.folds;
const testIds = new Set(folds[fold]);
const test = documents.filter((d) => testIds.has(d.id));
const rest = documents.filter((d) => !testIds.has(d.id));
const modelConfig = { kind: 'joint', sharing: 'encoder', windowSentences: 1, ...JSON.parse(overrides) };
if (values.vectors) {
  const [dim, epochs] = values.vectors.split(':').map(Number);
  const testArticles = new Set([...testIds].map(adeArticleOf));
  const units = (await readTextUnits([adeDir])).filter((u) => !testArticles.has(u.group));
  const { file } = pretrainWordVectors(units, { lowercase: true, normalizeDigits: true }, { dim, epochs });
  modelConfig.pretrainedVectors = join(mkdtempSync(join(tmpdir(), 'medrex-ade-vectors-')), 'vectors.txt');
  writeFileSync(modelConfig.pretrainedVectors, file);
}
const config = parseConfig(modelConfig);
const { train: fit, dev } = splitDev(rest, 0.1, config.seed, adeArticleOf);
const started = performance.now();
const { model, history } = await train(fit, config, {
  devDocuments: dev, shards: Number(values.threads), backend: values.backend, progress: false,
});
const seconds = (performance.now() - started) / 1000;
const predicted = predictDocuments(model, test);
// The same entities with plain argmax relations (noneWeight 1): against `reWithoutOverlapping`, what the weight tuned
// on dev (`noneWeight`) bought on this fold.
const argmaxRelations = predictRelations(model, predicted, 1);
const argmax = predicted.map((d, i) => ({ ...d, relations: argmaxRelations[i] }));

const withoutRelations = (docs) => docs.map((d) => ({ ...d, relations: [] }));
const nerReport = scoreCorpora(withoutRelations(test), withoutRelations(predicted));
const ner = nerReport.entities.micro;
const round = (x) => Math.round(x * 1e4) / 1e4;
console.log(JSON.stringify({
  fold,
  folds: values['sentence-folds'] ? 'sentences' : 'articles',
  config: JSON.parse(overrides),
  vectors: values.vectors ?? null,
  ner: round(ner.strict.f1),
  nerPrecision: round(ner.strict.precision),
  nerRecall: round(ner.strict.recall),
  nerLenient: round(ner.lenient.f1),
  // The published ADE figures are macro F1: the mean of the per-type F1s.
  nerMacro: round(nerReport.additions.entities.macroOverTypes.strict.f1),
  re: round(scoreCorpora(test, predicted).relations.micro.strict.f1),
  reWithoutOverlapping: round(scoreCorpora(withoutOverlappingRelations(test), withoutOverlappingRelations(predicted)).relations.micro.strict.f1),
  noneWeight: model.config.noneWeight,
  reWithoutOverlappingArgmax: round(scoreCorpora(withoutOverlappingRelations(test), withoutOverlappingRelations(argmax)).relations.micro.strict.f1),
  epochs: history.length,
  seconds: Math.round(seconds),
}));
