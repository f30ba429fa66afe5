import { describe, expect, it } from 'vitest';
import { MedrexError } from '../../errors.js';
import { checkQueueName, checkQueueUrl, corpusKey, heartbeatKey, heartbeatPattern, runKey } from './keys.js';

describe('queue keys', () => {
  const spec = { id: 'pipeline--fold0--seed1', specKey: 'a'.repeat(64), corpusHash: 'b'.repeat(64) };

  it('a run key is the run id plus a digest of spec and corpus, with no ":" (BullMQ forbids it in job ids)', () => {
    const key = runKey(spec);
    expect(key).toMatch(/^pipeline--fold0--seed1@[0-9a-f]{16}$/);
    expect(runKey({ ...spec })).toBe(key);
    // Another model config (spec key) or another corpus is another job; the same run queued twice is one job.
    expect(runKey({ ...spec, specKey: 'c'.repeat(64) })).not.toBe(key);
    expect(runKey({ ...spec, corpusHash: 'c'.repeat(64) })).not.toBe(key);
    expect(runKey({ ...spec, id: 'odd:name' })).toMatch(/^odd_name@/);
  });

  it('heartbeat keys match their pattern; corpus keys are content-addressed', () => {
    expect(heartbeatKey('q1', 'host-12')).toBe('medrex:worker:q1:host-12');
    expect(heartbeatPattern('q1')).toBe('medrex:worker:q1:*');
    expect(corpusKey('ff00')).toBe('medrex:corpus:ff00');
  });

  it('rejects URLs that are not redis:// and queue names with ":" as user errors', () => {
    expect(checkQueueUrl('redis://10.0.0.5:6379').port).toBe('6379');
    expect(checkQueueUrl('rediss://cache.example:6380').hostname).toBe('cache.example');
    expect(() => checkQueueUrl('10.0.0.5:6379')).toThrow(MedrexError);
    expect(() => checkQueueUrl('http://10.0.0.5:6379')).toThrow(/must start with redis:\/\//);
    expect(() => checkQueueUrl('not a url')).toThrow(/is not a URL/);
    expect(checkQueueName('medrex-study')).toBe('medrex-study');
    expect(() => checkQueueName('a:b')).toThrow(/must not contain ":"/);
    expect(() => checkQueueName('')).toThrow(MedrexError);
  });
});
