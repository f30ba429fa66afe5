/**
 * The library entry (`import { loadModel } from 'medrex'`, i.e. dist/index.js) must not load the packages that
 * only the shells need: the queue (bullmq, ioredis), the report (echarts, playwright-core), the server (fastify) and
 * the command line (commander, cli-progress, cli-table3). A child process records every module it resolves (a
 * module-resolution hook) while importing the entry; without `npm run build` the test is skipped, saying why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (path: string): string => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));
const built = existsSync(dist('index.js'));
if (!built) console.warn('dependency surface test skipped: run `npm run build` (needs dist/index.js)');

const SHELL_ONLY = ['bullmq', 'ioredis', 'echarts', 'playwright-core', 'fastify', 'commander', 'cli-progress', 'cli-table3'];

/** The npm packages a fresh Node process resolves while importing `entry`. */
function packagesLoadedBy(entry: string): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'medrex-surface-'));
  try {
    const log = join(dir, 'resolved.txt');
    const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`;
    const script = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});
await import(${JSON.stringify(new URL(`file://${entry}`).href)});`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
    const urls = readFileSync(log, 'utf8').split('\n');
    return new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!built)('the dependency surface of the library entry', () => {
  it('importing medrex (loadModel) loads none of the shells\' packages', () => {
    const loaded = packagesLoadedBy(dist('index.js'));
    expect(SHELL_ONLY.filter((name) => loaded.has(name))).toEqual([]);
    expect(loaded.has('zod')).toBe(true); // the probe sees packages at all
  });

  it('sees a shell package where one is loaded (the server loads fastify)', () => {
    expect(packagesLoadedBy(dist('server/app.js')).has('fastify')).toBe(true);
  });
});
