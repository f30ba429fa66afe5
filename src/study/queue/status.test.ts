import { describe, expect, it } from 'vitest';
import { formatQueueStatus, type QueueStatus } from './status.js';

describe('queue status display', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('shows counts, running runs, each worker and the reasons of failures', () => {
    const status: QueueStatus = {
      queueName: 'medrex-study',
      counts: { queued: 3, running: 1, done: 7, failed: 1 },
      running: ['pipeline--fold1--seed2'],
      failures: [{ run: 'joint--fold0--seed1', attempts: 3, reason: 'out of memory\n  at stack' }],
      workers: [
        {
          workerId: 'gpu-box-1',
          host: 'gpu-box',
          pid: 4242,
          codeFingerprint: '0.1.0+dist.abc',
          startedAt: '2026-01-01T11:50:00Z',
          active: [{ run: 'pipeline--fold1--seed2', attempt: 2, since: '2026-01-01T11:59:15Z' }],
          runsDone: 4,
          attemptsFailed: 1,
        },
        {
          workerId: 'laptop-7',
          host: 'laptop',
          pid: 7,
          codeFingerprint: '0.1.0+dist.abc',
          startedAt: '2026-01-01T11:59:30Z',
          active: [],
          runsDone: 0,
          attemptsFailed: 0,
        },
      ],
    };
    const text = formatQueueStatus(status, now);
    expect(text.split('\n')[0]).toBe('queue medrex-study: 3 queued, 1 running, 7 done, 1 failed');
    expect(text).toContain('running: pipeline--fold1--seed2');
    // 45 s into its second attempt; the other worker idle for 30 s; uptime of 10 minutes shown in minutes.
    expect(text).toMatch(/gpu-box-1 .*pipeline--fold1--seed2 \(attempt 2, 45 s\).* 4 .* 1 .* 10 min/);
    expect(text).toMatch(/laptop-7 .* idle .* 0 .* 0 .* 30 s/);
    expect(text).toContain('FAILED joint--fold0--seed1 after 3 attempt(s): out of memory\n');
    expect(text).not.toContain('at stack');
  });

  it('says when no worker is alive', () => {
    const text = formatQueueStatus({ queueName: 'q', counts: { queued: 2, running: 0, done: 0, failed: 0 }, running: [], failures: [], workers: [] }, now);
    expect(text).toBe('queue q: 2 queued, 0 running, 0 done, 0 failed\nworkers: none alive (start one with `medrex worker --queue URL`)\n');
  });

  it('counts done runs from the records in runs/, not from Redis', () => {
    const status: QueueStatus = {
      queueName: 'q',
      counts: { queued: 0, running: 0, done: 3, failed: 0 },
      running: [],
      failures: [],
      workers: [],
      records: { dir: 'report/runs', done: 6 },
    };
    const text = formatQueueStatus(status, now);
    expect(text.split('\n')[0]).toBe('queue q: 0 queued, 0 running, 6 done (records in report/runs), 0 failed');
    expect(text.split('\n')[1]).toBe("(the queue itself lists 3 finished runs: Redis may have lost some, or holds other studies' runs)");
  });
});
