/**
 * `medrex study --queue URL --status` counts done runs from the records in --out/runs/, so a Redis that lost its
 * data (restarted without persistence) does not make finished runs look undone. Skips without redis-server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/test-helpers/run-cli.js';
import { writeRecord } from '../record.js';
import { fakeRecord } from '../test-helpers/records.js';
import { redisServerAvailable, startLocalRedis, type LocalRedis } from './local-redis.js';

const haveRedis = redisServerAvailable();

describe.skipIf(!haveRedis)('queue status after Redis lost its data', () => {
  let redis: LocalRedis;
  let dir: string;
  beforeAll(async () => {
    redis = await startLocalRedis();
    dir = mkdtempSync(join(tmpdir(), 'medrex-status-'));
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the records in runs/, and says what the queue itself holds', async () => {
    for (const configuration of ['a', 'b', 'c']) {
      for (const fold of [0, 1]) writeRecord(dir, fakeRecord({ configuration, fold, seed: 1, docs: { d1: { tp: 1, fp: 0, fn: 0 } } }));
    }
    const { code, stdout } = await runCli(['study', '--out', dir, '--queue', redis.url, '--queue-name', 'lost', '--status']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`queue lost: 0 queued, 0 running, 6 done (records in ${join(dir, 'runs')}), 0 failed`);
    expect(stdout).toContain('the queue itself lists 0 finished runs');
  });
});
