/**
 * The kernel-level bench's direction worker must not lose a request posted while it is still loading (it used to
 * start waiting from whatever the request counter held once loaded, so such a request hung the main thread).
 * Needs the compiled worker (`npm run build`); skipped, saying why, without it.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CONTROL_WORDS, DONE, OP_EXIT, REQUEST, writeRequest } from './direction-protocol.js';

const workerUrl = new URL('../../dist/bench/direction-worker.js', import.meta.url);
const distKernels = new URL('../../dist/engine/kernels/wasm.js', import.meta.url);
const built = existsSync(workerUrl) && existsSync(new URL('../../build/kernels.wasm', import.meta.url));
if (!built) console.warn('bench direction-worker test skipped: run `npm run build` (needs dist/ and build/kernels.wasm)');

describe.skipIf(!built)('bench direction worker', () => {
  it('handles a request posted before it has loaded, and says "ready" first', async () => {
    const { createWasmKernels } = (await import(distKernels.href)) as typeof import('../engine/kernels/wasm.js');
    const k = await createWasmKernels();
    const ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
    const worker = new Worker(workerUrl, {
      workerData: { module: k.module, memory: k.memory, control: ctrl.buffer, gemmWork: k.alloc(k.gemmScratchBytes) },
    });
    const messages: unknown[] = [];
    worker.on('message', (m) => messages.push(m));
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    // Posted at once, long before the worker's module has compiled its kernels.
    writeRequest(ctrl, { op: OP_EXIT, x: 0, dX: 0 });
    Atomics.store(ctrl, REQUEST, 1);
    Atomics.notify(ctrl, REQUEST);
    // Poll (the test thread must stay free for the worker's messages); the old worker never answered.
    const deadline = Date.now() + 10_000;
    while (Atomics.load(ctrl, DONE) !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(Atomics.load(ctrl, DONE)).toBe(1);
    expect(await exited).toBe(0);
    expect(messages).toEqual([{ ready: true }]);
    await k.close();
  });
});
