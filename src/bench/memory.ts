#!/usr/bin/env node
/**
 * Memory benchmark: `npm run bench:memory [-- --tokens 5000,10000,20000 --mentions 60 --json]`.
 *
 * Trains a joint model for one epoch and predicts, (a) on one note of N tokens (synthetic discharge summaries
 * joined into one document, for each N) and (b) on sentences holding M mentions of one entity type with relations
 * between mentions of that type (M x (M - 1) candidate pairs per sentence). Each scenario runs in a child process
 * of its own, so that its peak RSS is its own. Prints the engine's arena peak (parameters, optimiser state and
 * activations: what the model itself needs) and the process's peak RSS (Node included). Target: under 1 GB for
 * both, and growth linear in note length (the per-1,000-token column should stay flat).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { Document, Entity, Relation } from '../corpus/types.js';
import { generateCorpus } from '../corpus/synth/index.js';
import { tokenize } from '../text/tokenize.js';
import { parseConfig } from '../models/config.js';
import { train } from '../models/train.js';
import { predictDocuments } from '../models/predict.js';

interface Scenario {
  kind: 'long-note' | 'dense-sentence';
  size: number;
}

interface Measurement {
  scenario: string;
  tokens: number;
  entities: number;
  relations: number;
  arenaPeakMiB: number;
  rssPeakMiB: number;
  seconds: number;
}

/** Synthetic notes joined (blank line between) until the text holds at least `tokens` tokens. */
export function longNote(tokens: number): Document {
  let text = '';
  const entities: Entity[] = [];
  const relations: Relation[] = [];
  let seed = 0;
  let count = 0;
  while (count < tokens) {
    for (const doc of generateCorpus({ docs: 20, seed: 1000 + seed++ })) {
      const shift = text.length;
      const prefix = `d${seed}_${doc.id}_`;
      for (const e of doc.entities) {
        entities.push({ ...e, id: `${prefix}${e.id}`, fragments: e.fragments.map((f) => ({ start: f.start + shift, end: f.end + shift })) });
      }
      for (const r of doc.relations) relations.push({ ...r, id: `${prefix}${r.id}`, arg1: `${prefix}${r.arg1}`, arg2: `${prefix}${r.arg2}` });
      text += `${doc.text}\n\n`;
      // Notes are joined at blank lines, so their token counts add up.
      count += tokenize(doc.text).length;
      if (count >= tokens) break;
    }
  }
  return { id: `long-${tokens}`, text, entities, relations };
}

/** A sentence naming `mentions` drugs, each interacting with the next: same-type relations, many candidates. */
export function denseSentence(mentions: number, index: number): Document {
  const names = Array.from({ length: mentions }, (_, i) => `drug${String.fromCharCode(97 + ((i + index) % 26))}${i}`);
  let text = 'Interactions were reported between ';
  const entities: Entity[] = [];
  names.forEach((name, i) => {
    if (i > 0) text += i === names.length - 1 ? ' and ' : ', ';
    entities.push({ id: `T${i + 1}`, type: 'Compound', fragments: [{ start: text.length, end: text.length + name.length }], text: name });
    text += name;
  });
  text += '.\n';
  const relations: Relation[] = [];
  for (let i = 0; i + 1 < mentions; i += 2) relations.push({ id: `R${relations.length + 1}`, type: 'Interaction', arg1: `T${i + 1}`, arg2: `T${i + 2}` });
  return { id: `dense-${index}`, text, entities, relations };
}

async function measure(scenario: Scenario): Promise<Measurement> {
  const documents =
    scenario.kind === 'long-note' ? [longNote(scenario.size)] : Array.from({ length: 4 }, (_, i) => denseSentence(scenario.size, i));
  const config = parseConfig({ kind: 'joint', sharing: 'encoder', epochs: 1, patience: 0, negativeRatio: null, windowSentences: 2 });
  const started = performance.now();
  const { model } = await train(documents, config, { progress: false });
  predictDocuments(model, documents);
  return {
    scenario: `${scenario.kind} ${scenario.size}`,
    tokens: documents.reduce((n, d) => n + tokenize(d.text).length, 0),
    entities: documents.reduce((n, d) => n + d.entities.length, 0),
    relations: documents.reduce((n, d) => n + d.relations.length, 0),
    arenaPeakMiB: model.network.kernels.peakBytes() / 2 ** 20,
    // maxRSS is in KiB.
    rssPeakMiB: process.resourceUsage().maxRSS / 1024,
    seconds: (performance.now() - started) / 1000,
  };
}

function runChild(scenario: Scenario): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(scenario)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: Measurement | null = null;
    child.on('message', (m) => (result = m as Measurement));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`scenario ${JSON.stringify(scenario)} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const opts = new Command('medrex-bench-memory')
    .option('--tokens <list>', 'note lengths in tokens', '5000,10000,20000')
    .option('--mentions <n>', 'mentions of one type per dense sentence', '60')
    .option('--json', 'print one JSON array')
    .option('--child <scenario>', 'internal: measure one scenario and send it to the parent')
    .parse()
    .opts<{ tokens: string; mentions: string; json?: boolean; child?: string }>();
  if (opts.child) {
    const result = await measure(JSON.parse(opts.child) as Scenario);
    process.send?.(result);
    return;
  }
  const scenarios: Scenario[] = [
    ...opts.tokens.split(',').map((t) => ({ kind: 'long-note' as const, size: Number(t) })),
    { kind: 'dense-sentence', size: Number(opts.mentions) },
  ];
  const results: Measurement[] = [];
  for (const s of scenarios) {
    const r = await runChild(s);
    results.push(r);
    if (!opts.json) {
      console.log(
        `${r.scenario.padEnd(22)} ${String(r.tokens).padStart(6)} tokens ${String(r.entities).padStart(5)} entities ` +
          `arena peak ${r.arenaPeakMiB.toFixed(1).padStart(7)} MiB (${((r.arenaPeakMiB * 1000) / r.tokens).toFixed(2)} per 1,000 tokens)  ` +
          `process peak ${r.rssPeakMiB.toFixed(0).padStart(5)} MiB  ${r.seconds.toFixed(1)} s`,
      );
    }
  }
  if (opts.json) console.log(JSON.stringify(results));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
