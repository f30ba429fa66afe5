import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dropOverlappingRelations, overlappingRelations, readAdeCorpus } from './ade.js';
import type { Document } from './types.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/ade', import.meta.url));

const spans = (d: Document): string[] =>
  d.entities.map((e) => `${e.id} ${e.type} ${e.fragments[0].start}-${e.fragments[0].end} ${e.text}`);
const rels = (d: Document): string[] => d.relations.map((r) => `${r.id} ${r.type} ${r.arg1} ${r.arg2}`);

describe('readAdeCorpus on the hand-made fixture', () => {
  it('makes one document per distinct sentence, locating mentions by text and offsets', async () => {
    const { documents, report } = await readAdeCorpus(FIXTURE);
    expect(documents.map((d) => d.id)).toEqual(['100-1', '100-2', '9-1', '20-1']);
    const [digoxin, aspirin, ibuprofen] = documents;
    // Entities numbered left to right; "digoxin" (14-21) starts where "digoxin toxicity" (14-30) does but ends first.
    expect(spans(digoxin)).toEqual(['T1 Drug 14-21 digoxin', 'T2 Adverse-Effect 14-30 digoxin toxicity']);
    expect(rels(digoxin)).toEqual(['R1 ADE-Drug T2 T1']);
    // "aspirin" occurs at 11 and 26: the document offsets (72 and 87, sentence starting at 61) pick each one.
    expect(spans(aspirin)).toEqual([
      'T1 Adverse-Effect 0-4 Rash',
      'T2 Drug 11-18 aspirin',
      'T3 Drug 26-33 aspirin',
      'T4 Adverse-Effect 41-46 fever',
    ]);
    // The repeated Rash/aspirin line is one relation.
    expect(rels(aspirin)).toEqual(['R1 ADE-Drug T1 T2', 'R2 ADE-Drug T4 T3']);
    expect(spans(ibuprofen)).toEqual(['T1 Drug 0-9 Ibuprofen', 'T2 Adverse-Effect 24-40 gastric bleeding']);
    expect(report.countsByRule).toEqual({ 'ambiguous-mention': 3, 'duplicate-relation': 1, 'overlapping-relation': 1 });
  });

  it('puts whole articles in folds by numeric PMID rank', async () => {
    const { folds } = await readAdeCorpus(FIXTURE);
    // PMIDs 9, 20, 100 in numeric order (not "100" < "20" < "9").
    expect(folds.slice(0, 4)).toEqual([['9-1'], ['20-1'], ['100-1', '100-2'], []]);
    expect(folds).toHaveLength(10);
  });

  it('adds Dose entities and negative sentences on request, keeping the ids of DRUG-AE sentences', async () => {
    const { documents, folds, report } = await readAdeCorpus(FIXTURE, { includeDose: true, includeNegative: true });
    expect(documents.map((d) => d.id)).toEqual(['100-1', '100-2', '9-1', '20-1', '100-3', '9-2', '5-1']);
    const ibuprofen = documents[2];
    expect(spans(ibuprofen)).toEqual([
      'T1 Drug 0-9 Ibuprofen',
      'T2 Dose 10-16 400 mg',
      'T3 Adverse-Effect 24-40 gastric bleeding',
    ]);
    expect(rels(ibuprofen)).toEqual(['R1 ADE-Drug T3 T1', 'R2 Dose-Drug T2 T1']);
    expect(documents[5]).toMatchObject({ text: 'Ibuprofen was stopped.', entities: [], relations: [] });
    expect(report.countsByRule['duplicate-sentence']).toBe(1);
    // PMID 5 is not in DRUG-AE: it ranks after the three DRUG-AE articles.
    expect(folds.slice(0, 4)).toEqual([['9-1', '9-2'], ['20-1'], ['100-1', '100-2', '100-3'], ['5-1']]);
  });

  it('drops relations between overlapping entities on request', async () => {
    const { documents } = await readAdeCorpus(FIXTURE);
    expect(overlappingRelations(documents[0]).map((r) => r.id)).toEqual(['R1']);
    const dropped = dropOverlappingRelations(documents);
    expect(dropped[0]).toMatchObject({ relations: [], entities: [] });
    expect(dropped[1]).toBe(documents[1]);
    expect(dropOverlappingRelations(documents, { keepEntities: true })[0].entities).toHaveLength(2);
    expect(documents[0].relations).toHaveLength(1); // input untouched
  });

  it('names the file and line of a bad line, or skips and counts it when lenient', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'medrex-ade-'));
    try {
      await writeFile(
        join(dir, 'DRUG-AE.rel'),
        [
          '1|A rash from X.|rash|2|6|X|12|13',
          '1|A rash from X.|rash|2|6',
          '1|A rash from X.|itch|2|6|X|12|13',
          '1|A rash from X.|hives|2|8|X|12|13',
        ].join('\n'),
      );
      await expect(readAdeCorpus(dir)).rejects.toMatchObject({
        file: join(dir, 'DRUG-AE.rel'),
        line: 2,
        rule: 'malformed-line',
      });
      const { documents, report } = await readAdeCorpus(dir, { lenient: true });
      expect(rels(documents[0])).toEqual(['R1 ADE-Drug T1 T2']);
      expect(report.countsByRule).toEqual({ 'malformed-line': 1, 'bad-offsets': 1, 'mention-not-found': 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says what it expected when DRUG-AE.rel is missing', async () => {
    await expect(readAdeCorpus(join(FIXTURE, 'nope'))).rejects.toMatchObject({ rule: 'path-not-found' });
  });
});
