/**
 * The shard pool's protocol with a tiny task module (a data: URL): replies in order, a task's error reported with
 * its message, and a worker that dies noticed at once instead of after the timeout. Needs `npm run build` (the
 * worker entry runs from dist/); skipped, saying why, without it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as Pool from './shard-pool.js';
import type * as Wasm from '../kernels/wasm.js';

const dist = (path: string) => new URL(`../../../dist/${path}`, import.meta.url);
const built = existsSync(dist('engine/parallel/shard-worker.js')) && existsSync(new URL('../../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('shard pool test skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

interface Request { op: 'echo' | 'throw' | 'exit'; value: number }

const TASK = `data:text/javascript,${encodeURIComponent(`
export function createShardTask(kernels, init) {
  return {
    gradients: [],
    run(request) {
      if (request.op === 'throw') throw new Error('task failed on purpose');
      if (request.op === 'exit') process.exit(3);
      return request.value * init.factor;
    },
  };
}`)}`;

describe.skipIf(!built)('shard pool', () => {
  it('runs requests on workers while the caller runs its own part, and reports failures', async () => {
    const { createWasmKernels } = (await import(dist('engine/kernels/wasm.js').href)) as typeof Wasm;
    const { createShardPool } = (await import(dist('engine/parallel/shard-pool.js').href)) as typeof Pool;
    const kernels = await createWasmKernels();
    const pool = await createShardPool<{ factor: number }, Request, number>(kernels, 3, {
      taskUrl: new URL(TASK), init: { factor: 10 }, regionBytes: 2 ** 20, timeoutMs: 600_000,
    });
    try {
      expect(pool.workerKernels).toEqual(['wasm-simd-worker', 'wasm-simd-worker']);
      const { local, results } = pool.run([{ op: 'echo', value: 1 }, { op: 'echo', value: 2 }], () => 'here');
      expect(local).toBe('here');
      expect(results).toEqual([10, 20]);
      // A task's error comes back with its message; the other worker's reply is still collected.
      expect(() => pool.run([{ op: 'echo', value: 1 }, { op: 'throw', value: 0 }], () => 0)).toThrow(/worker 2: .*task failed on purpose/);
      expect(pool.run([{ op: 'echo', value: 3 }], () => 0).results).toEqual([30]);
      // A worker that dies wakes the blocked caller at once: waiting for the 10-minute timeout would fail this test
      // on the test's own 60 s limit.
      expect(() => pool.run([{ op: 'exit', value: 0 }], () => 0)).toThrow(/worker 1 stopped before answering/);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('refuses kernels that cannot be shared', async () => {
    const { createShardPool } = (await import(dist('engine/parallel/shard-pool.js').href)) as typeof Pool;
    const { loadKernels } = await import('../kernels/load.js');
    await expect(createShardPool(await loadKernels('reference'), 2, { taskUrl: new URL(TASK), init: {} })).rejects.toThrow(/shared memory/);
  });
});
