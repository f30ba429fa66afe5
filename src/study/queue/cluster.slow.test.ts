/**
 * Scale-out end to end: `medrex worker` processes and `medrex study --queue` from the built code (`npm run build`
 * first), real training on a tiny synthetic study, a redis-server of the test's own (random port, no persistence).
 * Checks: the queued study equals the local one run for run; a worker killed with SIGKILL mid-run loses nothing;
 * Redis restarted (empty) mid-study is survived without losing a finished record. Skips without redis-server or dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, type RunRecord } from '../record.js';
import { redisServerAvailable, startLocalRedis, type LocalRedis } from './local-redis.js';

const repo = join(import.meta.dirname, '..', '..', '..');
const mainJs = join(repo, 'dist', 'cli', 'main.js');
const built = existsSync(join(repo, 'dist', 'study', 'queue', 'worker-child.js')) && existsSync(join(repo, 'dist', 'cli', 'commands', 'worker.js'));
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('cluster.slow.test: no redis-server binary (Debian: apt-get install redis-server); skipping');
if (!built) console.warn('cluster.slow.test: the worker is not built (run `npm run build`); skipping');

/** 24 synthetic documents -> 20 for cross-validation; 2 folds x 1 seed x 2 configurations = 4 runs. */
function studyConfig(epochs: number): object {
  return {
    folds: 2,
    seeds: [1],
    configurations: [
      { name: 'pipeline', model: 'pipeline', sharing: 'none' },
      { name: 'joint-encoder', model: 'joint', sharing: 'encoder' },
    ],
    model: { wordDim: 16, hidden: 16, relHidden: 16, charFilters: 8, epochs, patience: 0 },
    significance: { iterations: 200 },
    synthetic: { docs: 24, seed: 5, length: 'short' },
  };
}

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Proc {
  const child = spawn(process.execPath, [mainJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitUntil(what: string, test: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!haveRedis || !built)('study on queue workers (real training, worker processes)', () => {
  let redis: LocalRedis;
  const procs: Proc[] = [];
  const dirs: string[] = [];
  let queueNumber = 0;

  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-cluster-test-'));
    dirs.push(dir);
    return dir;
  };
  const worker = (queueName: string, id: string): Proc => {
    // Short lock and stall check, so a killed worker's run moves on within seconds (defaults: 30 s).
    const p = run(['worker', '--queue', redis.url, '--queue-name', queueName, '--id', id, '--cache', temp(), '--lock-ms', '2000', '--stalled-ms', '1000']);
    procs.push(p);
    return p;
  };
  const study = (config: string, out: string, queueName?: string): Proc => {
    const queue = queueName ? ['--queue', redis.url, '--queue-name', queueName] : [];
    const p = run(['study', '--config', config, '--out', out, '--no-progress', '--no-browser', ...queue]);
    procs.push(p);
    return p;
  };
  const config = (epochs: number): string => {
    const path = join(temp(), 'study.json');
    writeFileSync(path, JSON.stringify(studyConfig(epochs)));
    return path;
  };
  const byId = (out: string): Map<string, RunRecord> => new Map(readAllRecords(out).records.map((r) => [r.id, r]));
  const RUN_IDS = ['joint-encoder--fold0--seed1', 'joint-encoder--fold1--seed1', 'pipeline--fold0--seed1', 'pipeline--fold1--seed1'];

  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
  });
  afterAll(async () => {
    await redis?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('two workers give the same records as the local runner, run for run', async () => {
    const cfg = config(4);
    const localOut = join(temp(), 'local');
    const local = study(cfg, localOut);
    expect(await local.exited, local.output()).toBe(0);

    const queueName = `equal${++queueNumber}`;
    const w1 = worker(queueName, 'w1');
    const w2 = worker(queueName, 'w2');
    const queuedOut = join(temp(), 'queued');
    const queued = study(cfg, queuedOut, queueName);
    expect(await queued.exited, queued.output()).toBe(0);
    expect(queued.output()).toContain('runs: 4 done, 0 already done, 0 failed');
    // Every run was trained once, by one of the two workers.
    const starts = (w1.output() + w2.output()).match(/: start \S+/g) ?? [];
    expect(starts.map((s) => s.slice(': start '.length)).sort()).toEqual(RUN_IDS);

    const a = byId(localOut);
    const b = byId(queuedOut);
    expect([...b.keys()].sort()).toEqual(RUN_IDS);
    for (const id of RUN_IDS) {
      const x = a.get(id)!;
      const y = b.get(id)!;
      expect(y.specKey).toBe(x.specKey);
      for (const task of ['ner', 'reGold', 'reEndToEnd'] as const) {
        expect(y.scores[task].strict.f1).toBeCloseTo(x.scores[task].strict.f1, 12);
        expect(y.scores[task].lenient.f1).toBeCloseTo(x.scores[task].lenient.f1, 12);
      }
      expect(y.documents).toEqual(x.documents);
      expect(y.learningCurve.map((p) => p.loss)).toEqual(x.learningCurve.map((p) => p.loss));
    }
    // Not a vacuous comparison: the tiny models do find entities.
    expect(Math.max(...[...a.values()].map((r) => r.scores.ner.strict.f1))).toBeGreaterThan(0.2);
    // The report is written from the queued records as from local ones.
    expect(JSON.parse(readFileSync(join(queuedOut, 'results.json'), 'utf8')).records).toHaveLength(4);
  });

  it('a worker killed with SIGKILL mid-run loses nothing: its run is retried elsewhere and counted once', async () => {
    const queueName = `kill${++queueNumber}`;
    const victim = worker(queueName, 'victim');
    const out = join(temp(), 'out');
    const s = study(config(10), out, queueName);
    await waitUntil('the victim to start a run', () => /: start \S+/.test(victim.output()));
    const killedRun = /: start (\S+)/.exec(victim.output())![1];
    // The survivor joins once the victim is busy, so the victim surely holds a run when it dies.
    const survivor = worker(queueName, 'survivor');
    await new Promise((r) => setTimeout(r, 1000));
    victim.child.kill('SIGKILL');
    await victim.exited;

    expect(await s.exited, s.output()).toBe(0);
    expect(s.output()).toContain('runs: 4 done, 0 already done, 0 failed');
    expect(victim.output()).not.toContain(`done ${killedRun}`);
    expect(survivor.output()).toContain(`: start ${killedRun}`);
    const records = readAllRecords(out);
    expect(records.invalid).toEqual([]);
    expect(records.records.map((r) => r.id).sort()).toEqual(RUN_IDS);
  });

  it('Redis restarted empty mid-study: the study queues the lost runs again and keeps every finished record', async () => {
    const queueName = `restart${++queueNumber}`;
    worker(queueName, 'r1');
    worker(queueName, 'r2');
    const out = join(temp(), 'out');
    const runsDir = join(out, 'runs');
    const s = study(config(6), out, queueName);
    const finished = (): string[] => (existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json')) : []);
    await waitUntil('a first record', () => finished().length > 0);
    const first = finished()[0];
    const before = readFileSync(join(runsDir, first), 'utf8');

    await redis.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();

    expect(await s.exited, s.output()).toBe(0);
    expect(s.output()).toContain('runs: 4 done, 0 already done, 0 failed');
    expect(s.output()).toMatch(/vanished from Redis/);
    expect(readFileSync(join(runsDir, first), 'utf8')).toBe(before);
    expect(readAllRecords(out).records.map((r) => r.id).sort()).toEqual(RUN_IDS);
  });
});
