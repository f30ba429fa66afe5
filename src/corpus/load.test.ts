import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeJsonCorpus } from './json.js';
import { loadCorpus } from './load.js';
import { useTempDir } from '../test-helpers/temp-dir.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

let tmp = '';
useTempDir('medrex-load-', (dir) => (tmp = dir));

describe('loadCorpus', () => {
  it('detects brat from .txt/.ann files below the directory', async () => {
    const c = await loadCorpus(join(FIXTURES, 'brat'));
    expect(c.format).toBe('brat');
    expect(c.documents.map((d) => d.id)).toEqual(['n2c2/100035', 'n2c2/300002', 'n2c2/sub/200001']);
    expect(c.folds).toBeUndefined();
  });

  it('detects the ADE corpus from DRUG-AE.rel and returns its folds', async () => {
    const c = await loadCorpus(join(FIXTURES, 'ade'), { ade: { includeNegative: true } });
    expect(c.format).toBe('ade');
    expect(c.documents).toHaveLength(7);
    expect(c.folds?.flat()).toHaveLength(7);
  });

  it('detects JSON from the file extension', async () => {
    const path = join(tmp, 'c.json');
    await writeJsonCorpus(path, [{ id: 'x', text: 'hi', entities: [], relations: [] }]);
    expect(await loadCorpus(path)).toMatchObject({
      format: 'json',
      documents: [{ id: 'x' }],
      report: { warnings: [] },
    });
  });

  it('says what it expected when nothing fits', async () => {
    await mkdir(join(tmp, 'd'));
    await writeFile(join(tmp, 'd/readme.md'), 'x');
    await expect(loadCorpus(join(tmp, 'd'))).rejects.toMatchObject({
      rule: 'unknown-format',
      message: expect.stringMatching(/DRUG-AE\.rel/),
    });
    await expect(loadCorpus(join(tmp, 'd/readme.md'))).rejects.toMatchObject({ rule: 'unknown-format' });
    await expect(loadCorpus(join(tmp, 'missing'))).rejects.toMatchObject({ rule: 'path-not-found' });
    await expect(loadCorpus(join(tmp, 'd'), { format: 'json' })).rejects.toMatchObject({ rule: 'wrong-format' });
  });
});
