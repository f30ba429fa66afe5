/**
 * End to end in a real browser (Debian's Chromium through playwright-core): build the viewer, train a tiny model,
 * serve both, paste a note, and check that what the page shows is exactly what the API returns, in server mode
 * and in in-browser mode (where no request may carry the note to the server). Screenshots go to the system's temp
 * folder (their paths are printed) for a human to look at.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Extraction } from '../api/types.js';
import { generateCorpus } from '../corpus/synth/index.js';
import { parseConfig } from '../models/config.js';
import { defaultKernels } from '../engine/kernels/load.js';
import { train } from '../models/train.js';
import { startServer, type RunningServer } from './start.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`viewer.slow.test.ts: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);

const NOTE =
  'Started metformin 500 mg PO BID for diabetes. Lisinopril 10 mg daily was held for hypotension.\n' +
  'Aspirin 81 mg tablet by mouth daily for 30 days.';

/** What the page shows: highlighted runs (entity ids and text) and arcs (relation ids). */
async function shown(page: Page) {
  return page.evaluate(() => ({
    marks: Array.from(document.querySelectorAll<HTMLElement>('#text-layer mark.entity')).map((m) => ({
      ids: m.dataset.entity,
      type: m.dataset.type,
      text: m.textContent,
    })),
    arcs: Array.from(document.querySelectorAll<SVGGElement>('#arc-layer g.relation')).map((g) => ({
      id: g.dataset.relation,
      path: g.querySelector('path.arc')?.getAttribute('d') ?? '',
      label: g.querySelector('text')?.textContent,
    })),
    banner: document.getElementById('mode-banner')!.textContent,
  }));
}

describe.skipIf(!hasChromium)('the viewer in Chromium', () => {
  let root: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let expected: Extraction;
  const extractRequests: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'medrex-viewer-'));
    const built = spawnSync(process.execPath, ['web/build.mjs', '--out', join(root, 'web')], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const corpus = generateCorpus({ docs: 30, seed: 21, length: 'short' });
    const config = parseConfig({ hidden: 16, wordDim: 16, charFilters: 8, relHidden: 16, epochs: 3, patience: 0 });
    await train(corpus, config, { kernels: await defaultKernels(), outDir: join(root, 'model'), progress: false });
    server = await startServer({ modelDir: join(root, 'model'), webRoot: join(root, 'web'), port: 0, handleSignals: false });
    const res = await fetch(`${server.url}/extract`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: NOTE });
    expected = (await res.json()) as Extraction;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 }, acceptDownloads: true });
    page.on('request', (r) => {
      if (r.url().endsWith('/extract')) extractRequests.push(r.postData() ?? '');
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the model finds something in the note (else the checks below prove nothing)', () => {
    expect(expected.entities.length).toBeGreaterThanOrEqual(3);
    expect(expected.relations.length).toBeGreaterThanOrEqual(1);
  });

  it('server mode: highlights every entity and draws every relation the API returns', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.getElementById('model-status')!.textContent!.startsWith('Server model'));
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.fill('#note', NOTE);
    await page.click('#extract');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('found on the server'));
    const view = await shown(page);
    expect(view.banner).toContain('Server mode');
    // The model never nests entities, so each entity is exactly one highlighted run.
    expect(view.marks).toEqual(expected.entities.map((e) => ({ ids: e.id, type: e.type, text: e.text })));
    expect(view.arcs.map((a) => a.id)).toEqual(expected.relations.map((r) => r.id));
    expect(view.arcs.map((a) => a.label)).toEqual(expected.relations.map((r) => r.type));
    for (const arc of view.arcs) expect(arc.path).toMatch(/^M [\d.]+ [\d.]+ C /);
    expect(extractRequests).toHaveLength(1);
    const shot = join(tmpdir(), 'medrex-viewer-server.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
  });

  it('downloads the brat .ann the server would answer', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-ann')]);
    expect(download.suggestedFilename()).toBe('note.ann');
    const ann = readFileSync((await download.path())!, 'utf8');
    const res = await fetch(`${server.url}/extract?format=ann`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: NOTE });
    expect(ann).toBe(await res.text());
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    expect(JSON.parse(readFileSync((await json.path())!, 'utf8'))).toEqual({ text: NOTE, ...expected });
  });

  it('analyses an opened CRLF note as the file has it, so the .ann matches the file on disk', async () => {
    const crlf = NOTE.replace(/\n/g, '\r\n') + '\r\n';
    writeFileSync(join(root, 'crlf-note.txt'), crlf);
    await page.setInputFiles('#note-file', join(root, 'crlf-note.txt'));
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'Opened crlf-note.txt.');
    await page.click('#extract');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('found on the server'));
    const [ann] = await Promise.all([page.waitForEvent('download'), page.click('#download-ann')]);
    expect(ann.suggestedFilename()).toBe('crlf-note.ann');
    const res = await fetch(`${server.url}/extract?format=ann`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: crlf });
    expect(readFileSync((await ann.path())!, 'utf8')).toBe(await res.text());
    const [txt] = await Promise.all([page.waitForEvent('download'), page.click('#download-txt')]);
    expect(readFileSync((await txt.path())!, 'utf8')).toBe(crlf);
    // Back to the pasted note for the tests below.
    await page.fill('#note', NOTE);
  });

  it('in-browser mode: the same result, computed in the page, without sending the note', async () => {
    extractRequests.length = 0;
    await page.click('button[data-mode=browser]');
    await page.waitForFunction(() => document.getElementById('model-status')!.textContent!.startsWith('In-browser model ('));
    await page.click('#extract');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('found in the browser'));
    const view = await shown(page);
    expect(view.banner).toContain('never leaves this machine');
    expect(view.marks).toEqual(expected.entities.map((e) => ({ ids: e.id, type: e.type, text: e.text })));
    expect(view.arcs.map((a) => a.id)).toEqual(expected.relations.map((r) => r.id));
    expect(extractRequests).toEqual([]);
    const shot = join(tmpdir(), 'medrex-viewer-browser.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
  });

  it('loads a model from files the user opens, and names the problem with a bad one', async () => {
    const card = JSON.parse(readFileSync(join(root, 'model', 'model.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(root, 'future.json'), JSON.stringify({ ...card, formatVersion: 2 }));
    await page.setInputFiles('#model-files', [join(root, 'future.json'), join(root, 'model', 'model.safetensors')]);
    await page.waitForFunction(() => document.getElementById('status')!.dataset.kind === 'error');
    expect(await page.textContent('#status')).toMatch(/format version 2 .*reads version 1.*\[model-version\]/);

    await page.setInputFiles('#model-files', [join(root, 'model', 'model.json'), join(root, 'model', 'model.safetensors')]);
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Model loaded in the browser from'));
    await page.click('#extract');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('found in the browser'));
    expect((await shown(page)).marks).toHaveLength(expected.entities.length);
  });

  it('shows a clear error for an empty note and keeps working', async () => {
    await page.fill('#note', '   ');
    await page.click('#extract');
    expect(await page.textContent('#status')).toBe('Paste or open a note first.');
    expect(await page.getAttribute('#status', 'data-kind')).toBe('error');
  });
});
