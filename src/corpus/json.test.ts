import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readBratCorpus } from './brat/read.js';
import { serializeAnn } from './brat/serialize.js';
import { parseJsonCorpus, readJsonCorpus, serializeJsonCorpus, writeJsonCorpus } from './json.js';
import type { Document } from './types.js';
import { errorOf } from '../test-helpers/errors.js';
import { useTempDir } from '../test-helpers/temp-dir.js';

const DOC: Document = {
  id: 'a',
  text: 'aspirin 81 mg',
  entities: [
    { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'aspirin' },
    { id: 'T2', type: 'Strength', fragments: [{ start: 8, end: 13 }], text: '81 mg', score: 0.75 },
  ],
  relations: [{ id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' }],
  attributes: [{ id: 'A1', type: 'Negated', target: 'T1' }],
};

/** A corpus file with one change applied to a copy of DOC. */
function withChange(change: (d: Document) => void): string {
  const d = structuredClone(DOC);
  change(d);
  return serializeJsonCorpus([d]);
}

let tmp = '';
useTempDir('medrex-json-', (dir) => (tmp = dir));

describe('medrex JSON corpus', () => {
  it('round trips documents through a file', async () => {
    const path = join(tmp, 'c.json');
    await writeJsonCorpus(path, [DOC]);
    expect((await readJsonCorpus(path)).documents).toEqual([DOC]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ format: 'medrex-corpus', version: 2 });
  });

  it('writes an entity\'s spans as `spans` (as the library and the server do) and still reads version 1\'s `fragments`', async () => {
    const written = JSON.parse(serializeJsonCorpus([DOC]));
    expect(written.documents[0].entities[1]).toEqual({ id: 'T2', type: 'Strength', spans: [{ start: 8, end: 13 }], text: '81 mg', score: 0.75 });
    const old = { format: 'medrex-corpus', version: 1, documents: [DOC] }; // DOC's entities have `fragments`
    expect(parseJsonCorpus(JSON.stringify(old), 'old.json')).toEqual([DOC]);
  });

  it('refuses to replace a file unless overwrite', async () => {
    const path = join(tmp, 'c.json');
    await writeFile(path, 'keep', 'utf8');
    await expect(writeJsonCorpus(path, [DOC])).rejects.toMatchObject({ rule: 'output-exists' });
    expect(await readFile(path, 'utf8')).toBe('keep');
    await writeJsonCorpus(path, [DOC], { overwrite: true });
    expect((await readJsonCorpus(path)).documents).toHaveLength(1);
  });

  it.each([
    [
      'a fragment past the text',
      (d: Document) => (d.entities[1].fragments[0].end = 99),
      'document 0 ("a"): entities[1].spans[0].end: 99 is past the end of the text (13)',
    ],
    [
      'a relation to a missing entity',
      (d: Document) => (d.relations[0].arg2 = 'T9'),
      'document 0 ("a"): relations[0].arg2: no entity T9',
    ],
    ['a duplicate id', (d: Document) => (d.entities[1].id = 'T1'), 'document 0 ("a"): entities[1].id: duplicate id T1'],
    [
      'a score above 1',
      (d: Document) => (d.entities[1].score = 2),
      'document 0 ("a"): entities[1].score: Number must be less than or equal to 1',
    ],
    [
      'a misspelt field',
      (d: Document) => Object.assign(d.entities[0], { txt: 'x' }),
      'document 0 ("a"): entities[0]: Unrecognized key(s) in object: \'txt\'',
    ],
    [
      'an attribute on nothing',
      (d: Document) => (d.attributes = [{ id: 'A1', type: 'Negated', target: 'T7' }]),
      'document 0 ("a"): attributes[0].target: no annotation T7',
    ],
  ])('rejects %s, naming document and field', (_what, change, message) => {
    const err = errorOf(() => parseJsonCorpus(withChange(change), 'c.json'));
    expect(err.message).toBe(message);
    expect(err.rule).toBe('json-invalid');
    expect(err.file).toBe('c.json');
  });

  it('rejects a wrong format tag or version', () => {
    expect(errorOf(() => parseJsonCorpus('{"format":"other","version":1,"documents":[]}', 'x.json')).message).toMatch(
      /^format: /,
    );
    expect(
      errorOf(() => parseJsonCorpus('{"format":"medrex-corpus","version":3,"documents":[]}', 'x.json')).message,
    ).toMatch(/^version: /);
  });

  it('gives the line of a syntax error', () => {
    const err = errorOf(() =>
      parseJsonCorpus('{\n  "format": "medrex-corpus",\n  "version": 1,\n  "documents": [,]\n}', 'x.json'),
    );
    expect(err).toMatchObject({ rule: 'json-syntax', line: 4 });
    expect(errorOf(() => parseJsonCorpus('{\n"a": "unterminated\n', 'x.json')).line).toBe(2);
  });

  it('keeps the brat layout, so brat -> JSON -> brat is still byte for byte', async () => {
    const dir = fileURLToPath(new URL('./fixtures/brat/n2c2', import.meta.url));
    const { documents } = await readBratCorpus(dir);
    const path = join(tmp, 'c.json');
    await writeJsonCorpus(path, documents);
    const back = (await readJsonCorpus(path)).documents;
    expect(serializeAnn(back[0])).toBe(await readFile(join(dir, '100035.ann'), 'utf8'));
    expect(serializeAnn(back[2])).toBe(await readFile(join(dir, 'sub/200001.ann'), 'utf8')); // no final newline
  });
});
