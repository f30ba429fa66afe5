/**
 * The generated corpus goes through the brat writer and reader unchanged: same text (CRLF included), same
 * entities with the same fragments, same relations. This is what `medrex synth` writes and every other command reads.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBratCorpus } from '../brat/read.js';
import { writeBratCorpus } from '../brat/write.js';
import type { Document } from '../types.js';
import { generateCorpus } from './index.js';

/** The annotation content only (the reader adds layout bookkeeping that a generated document does not have). */
function content(doc: Document) {
  return {
    id: doc.id,
    text: doc.text,
    entities: doc.entities.map(({ id, type, fragments, text }) => ({ id, type, fragments, text })),
    relations: doc.relations.map(({ id, type, arg1, arg2 }) => ({ id, type, arg1, arg2 })),
  };
}

describe('synthetic corpus through the brat writer and reader', () => {
  let dir: string;
  const corpus = generateCorpus({ docs: 12, seed: 21 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'medrex-synth-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back exactly what was written, with a clean report', async () => {
    // The corpus must contain the hard cases for this test to mean anything.
    expect(corpus.some((d) => d.text.includes('\r\n'))).toBe(true);
    expect(corpus.some((d) => d.entities.some((e) => e.fragments.length > 1))).toBe(true);

    await writeBratCorpus(dir, corpus);
    const { documents, report } = await readBratCorpus(dir);
    expect(report.warnings).toEqual([]);
    expect(documents.map(content)).toEqual(corpus.map(content));
  });

  it('writes discontinuous mentions as brat fragment lists', async () => {
    const doc = corpus.find((d) => d.entities.some((e) => e.fragments.length > 1))!;
    const entity = doc.entities.find((e) => e.fragments.length > 1)!;
    const ann = await readFile(join(dir, `${doc.id}.ann`), 'utf8');
    const spans = entity.fragments.map((f) => `${f.start} ${f.end}`).join(';');
    expect(ann).toContain(`${entity.id}\t${entity.type} ${spans}\t${entity.text}\n`);
  });
});
