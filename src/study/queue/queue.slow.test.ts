/**
 * The queue against a real redis-server of its own (random port, no persistence), with workers in this process and
 * a fake training step, so the queue's own behaviour is what is tested: failures after every attempt, refusals,
 * results collected from Redis, corpus transport, status. Skips when redis-server is not installed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeJsonCorpus } from '../../corpus/json.js';
import { generateCorpus } from '../../corpus/synth/index.js';
import type { Document } from '../../corpus/types.js';
import { parseStudyConfig } from '../config.js';
import { corpusHash } from '../corpus.js';
import { inProcessExecutor } from '../job.js';
import { readAllRecords, recordPath } from '../record.js';
import type { RunOne, RunSpec } from '../run-one.js';
import { planStudy, runStudy } from '../runner.js';
import { fakeRecord } from '../test-helpers/records.js';
import { CorpusUnavailableError, fetchCorpus, sha256Hex, uploadCorpus } from './corpus-store.js';
import { corpusKey } from './keys.js';
import { startLocalRedis, redisServerAvailable, type LocalRedis } from './local-redis.js';
import { openQueueExecutor } from './queue-executor.js';
import { formatQueueStatus, readQueueStatus } from './status.js';
import { startWorker, type RunningWorker } from './worker.js';

const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('queue.slow.test: no redis-server binary (Debian: apt-get install redis-server); skipping the queue tests');

const CODE = '0.0.0+dist.test';
const docs: Document[] = generateCorpus({ docs: 8, seed: 11, length: 'short' });
const hash = corpusHash(docs);
// 2 folds x 1 seed x 2 configurations = 4 runs.
const study = parseStudyConfig({
  folds: 2,
  seeds: [1],
  configurations: [
    { name: 'pipe', model: 'pipeline' },
    { name: 'shared', model: 'joint', sharing: 'encoder' },
  ],
});

/** A training step that records its calls and returns a made-up record (or fails for one run id). */
function fakeRunOne(calls: string[], failOn?: string): RunOne {
  return async (spec: RunSpec, _train: readonly Document[], testDocs: readonly Document[]) => {
    calls.push(spec.id);
    if (spec.id === failOn) throw new Error(`simulated crash in ${spec.id}`);
    const record = fakeRecord({
      configuration: spec.configuration.name,
      fold: spec.fold,
      seed: spec.seed,
      docs: Object.fromEntries(testDocs.map((d) => [d.id, { tp: 2, fp: 1, fn: 0 }])),
    });
    return { ...record, id: spec.id, specKey: spec.specKey, corpusHash: spec.corpusHash };
  };
}

