/**
 * Load test of POST /extract on loopback: a bounded number of requests (and a time bound), a fixed number in
 * flight at once, synthetic clinical notes as bodies; reports throughput and latency percentiles.
 *
 *   node dist/server/loadtest.js --model MODEL_DIR [--requests 200] [--concurrency 8] [--seconds 60]
 *   node dist/server/loadtest.js --url http://127.0.0.1:8080 [...]      (an already running `medrex serve`)
 *   ... --corpus PATH      post the texts of a corpus (brat folder, ADE folder, JSON file) instead of synthetic notes
 *
 * With --model the server runs in this process (client and server then share one thread, so latencies include
 * the client's own work); --url measures a separate server process, which is closer to production.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../corpus/load.js';
import { generateCorpus } from '../corpus/synth/index.js';
import { summarizeLatencies } from './latency.js';
import { startServer, type RunningServer } from './start.js';

interface LoadTestOptions {
  url: string;
  texts: readonly string[];
  requests: number;
  concurrency: number;
  seconds: number;
}

export interface LoadTestResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: ReturnType<typeof summarizeLatencies>;
}

/** Sends up to `requests` requests, `concurrency` at a time, stopping early after `seconds`. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async (): Promise<void> => {
    while (sent < options.requests && performance.now() < deadline) {
      const text = options.texts[sent % options.texts.length];
      sent++;
      const t0 = performance.now();
      try {
        const res = await fetch(`${options.url}/extract`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: text,
        });
        await res.arrayBuffer();
        if (res.ok) latencies.push(performance.now() - t0);
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    sent,
    ok: latencies.length,
    failed,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    latencyMs: summarizeLatencies(latencies),
  };
}

/** A positive number from a command-line flag (`fallback` when absent); an error naming the flag otherwise. */
export function positive(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      url: { type: 'string' },
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      seconds: { type: 'string' },
      corpus: { type: 'string' },
    },
  });
  if (!values.model === !values.url) throw new Error('give exactly one of --model MODEL_DIR or --url URL');
  let server: RunningServer | null = null;
  if (values.model) server = await startServer({ modelDir: values.model, port: 0, handleSignals: false });
  const url = server?.url ?? values.url!.replace(/\/$/, '');
  // Synthetic notes (about 3,000 characters each) unless a corpus is given: varied bodies, no real patient data.
  const documents = values.corpus ? (await loadCorpus(values.corpus)).documents : generateCorpus({ docs: 50, seed: 99 });
  const texts = documents.map((d) => d.text).filter((t) => t.trim() !== '');
  if (texts.length === 0) throw new Error('the corpus has no non-empty texts');
  const meanChars = texts.reduce((n, t) => n + t.length, 0) / texts.length;
  const result = await runLoadTest({
    url,
    texts,
    requests: positive('requests', values.requests, 200),
    concurrency: positive('concurrency', values.concurrency, 8),
    seconds: positive('seconds', values.seconds, 60),
  });
  const batches = server?.batcher.batches;
  await server?.close();
  const f = (x: number) => x.toFixed(1);
  const l = result.latencyMs;
  process.stdout.write(
    `${texts.length} distinct texts, ${Math.round(meanChars)} characters on average\n` +
      `${result.ok} ok, ${result.failed} failed in ${f(result.seconds)} s: ${f(result.requestsPerSecond)} requests/s\n` +
      `latency ms: p50 ${f(l.p50)}  p95 ${f(l.p95)}  p99 ${f(l.p99)}  max ${f(l.max)}\n` +
      (batches !== undefined ? `model calls: ${batches} batches for ${result.sent} requests\n` : ''),
  );
}

// Run only when executed as a script (node dist/server/loadtest.js), not when imported.
const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  main().catch((err: unknown) => {
    process.stderr.write(`loadtest: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
