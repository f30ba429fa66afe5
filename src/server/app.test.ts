import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Extraction, MedrexModel, ModelCard } from '../api/types.js';
import { buildServer, type MedrexServer } from './app.js';

// ---- TEST DOUBLE --------------------------------------------------------------------------------------------
// A dictionary "model" (exact, case-sensitive matches) that links each Strength to the nearest Drug before it.
// It records every batch it is given (to check micro-batching) and can be told to fail (to check the server
// survives a failing model). The real model is exercised by start.test.ts and the browser test.
const DICTIONARY: Record<string, string> = { aspirin: 'Drug', metformin: 'Drug', '81 mg': 'Strength', '500 mg': 'Strength' };

interface DictionaryModel extends MedrexModel {
  readonly calls: string[][];
  failNext: Error | null;
}

function extractOne(text: string): Extraction {
  const found: { type: string; start: number; end: number }[] = [];
  for (const [term, type] of Object.entries(DICTIONARY)) {
    for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
      found.push({ type, start: at, end: at + term.length });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const entities = found.map((f, i) => ({
    id: `T${i + 1}`,
    type: f.type,
    spans: [{ start: f.start, end: f.end }],
    text: text.slice(f.start, f.end),
    score: 0.9,
  }));
  const relations: Extraction['relations'] = [];
  for (const s of entities.filter((e) => e.type === 'Strength')) {
    const drug = entities.filter((e) => e.type === 'Drug' && e.spans[0].end <= s.spans[0].start).pop();
    if (drug) relations.push({ id: `R${relations.length + 1}`, type: 'Strength-Drug', arg1: s.id, arg2: drug.id, score: 0.8 });
  }
  return { entities, relations };
}

function dictionaryModel(): DictionaryModel {
  const card: ModelCard = {
    format: 'medrex-model',
    formatVersion: 1,
    medrexVersion: 'test',
    config: {},
    labels: { entityTypes: ['Drug', 'Strength'], relationTypes: ['Strength-Drug'] },
    vocabulary: { words: 0, chars: 0 },
    parameters: 0,
    training: null,
  };
  const model: DictionaryModel = {
    card,
    calls: [],
    failNext: null,
    extract: async (text) => extractOne(text),
    extractBatch: async (texts) => {
      model.calls.push([...texts]);
      if (model.failNext) {
        const err = model.failNext;
        model.failNext = null;
        throw err;
      }
      return texts.map(extractOne);
    },
  };
  return model;
}
// ------------------------------------------------------------------------------------------------------------

const NOTE = 'Give aspirin 81 mg daily.';
// Worked out by hand: "aspirin" starts at index 5 ("Give " is 5 characters), "81 mg" at 13.
const NOTE_EXTRACTION: Extraction = {
  entities: [
    { id: 'T1', type: 'Drug', spans: [{ start: 5, end: 12 }], text: 'aspirin', score: 0.9 },
    { id: 'T2', type: 'Strength', spans: [{ start: 13, end: 18 }], text: '81 mg', score: 0.9 },
  ],
  relations: [{ id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1', score: 0.8 }],
};
const NOTE_ANN = 'T1\tDrug 5 12\taspirin\nT2\tStrength 13 18\t81 mg\nR1\tStrength-Drug Arg1:T2 Arg2:T1\n';

const root = mkdtempSync(join(tmpdir(), 'medrex-server-'));
const webRoot = join(root, 'web');
const modelDir = join(root, 'model');
mkdirSync(webRoot);
mkdirSync(modelDir);
// Files the server must NOT serve: one beside the served folders, one inside the model folder.
writeFileSync(join(root, 'secret.txt'), 'not to be served');
writeFileSync(join(modelDir, 'notes.txt'), 'private');
writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>viewer</title>');
writeFileSync(join(webRoot, 'viewer.js'), 'console.log(1)');
writeFileSync(join(modelDir, 'model.json'), '{"format":"medrex-model"}');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let model: DictionaryModel;
let server: MedrexServer;
beforeEach(() => {
  model = dictionaryModel();
  server = buildServer({ model, webRoot, modelDir, bodyLimit: 200, batchWindowMs: 20 });
});

function post(payload: string | Buffer, headers: Record<string, string>, url = '/extract') {
  return server.app.inject({ method: 'POST', url, payload, headers });
}

describe('GET routes', () => {
  it('reports health', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', pending: 0, batches: 0 });
  });

  it('serves the model card', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/model' });
    expect(res.json()).toEqual(model.card);
  });

  it('sets the cross-origin isolation headers on every response, errors included', async () => {
    for (const url of ['/', '/health', '/nope']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    }
  });

  it('serves the viewer page and its files', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>viewer</title>');
    const script = await server.app.inject({ method: 'GET', url: '/viewer.js' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('says when the viewer is not built', async () => {
    const bare = buildServer({ model, webRoot: join(root, 'absent') });
    const res = await bare.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('viewer-not-built');
  });

  it('serves only the two model files, and nothing outside the folders', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/model/files/model.json' })).body).toBe('{"format":"medrex-model"}');
    for (const url of ['/model/files/notes.txt', '/model/files/..%2Fsecret.txt', '/..%2Fsecret.txt', '/%2E%2E/secret.txt']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('not to be served');
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/v2/extract?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not-found', message: 'no route GET /v2/extract' } });
  });
});

describe('POST /extract', () => {
  it('extracts from a text/plain body as JSON', async () => {
    const res = await post(NOTE, { 'content-type': 'text/plain; charset=utf-8' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(NOTE_EXTRACTION);
  });

  it('extracts from a JSON body', async () => {
    const res = await post(JSON.stringify({ text: NOTE }), { 'content-type': 'application/json' });
    expect(res.json()).toEqual(NOTE_EXTRACTION);
  });

  it('answers brat .ann when asked by Accept or by ?format=ann', async () => {
    const byAccept = await post(NOTE, { 'content-type': 'text/plain', accept: 'text/x-brat-ann' });
    expect(byAccept.statusCode).toBe(200);
    expect(byAccept.headers['content-type']).toBe('text/x-brat-ann; charset=utf-8');
    expect(byAccept.body).toBe(NOTE_ANN);
    const byQuery = await post(NOTE, { 'content-type': 'text/plain', accept: 'application/json' }, '/extract?format=ann');
    expect(byQuery.body).toBe(NOTE_ANN);
  });

  it('keeps offsets as JavaScript string indices for non-ASCII text', async () => {
    // "É" and "—" are one UTF-16 unit each: "aspirin" starts at 4, "81 mg" at 12.
    const res = await post('Été aspirin — 81 mg', { 'content-type': 'text/plain' });
    const [drug, strength] = (res.json() as Extraction).entities;
    expect(drug.spans).toEqual([{ start: 4, end: 11 }]);
    expect(strength.spans).toEqual([{ start: 14, end: 19 }]);
  });

  const badRequests: [string, string | Buffer, Record<string, string>, number, string][] = [
    ['an empty body', '', { 'content-type': 'text/plain' }, 400, 'empty-text'],
    ['a whitespace-only text', '   \n\t', { 'content-type': 'text/plain' }, 400, 'empty-text'],
    ['an empty JSON text', '{"text": ""}', { 'content-type': 'application/json' }, 400, 'empty-text'],
    ['non-UTF-8 bytes', Buffer.from([0x61, 0x73, 0xff, 0xfe, 0x70]), { 'content-type': 'text/plain' }, 400, 'body-not-utf8'],
    ['a Latin-1 charset', 'aspirin', { 'content-type': 'text/plain; charset=iso-8859-1' }, 415, 'unsupported-charset'],
    ['an XML body', '<text>aspirin</text>', { 'content-type': 'application/xml' }, 415, 'unsupported-content-type'],
    ['a form body', 'text=aspirin', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported-content-type'],
    ['malformed JSON', '{"text": "aspirin"', { 'content-type': 'application/json' }, 400, 'bad-json'],
    ['JSON without text', '{"note": "aspirin"}', { 'content-type': 'application/json' }, 400, 'bad-json'],
    ['JSON text not a string', '{"text": 42}', { 'content-type': 'application/json' }, 400, 'bad-json'],
    ['a JSON array', '["aspirin"]', { 'content-type': 'application/json' }, 400, 'bad-json'],
    ['an unacceptable Accept', 'aspirin', { 'content-type': 'text/plain', accept: 'image/png' }, 406, 'not-acceptable'],
    ['a body over the limit', 'x'.repeat(201), { 'content-type': 'text/plain' }, 413, 'body-too-large'],
  ];
  it.each(badRequests)('rejects %s', async (_name, payload, headers, status, code) => {
    const res = await post(payload, headers);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message.length).toBeGreaterThan(10);
    expect(model.calls).toEqual([]);
  });

  it('rejects a request without a content type', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/extract', payload: 'aspirin', headers: { 'content-type': '' } });
    expect(res.statusCode).toBe(415);
  });

  it('rejects an unknown ?format', async () => {
    const res = await post(NOTE, { 'content-type': 'text/plain' }, '/extract?format=xml');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad-format');
  });

  it('accepts a body exactly at the limit', async () => {
    const text = `aspirin ${'x'.repeat(192)}`;
    expect(Buffer.byteLength(text)).toBe(200);
    expect((await post(text, { 'content-type': 'text/plain' })).statusCode).toBe(200);
  });

  it('keeps serving after every kind of bad request', async () => {
    for (const [, payload, headers] of badRequests) await post(payload, headers);
    const res = await post(NOTE, { 'content-type': 'text/plain' });
    expect(res.json()).toEqual(NOTE_EXTRACTION);
  });

  it('answers a failing model with a 500 and serves the next request', async () => {
    model.failNext = new Error('kernel exploded');
    const failed = await post(NOTE, { 'content-type': 'text/plain' });
    expect(failed.statusCode).toBe(500);
    expect(failed.json().error.code).toBe('internal-error');
    expect(failed.body).not.toContain('kernel exploded');
    expect((await post(NOTE, { 'content-type': 'text/plain' })).json()).toEqual(NOTE_EXTRACTION);
  });

  it('batches concurrent requests and gives each its own answer', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `${' '.repeat(i)}aspirin 81 mg`);
    const responses = await Promise.all(texts.map((t) => post(t, { 'content-type': 'text/plain' })));
    responses.forEach((res, i) => {
      const e = (res.json() as Extraction).entities;
      // Request i has i leading spaces, so its entities start i characters later.
      expect(e.map((x) => x.spans[0].start)).toEqual([i, i + 8]);
    });
    expect(model.calls.length).toBeLessThan(texts.length);
    expect(model.calls.flat().sort()).toEqual([...texts].sort());
    const health = await server.app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toEqual({ status: 'ok', pending: 0, batches: model.calls.length });
  });
});