describe.skipIf(!haveRedis)('study queue (in-process workers, fake training)', () => {
  let redis: LocalRedis;
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-queue-test-'));
    dirs.push(dir);
    return dir;
  };
  let queueNumber = 0;
  /** A fresh queue per test, so leftovers of one test are not another's. */
  const nextQueue = (): string => `test${++queueNumber}`;
  const quiet = (): void => undefined;

  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function withWorker<T>(options: { queueName: string; run: RunOne; code?: string; concurrency?: number }, body: (w: RunningWorker) => Promise<T>): Promise<T> {
    const worker = await startWorker({
      url: redis.url,
      queueName: options.queueName,
      workerId: 'fake-worker',
      cacheDir: temp(),
      codeFingerprint: options.code ?? CODE,
      execute: inProcessExecutor(options.run),
      heartbeatMs: 200,
      concurrency: options.concurrency ?? 1,
      log: quiet,
    });
    try {
      return await body(worker);
    } finally {
      await worker.close();
    }
  }

  async function study4(queueName: string, reportDir: string, attempts = 2, url = redis.url) {
    const executor = await openQueueExecutor({ url, queueName, codeFingerprint: CODE, attempts, backoffMs: 50, pollMs: 50, unreachableTimeoutMs: 1500 });
    try {
      // As conductStudyOnQueue does: every run on the queue first, then the runner collects them one by one.
      const bytes = Buffer.from(serializeJsonCorpus(docs));
      for (const spec of planStudy(docs, study, { corpusHash: hash, codeVersion: CODE }).specs) await executor.enqueue(spec, bytes, reportDir);
      return await runStudy({ reportDir, study, documents: docs, corpusHash: hash, execute: executor.execute, progress: false, codeVersion: CODE });
    } finally {
      await executor.close();
    }
  }

  it('reports a run that fails on every attempt with its error, and finishes the others once each', async () => {
    const queueName = nextQueue();
    const calls: string[] = [];
    const out = temp();
    const result = await withWorker({ queueName, run: fakeRunOne(calls, 'shared--fold1--seed1') }, () => study4(queueName, out, 2));
    expect(result.completed.sort()).toEqual(['pipe--fold0--seed1', 'pipe--fold1--seed1', 'shared--fold0--seed1']);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0].id).toBe('shared--fold1--seed1');
    expect(result.failed[0].error).toMatch(/^failed on every attempt \(2\): .*simulated crash in shared--fold1--seed1/);
    // Two attempts of the failing run, one of each other run.
    expect(calls.filter((c) => c === 'shared--fold1--seed1')).toHaveLength(2);
    expect(calls.filter((c) => c !== 'shared--fold1--seed1').sort()).toEqual(result.completed.sort());
    expect(readAllRecords(out).records.map((r) => r.id)).toEqual(['pipe--fold0--seed1', 'pipe--fold1--seed1', 'shared--fold0--seed1']);
  });

  it('writes each record as it arrives, not in the order the runner asks for them', async () => {
    const queueName = nextQueue();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const firstPlanned = 'pipe--fold0--seed1';
    // The first run of the plan is held back; the worker trains two at a time, so the others go past it.
    const holdFirst: RunOne = async (spec, train, test) => {
      if (spec.id === firstPlanned) await gate;
      return fakeRunOne([])(spec, train, test);
    };
    const out = temp();
    await withWorker({ queueName, run: holdFirst, concurrency: 2 }, async () => {
      const done = study4(queueName, out);
      try {
        for (let i = 0; i < 200 && readAllRecords(out).records.length < 3; i++) await new Promise((r) => setTimeout(r, 25));
        // The runner is still waiting for the first run, and the three others are already on disk.
        expect(readAllRecords(out).records.map((r) => r.id)).toEqual(['pipe--fold1--seed1', 'shared--fold0--seed1', 'shared--fold1--seed1']);
      } finally {
        release();
      }
      const result = await done;
      expect(result.completed.sort()).toEqual(['pipe--fold0--seed1', 'pipe--fold1--seed1', 'shared--fold0--seed1', 'shared--fold1--seed1']);
      expect(result.skipped).toEqual([]);
    });
  });

  it('a study started again takes results that reached Redis while it was stopped, without training again', async () => {
    const queueName = nextQueue();
    const calls: string[] = [];
    const first = temp();
    await withWorker({ queueName, run: fakeRunOne(calls) }, () => study4(queueName, first));
    expect(calls).toHaveLength(4);
    // The same study with an empty runs/ (as if it had stopped before writing them) and no worker at all.
    const second = temp();
    const again = await study4(queueName, second);
    expect(again.completed).toHaveLength(4);
    expect(calls).toHaveLength(4);
    const a = readAllRecords(first).records;
    const b = readAllRecords(second).records;
    expect(b).toEqual(a);
  });

  it('a worker refuses runs queued by other code, saying which versions differ', async () => {
    const queueName = nextQueue();
    const calls: string[] = [];
    const result = await withWorker({ queueName, run: fakeRunOne(calls), code: '0.0.0+dist.other' }, () => study4(queueName, temp(), 1));
    expect(calls).toEqual([]);
    expect(result.failed).toHaveLength(4);
    expect(result.failed[0].error).toContain(
      'worker fake-worker refuses run pipe--fold0--seed1: it runs medrex code 0.0.0+dist.other, the study queued it with 0.0.0+dist.test',
    );
  });

  it('status shows the counts and a live worker with the run it is on', async () => {
    const queueName = nextQueue();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blocking: RunOne = async (spec, train, test) => {
      await gate;
      return fakeRunOne([])(spec, train, test);
    };
    await withWorker({ queueName, run: blocking }, async () => {
      const done = study4(queueName, temp());
      try {
        let status = await readQueueStatus({ url: redis.url, queueName });
        for (let i = 0; i < 100 && status.counts.running === 0; i++) {
          await new Promise((r) => setTimeout(r, 50));
          status = await readQueueStatus({ url: redis.url, queueName });
        }
        expect(status.counts).toEqual({ queued: 3, running: 1, done: 0, failed: 0 });
        // The heartbeat is refreshed every 200 ms: wait for the one that names the run.
        for (let i = 0; i < 40 && (status.workers[0]?.active.length ?? 0) === 0; i++) {
          await new Promise((r) => setTimeout(r, 50));
          status = await readQueueStatus({ url: redis.url, queueName });
        }
        expect(status.workers.map((w) => w.workerId)).toEqual(['fake-worker']);
        expect(status.workers[0].active.map((a) => a.run)).toEqual(status.running);
        expect(formatQueueStatus(status)).toContain(`${status.running[0]} (attempt 1,`);
      } finally {
        // Else closing the worker would wait for the blocked run forever.
        release();
      }
      await done;
      const after = await readQueueStatus({ url: redis.url, queueName });
      expect(after.counts).toEqual({ queued: 0, running: 0, done: 4, failed: 0 });
    });
    // A closed worker removes its heartbeat.
    expect((await readQueueStatus({ url: redis.url, queueName })).workers).toEqual([]);
  });

  it('Redis gone for good: the waiting runs fail with a clear message and the finished records stay', async () => {
    const own = await startLocalRedis();
    const queueName = nextQueue();
    const first = 'pipe--fold0--seed1';
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first run finishes; the next one is still training when Redis dies.
    const slowAfterFirst: RunOne = async (spec, train, test) => {
      if (spec.id !== first) await gate;
      return fakeRunOne([])(spec, train, test);
    };
    const out = temp();
    const worker = await startWorker({
      url: own.url,
      queueName,
      workerId: 'doomed',
      closeTimeoutMs: 500,
      cacheDir: temp(),
      codeFingerprint: CODE,
      execute: inProcessExecutor(slowAfterFirst),
      log: quiet,
    });
    try {
      const done = study4(queueName, out, 2, own.url);
      for (let i = 0; i < 200 && readAllRecords(out).records.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      const before = readFileSync(recordPath(out, first), 'utf8');
      await own.kill();
      const result = await done;
      expect(result.completed).toEqual([first]);
      expect(result.failed.map((f) => f.id).sort()).toEqual(['pipe--fold1--seed1', 'shared--fold0--seed1', 'shared--fold1--seed1']);
      expect(result.failed[0].error).toMatch(/^lost the queue at redis:\/\/127\.0\.0\.1:\d+ for 2 s .*finished runs are kept in runs\/, start the study again to resume$/);
      expect(readFileSync(recordPath(out, first), 'utf8')).toBe(before);
    } finally {
      release();
      await own.start();
      await worker.close();
      await own.stop();
    }
  });

  it('corpus transport: stored once by content hash, cached by the worker, refused when corrupt or missing', async () => {
    const client = new Redis(redis.url);
    try {
      const bytes = Buffer.from('{"format":"x","documents":[]}');
      const key = await uploadCorpus(client, bytes);
      expect(key).toBe(sha256Hex(bytes));
      const cache = temp();
      const path = await fetchCorpus(client, key, cache);
      expect(path).toBe(join(cache, `${key}.json`));
      // Cached: found on disk after Redis lost it.
      await client.del(corpusKey(key));
      expect(await fetchCorpus(client, key, cache)).toBe(path);
      await expect(fetchCorpus(client, key, temp())).rejects.toThrow(/is not stored in Redis/);
      // Bytes that do not hash to their name are refused.
      const wrong = sha256Hex('something else');
      await client.set(corpusKey(wrong), bytes);
      await expect(fetchCorpus(client, wrong, temp())).rejects.toThrow(CorpusUnavailableError);
      await expect(fetchCorpus(client, wrong, temp())).rejects.toThrow(/refusing to train on it/);
    } finally {
      client.disconnect();
    }
  });
});
