import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { textOfFragments } from '../types.js';
import { readBratCorpus, readBratDocument } from './read.js';
import { writeBratCorpus } from './write.js';
import { rejectionOf } from '../../test-helpers/errors.js';
import { useTempDir } from '../../test-helpers/temp-dir.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/brat/n2c2', import.meta.url));

let tmp = '';
useTempDir('medrex-brat-', (dir) => (tmp = dir));

describe('readBratCorpus', () => {
  it('reads nested folders, ids relative to the root, sorted, and counts a .txt without .ann', async () => {
    const { documents, report } = await readBratCorpus(FIXTURE);
    expect(documents.map((d) => d.id)).toEqual(['100035', '300002', 'sub/200001']);
    expect(report.countsByRule).toEqual({ 'txt-without-ann': 1 });
    const [d] = documents;
    expect(d.entities).toHaveLength(8);
    expect(d.relations).toHaveLength(5);
    // T6 is discontinuous and written out of order: "hypotension" (110-121) before "held" (94-98).
    const t6 = d.entities.find((e) => e.id === 'T6');
    expect(t6?.fragments).toEqual([
      { start: 110, end: 121 },
      { start: 94, end: 98 },
    ]);
    expect(textOfFragments(d.text, t6?.fragments ?? [])).toBe('hypotension held');
    // T8 crosses a line break; its text field has a space where the source has "\n".
    expect(d.entities.find((e) => e.id === 'T8')?.text).toBe('of hypotension');
    expect(d.attributes).toHaveLength(2);
    expect(d.equivalences).toEqual([{ type: 'Equiv', members: ['T5', 'T8'] }]);
    expect(d.notes).toHaveLength(1);
    expect(documents[1]).toMatchObject({ entities: [], relations: [] });
  });

  it('writes the fixtures back byte for byte', async () => {
    const { documents } = await readBratCorpus(FIXTURE);
    const out = join(tmp, 'out');
    await writeBratCorpus(out, documents);
    for (const name of ['100035.txt', '100035.ann', 'sub/200001.txt', 'sub/200001.ann', '300002.txt']) {
      expect(await readFile(join(out, name)), name).toEqual(await readFile(join(FIXTURE, name)));
    }
  });

  it('keeps CR characters and a byte order mark in the text, counting them in offsets', async () => {
    // brat (Python, utf-8 codec) counts U+FEFF as character 0 and CR as a character: BOM 0, "Line one" 1-9,
    // CR 9, LF 10, "aspirin" 11-18.
    const text = '\uFEFFLine one\r\naspirin 5 mg\r\n';
    await writeFile(join(tmp, 'a.txt'), text, 'utf8');
    await writeFile(join(tmp, 'a.ann'), 'T1\tDrug 11 18\taspirin\r\n', 'utf8');
    const { documents } = await readBratCorpus(tmp);
    expect(documents[0].text).toBe(text);
    expect(documents[0].entities[0].fragments).toEqual([{ start: 11, end: 18 }]);
    const out = join(tmp, 'out');
    await writeBratCorpus(out, documents);
    expect(await readFile(join(out, 'a.txt'))).toEqual(await readFile(join(tmp, 'a.txt')));
    expect(await readFile(join(out, 'a.ann'), 'utf8')).toBe('T1\tDrug 11 18\taspirin\r\n');
  });

  it.each([
    ['a path that does not exist', 'missing', 'path-not-found'],
    ['an empty directory', 'empty', 'empty-corpus'],
  ])('rejects %s', async (_what, sub, rule) => {
    await mkdir(join(tmp, 'empty'));
    const err = await rejectionOf(readBratCorpus(join(tmp, sub)));
    expect(err.rule).toBe(rule);
    expect(err.file).toBe(join(tmp, sub));
  });

  it('rejects a .ann without .txt, or skips and counts it when lenient', async () => {
    await writeFile(join(tmp, 'ok.txt'), 'aspirin', 'utf8');
    await writeFile(join(tmp, 'ok.ann'), 'T1\tDrug 0 7\taspirin\n', 'utf8');
    await writeFile(join(tmp, 'orphan.ann'), 'T1\tDrug 0 7\taspirin\n', 'utf8');
    const err = await rejectionOf(readBratCorpus(tmp));
    expect(err.rule).toBe('ann-without-txt');
    expect(err.file).toBe(join(tmp, 'orphan.ann'));
    const { documents, report } = await readBratCorpus(tmp, { lenient: true });
    expect(documents.map((d) => d.id)).toEqual(['ok']);
    expect(report.countsByRule).toEqual({ 'ann-without-txt': 1 });
  });

  it('names the .ann file and line of the first error', async () => {
    await mkdir(join(tmp, 'x'));
    await writeFile(join(tmp, 'x/b.txt'), 'aspirin', 'utf8');
    await writeFile(join(tmp, 'x/b.ann'), 'T1\tDrug 0 7\taspirin\nT2\tDrug 0 70\taspirin\n', 'utf8');
    const err = await rejectionOf(readBratCorpus(tmp));
    expect(err.describe()).toBe(
      `${join(tmp, 'x/b.ann')}:2: entity T2: offset 70 is past the end of the text (7 characters) [offsets-past-end]`,
    );
  });

  it('rejects a .txt that is not UTF-8', async () => {
    await writeFile(join(tmp, 'c.txt'), Buffer.from([0x61, 0xff, 0x62]));
    const err = await rejectionOf(readBratCorpus(tmp));
    expect(err.rule).toBe('invalid-utf8');
  });
});

describe('readBratDocument', () => {
  it('reads one pair, with the id taken from the file name', async () => {
    const { document, report } = await readBratDocument(
      join(FIXTURE, 'sub/200001.txt'),
      join(FIXTURE, 'sub/200001.ann'),
    );
    expect(document.id).toBe('200001');
    expect(document.entities.map((e) => e.text)).toEqual(['Metformin', '500 mg', 'tablet']);
    expect(report.warnings).toEqual([]);
  });
});
