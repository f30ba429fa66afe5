import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBratCorpus } from '../../corpus/brat/write.js';
import { generateCorpus } from '../../corpus/synth/index.js';
import { runCli } from '../test-helpers/run-cli.js';

const BUILT_CLI = new URL('../../../dist/cli/main.js', import.meta.url).pathname;
if (!existsSync(BUILT_CLI)) console.warn('medrex train --threads 2 test skipped: run `npm run build` first (the workers run from dist/)');

const run = runCli;

describe('medrex train and predict', () => {
  let tmp: string;
  let data: string;
  let config: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-train-cli-'));
    data = join(tmp, 'corpus');
    await writeBratCorpus(data, generateCorpus({ docs: 6, seed: 4, length: 'short' }));
    config = join(tmp, 'tiny.json');
    writeFileSync(config, JSON.stringify({ hidden: 8, wordDim: 8, charFilters: 8, relHidden: 8 }));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('trains a joint model, then predicts brat and JSON files with it', async () => {
    const model = join(tmp, 'model');
    const trained = await run([
      'train', '--data', data, '--model', 'joint', '--sharing', 'embeddings', '--out', model,
      '--config', config, '--epochs', '1', '--dev-fraction', '0.2', '--no-progress',
    ]);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toContain('joint model (sharing embeddings) on 5 documents, 1 held out');
    // The default model is two networks, each with its own best epoch.
    expect(trained.stdout).toMatch(/^medrex train: wrote .*model \(\d+ parameters; best member 1 joint epoch 1, member 2 joint epoch 1; relation decision weight (\d|\.)+, tuned on dev\)/);
    const card = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(trained.stdout).toContain(`relation decision weight ${card.config.noneWeight as number}, tuned on dev`);
    expect(card.config).toMatchObject({ kind: 'joint', sharing: 'embeddings', hidden: 8, epochs: 1 });
    expect(card.labels.relationTypes).toContain('Strength-Drug');

    const ann = await run(['predict', '--model', model, '--in', data, '--out', join(tmp, 'pred')]);
    expect(ann.code).toBe(0);
    expect(ann.stdout).toMatch(/^medrex predict: 6 documents, \d+ entities, \d+ relations/);
    expect(readdirSync(join(tmp, 'pred')).filter((f) => f.endsWith('.ann')).length).toBe(6);
    // brat has no score field: the scores are notes on the annotations they belong to.
    const anns = readdirSync(join(tmp, 'pred')).filter((f) => f.endsWith('.ann')).map((f) => readFileSync(join(tmp, 'pred', f), 'utf8')).join('');
    if (/^T\d+\t/m.test(anns)) expect(anns).toMatch(/^#\d+\tAnnotatorNotes T\d+\tscore=(0|1|0\.\d+)$/m);
    // A non-empty output folder is refused before any work, naming the real flag; --force writes into it.
    const refusedOut = await run(['predict', '--model', model, '--in', data, '--out', join(tmp, 'pred')]);
    expect(refusedOut.code).toBe(1);
    expect(refusedOut.stderr).toContain('already holds the output of an earlier `medrex predict` (pass --force to replace it');
    expect((await run(['predict', '--model', model, '--in', data, '--out', join(tmp, 'pred'), '--force'])).code).toBe(0);

    const json = await run(['predict', '--model', model, '--in', data, '--out', join(tmp, 'pj'), '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(readFileSync(join(tmp, 'pj', 'predictions.json'), 'utf8')).documents.length).toBe(6);

    const again = await run(['train', '--data', data, '--model', 'joint', '--out', join(tmp, 'other'), '--config', config, '--epochs', '1']);
    expect(again.code).toBe(0);
    // A damaged checkpoint: one line naming it and --restart; --restart discards it and trains from the start.
    const checkpoint = join(tmp, 'other', 'checkpoint.safetensors');
    writeFileSync(checkpoint, readFileSync(checkpoint).subarray(0, 200));
    const damaged = await run(['train', '--data', data, '--model', 'joint', '--out', join(tmp, 'other'), '--config', config, '--epochs', '1']);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/checkpoint\.safetensors: the training checkpoint is damaged .*--restart/);
    expect(damaged.stderr).not.toContain('    at ');
    const restarted = await run(['train', '--data', data, '--model', 'joint', '--out', join(tmp, 'other'), '--config', config, '--epochs', '1', '--restart']);
    expect(restarted.code).toBe(0);
    // A finished model is not silently overwritten by a different run.
    rmSync(checkpoint);
    const refused = await run(['train', '--data', data, '--model', 'joint', '--out', join(tmp, 'other'), '--config', config]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds a trained model');
  });

  it.each([
    [['--model', 'both'], '--model must be pipeline or joint'],
    [['--model', 'joint', '--sharing', 'all'], '--sharing must be none, embeddings or encoder'],
    [['--model', 'pipeline', '--sharing', 'encoder'], 'a pipeline model shares nothing'],
    [['--model', 'joint', '--epochs', 'two'], '--epochs must be a whole number above 0'],
    [['--model', 'joint', '--ensemble', '0'], '--ensemble must be a whole number from 1 to 16'],
    [['--model', 'joint', '--dev-fraction', '1.5'], '--dev-fraction must be at least 0 and below 1'],
    [['--model', 'joint', '--threads', '0'], '--threads must be a whole number from 1 to 8 or "auto"'],
    [['--model', 'joint', '--threads', 'two'], '--threads must be a whole number from 1 to 8 or "auto"'],
    [['--model', 'joint', '--threads', '9'], '--threads must be a whole number from 1 to 8 or "auto"'],
    [['--model', 'joint', '--backend', 'gpu'], '--backend must be wasm or blas'],
  ])('rejects %j with a one-line error', async (flags, message) => {
    const { code, stderr } = await run(['train', '--data', data, '--out', join(tmp, 'bad'), ...flags]);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('    at ');
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });

  // The workers run from dist/, so this goes through the built CLI, as a user runs it.
  it.skipIf(!existsSync(BUILT_CLI))('trains on two threads (data-parallel) with --threads 2', () => {
    const model = join(tmp, 'threaded');
    const result = spawnSync(process.execPath, [
      BUILT_CLI, 'train', '--data', data, '--model', 'pipeline', '--out', model, '--config', config, '--epochs', '1',
      '--threads', '2', '--no-progress',
    ], { encoding: 'utf8' });
    expect(result.stderr).not.toContain('error');
    expect(result.status).toBe(0);
    const card = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(card.training.history.map((r: { phase: string; member: number }) => `${r.member}:${r.phase}`)).toEqual(['1:ner', '1:re', '2:ner', '2:re']);
  }, 60_000);

  it('names the config file and line of an unknown key', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{\n  "hiden": 8\n}\n');
    const { code, stderr } = await run(['train', '--data', data, '--model', 'joint', '--out', join(tmp, 'x'), '--config', bad]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${bad}:2: unknown config key "hiden"`);
    expect(stderr).toContain('[config-unknown-key]');
  });

  it('reports a missing model directory', async () => {
    const { code, stderr } = await run(['predict', '--model', join(tmp, 'nope'), '--in', data, '--out', join(tmp, 'p2')]);
    expect(code).toBe(1);
    expect(stderr).toContain('not a medrex model directory');
  });
});
