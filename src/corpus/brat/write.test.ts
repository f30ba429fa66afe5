import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Document } from '../types.js';
import { writeBratCorpus } from './write.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'medrex-brat-w-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const doc = (id: string): Document => ({
  id,
  text: 'aspirin',
  entities: [{ id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 7 }], text: 'aspirin' }],
  relations: [],
});

describe('writeBratCorpus', () => {
  it('creates nested folders from ids', async () => {
    await writeBratCorpus(join(tmp, 'out'), [doc('train/a'), doc('b')]);
    expect(await readFile(join(tmp, 'out/train/a.ann'), 'utf8')).toBe('T1\tDrug 0 7\taspirin\n');
    expect((await readdir(join(tmp, 'out'))).sort()).toEqual(['b.ann', 'b.txt', 'train']);
  });

  it('refuses a non-empty directory unless overwrite, and never deletes other files', async () => {
    await writeFile(join(tmp, 'keep.txt'), 'user data', 'utf8');
    await expect(writeBratCorpus(tmp, [doc('a')])).rejects.toMatchObject({ rule: 'output-exists' });
    await writeBratCorpus(tmp, [doc('a')], { overwrite: true });
    expect(await readFile(join(tmp, 'keep.txt'), 'utf8')).toBe('user data');
    expect(await readFile(join(tmp, 'a.txt'), 'utf8')).toBe('aspirin');
  });

  it('refuses ids that would escape the directory, and duplicate ids, before writing anything', async () => {
    const out = join(tmp, 'out');
    await expect(writeBratCorpus(out, [doc('ok'), doc('../evil')])).rejects.toMatchObject({
      rule: 'unsafe-document-id',
    });
    await expect(writeBratCorpus(out, [doc('/abs')])).rejects.toMatchObject({ rule: 'unsafe-document-id' });
    await expect(writeBratCorpus(out, [doc('a'), doc('a')])).rejects.toMatchObject({ rule: 'duplicate-document-id' });
    const bad = { ...doc('z'), entities: [{ ...doc('z').entities[0], fragments: [{ start: 0, end: 99 }] }] };
    await expect(writeBratCorpus(out, [doc('ok'), bad])).rejects.toMatchObject({ rule: 'unwritable-annotation' });
    await expect(readdir(out)).rejects.toThrow(); // nothing was created
  });
});
