/**
 * The server under hostile load (issue 15), against a separate `medrex serve` process on loopback:
 *
 *   1. `/health` latency while four maximum-size texts are analysed (target: p99 under 100 ms);
 *   2. the server's peak RSS while 1,500 clients each send 1 MB of a body and stall (target: under 500 MB);
 *   3. the time from SIGTERM to exit with those clients still connected (target: under 10 s).
 *
 *   npm run loadtest:hostile -- --model MODEL_DIR [--clients 1500] [--stall-seconds 10] [--text-chars 200000]
 *                               [--texts 4] [--workers N] [--extract-timeout 300] [--json]
 *
 * The server runs with its defaults except `--extract-timeout` (300 s here, so that all four texts are answered on
 * a loaded machine rather than timed out) and `--workers` if given. RSS is the server process's (workers
 * included), read from /proc (Linux). Figures depend on the machine and its load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCorpus } from '../corpus/synth/index.js';
import { summarizeLatencies } from './latency.js';
import { positive } from './loadtest.js';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const MiB = 2 ** 20;

interface Server {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<number | null>;
}

async function startServe(modelDir: string, extra: string[]): Promise<Server> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--model', modelDir, '--port', '0', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`medrex serve exited (${code}) before listening: ${stderr.trim()}`)));
  });
  return { child, url, port: Number(new URL(url).port), exited };
}

/** Resident set size of a process in bytes (Linux /proc; the server's worker threads are part of it). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Samples the RSS of `pid` every 50 ms until stopped; returns the peak. */
function rssSampler(pid: number): { stop: () => number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process has exited
    }
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/** A synthetic clinical text of exactly `chars` characters (invented notes, no patient data). */
function longText(chars: number): string {
  const notes = generateCorpus({ docs: 100, seed: 7 }).map((d) => d.text);
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${notes[i % notes.length]}\n`;
  return text.slice(0, chars);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthWhileLongTexts(url: string, texts: number, chars: number) {
  const text = longText(chars);
  const started = performance.now();
  const answers: { status: number; seconds: number }[] = [];
  let done = 0;
  const posts = Array.from({ length: texts }, async () => {
    const res = await fetch(`${url}/extract`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
    await res.arrayBuffer();
    answers.push({ status: res.status, seconds: (performance.now() - started) / 1000 });
    done++;
  });
  const latencies: number[] = [];
  await sleep(200); // let the texts arrive and start
  while (done < texts) {
    const t0 = performance.now();
    const res = await fetch(`${url}/health`);
    await res.arrayBuffer();
    if (done < texts) latencies.push(performance.now() - t0);
    await sleep(20);
  }
  await Promise.all(posts);
  return { health: summarizeLatencies(latencies), answers };
}

interface StallOutcome {
  held: number;
  answered: Record<string, number>;
  closedUnanswered: number;
  failedToConnect: number;
}

/** `clients` connections that each send the headers of a 1 MiB body and 1,000,000 of its bytes, then stall. */
async function stallClients(port: number, clients: number): Promise<{ sockets: Socket[]; outcome: () => StallOutcome }> {
  const body = Buffer.alloc(1_000_000, 'a');
  const head = `POST /extract HTTP/1.1\r\nhost: localhost\r\ncontent-type: text/plain\r\ncontent-length: ${MiB}\r\n\r\n`;
  const sockets: Socket[] = [];
  const status = new Map<Socket, string>();
  let failedToConnect = 0;
  const open = (): Promise<void> =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.on('connect', () => {
        sockets.push(socket);
        socket.write(head);
        socket.write(body);
        resolve();
      });
      socket.on('data', (d: Buffer) => {
        if (!status.has(socket)) {
          const text = d.toString();
          const code = /^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? '?';
          const error = /"code":"([^"]+)"/.exec(text)?.[1] ?? '';
          status.set(socket, `${code} ${error}`.trim());
        }
      });
      socket.on('error', () => {
        if (!sockets.includes(socket)) {
          failedToConnect++;
          resolve();
        }
      });
    });
  // Connect in waves of 100, as a crowd of clients would arrive.
  for (let i = 0; i < clients; i += 100) await Promise.all(Array.from({ length: Math.min(100, clients - i) }, open));
  return {
    sockets,
    outcome: () => {
      const answered: Record<string, number> = {};
      let held = 0;
      let closedUnanswered = 0;
      for (const s of sockets) {
        const st = status.get(s);
        if (st) answered[st] = (answered[st] ?? 0) + 1;
        else if (s.destroyed || s.readableEnded) closedUnanswered++;
        else held++;
      }
      return { held, answered, closedUnanswered, failedToConnect };
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      clients: { type: 'string' },
      'stall-seconds': { type: 'string' },
      'text-chars': { type: 'string' },
      texts: { type: 'string' },
      workers: { type: 'string' },
      'extract-timeout': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.model) throw new Error('give --model MODEL_DIR (a directory written by medrex train)');
  if (process.platform !== 'linux') throw new Error('this benchmark reads the server RSS from /proc (Linux only)');
  const clients = positive('clients', values.clients, 1500);
  const stallSeconds = positive('stall-seconds', values['stall-seconds'], 10);
  const textChars = positive('text-chars', values['text-chars'], 200_000);
  const texts = positive('texts', values.texts, 4);
  const extra = ['--extract-timeout', values['extract-timeout'] ?? '300', '--max-text-chars', String(textChars)];
  if (values.workers) extra.push('--workers', values.workers);
  const server = await startServe(values.model, extra);
  try {
    const pid = server.child.pid!;
    const baseline = rssOf(pid);

    // 1. /health while the long texts run.
    const phase1 = rssSampler(pid);
    const long = await healthWhileLongTexts(server.url, texts, textChars);
    const peakLong = phase1.stop();

    // 2. Stalled clients.
    const beforeStall = rssOf(pid);
    const phase2 = rssSampler(pid);
    const crowd = await stallClients(server.port, clients);
    await sleep(stallSeconds * 1000);
    const t0 = performance.now();
    const health = await fetch(`${server.url}/health`);
    const healthMs = performance.now() - t0;
    const peakStall = phase2.stop();
    const outcome = crowd.outcome();

    // 3. SIGTERM with the stalled clients still connected.
    const signalled = performance.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const exitSeconds = (performance.now() - signalled) / 1000;
    for (const s of crowd.sockets) s.destroy();

    const result = {
      textChars,
      texts,
      healthWhileLongTexts: long.health,
      longTextAnswers: long.answers,
      rssBaselineMiB: baseline / MiB,
      rssPeakLongTextsMiB: peakLong / MiB,
      rssBeforeStallMiB: beforeStall / MiB,
      rssPeakStalledMiB: peakStall / MiB,
      stalledClients: clients,
      stallSeconds,
      stallOutcome: outcome,
      healthDuringStall: { status: health.status, ms: healthMs },
      sigtermToExitSeconds: exitSeconds,
      exitCode: code,
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const h = long.health;
    const f = (x: number, d = 1) => x.toFixed(d);
    process.stdout.write(
      `/health while ${texts} texts of ${textChars} characters were analysed: p50 ${f(h.p50)} ms, p99 ${f(h.p99)} ms, ` +
        `max ${f(h.max)} ms (${h.count} requests); the texts were answered ${long.answers.map((a) => `${a.status} at ${f(a.seconds)} s`).join(', ')}\n` +
        `RSS: ${f(baseline / MiB, 0)} MiB idle, peak ${f(peakLong / MiB, 0)} MiB with the long texts\n` +
        `RSS with ${clients} clients stalled after 1 MB of body for ${stallSeconds} s: peak ${f(peakStall / MiB, 0)} MiB ` +
        `(${f(beforeStall / MiB, 0)} MiB before); ${outcome.held} held open, answered ${JSON.stringify(outcome.answered)}, ` +
        `${outcome.closedUnanswered} closed unanswered (--max-connections), ${outcome.failedToConnect} failed to connect; ` +
        `/health meanwhile ${health.status} in ${f(healthMs)} ms\n` +
        `SIGTERM to exit with ${outcome.held} stalled clients connected: ${f(exitSeconds, 2)} s (exit code ${code})\n`,
    );
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`loadtest:hostile: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
