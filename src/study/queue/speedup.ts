/**
 * Measures what the queue buys on one machine: the same study run locally (one run at a time, as `medrex study`
 * does by default) and through the queue with 1, 2, ... local `medrex worker` processes, wall time of the whole
 * `medrex study` command each time (corpus, runs, report). Needs redis-server and the built code:
 *
 *   npm run build && node dist/study/queue/speedup.js [--config study.json] [--workers 1,2]
 *
 * Default study: 40 short synthetic documents (the figures in the README were measured on them), 2 folds x 2 seeds x 2 configurations (8 runs), a small model.
 * Each mode gets a fresh report directory and queue name, so no mode reuses another's results.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { redisServerAvailable, startLocalRedis } from './local-redis.js';

const DEFAULT_STUDY = {
  folds: 2,
  seeds: [1, 2],
  configurations: [
    { name: 'pipeline', model: 'pipeline', sharing: 'none' },
    { name: 'joint-encoder', model: 'joint', sharing: 'encoder' },
  ],
  model: { wordDim: 16, hidden: 16, relHidden: 16, charFilters: 8, epochs: 6, patience: 0 },
  significance: { iterations: 200 },
  synthetic: { docs: 40, seed: 5, length: 'short' },
};

const mainJs = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

interface Started {
  output: () => string;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

function medrex(args: string[]): Started {
  const child = spawn(process.execPath, [mainJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return {
    output: () => output,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}

async function timedStudy(args: string[]): Promise<number> {
  const started = performance.now();
  const study = medrex(['study', ...args, '--no-progress', '--no-browser']);
  const code = await study.exited;
  if (code !== 0) throw new Error(`medrex study ${args.join(' ')} exited with ${code}:\n${study.output()}`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, workers: { type: 'string', default: '1,2' } } });
  if (!redisServerAvailable()) throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
  const workerCounts = values.workers.split(',').map((n) => Number(n));
  const dir = mkdtempSync(join(tmpdir(), 'medrex-speedup-'));
  const config = values.config ?? join(dir, 'study.json');
  if (!values.config) writeFileSync(config, JSON.stringify(DEFAULT_STUDY));
  const loadBefore = loadavg()[0];
  const redis = await startLocalRedis();
  const rows: { mode: string; seconds: number }[] = [];
  try {
    rows.push({ mode: 'local (1 run at a time)', seconds: await timedStudy(['--config', config, '--out', join(dir, 'local')]) });
    for (const n of workerCounts) {
      const queueName = `speedup-${n}`;
      const workers = Array.from({ length: n }, (_, i) =>
        medrex(['worker', '--queue', redis.url, '--queue-name', queueName, '--id', `w${i + 1}`, '--cache', join(dir, `cache${i}`)]),
      );
      // The clock starts when every worker is listening, as on a cluster whose workers were already up.
      const deadline = Date.now() + 30_000;
      while (!workers.every((w) => w.output().includes('waiting for runs'))) {
        if (Date.now() > deadline) throw new Error(`workers did not start:\n${workers.map((w) => w.output()).join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = await timedStudy(['--config', config, '--out', join(dir, `queue${n}`), '--queue', redis.url, '--queue-name', queueName]);
      rows.push({ mode: `queue, ${n} local worker${n > 1 ? 's' : ''}`, seconds });
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const base = rows[0].seconds;
  process.stdout.write(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; 1-min load average before: ${loadBefore.toFixed(2)}, after: ${loadavg()[0].toFixed(2)} (other processes share the cores)\n`);
  process.stdout.write('| mode | wall time (s) | speed-up vs local |\n|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.mode} | ${r.seconds.toFixed(1)} | ${(base / r.seconds).toFixed(2)}x |\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`speedup: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
