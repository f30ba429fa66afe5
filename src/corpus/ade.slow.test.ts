/** The ADE reader on the real corpus (needs ../shared/data or $MEDREX_ADE_DIR; skipped when absent). Slow: ~4 s, 8,544 files. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADE_DIR } from '../test-helpers/shared-data.js';
import { readAdeCorpus } from './ade.js';
import { readBratCorpus } from './brat/read.js';
import { writeBratCorpus } from './brat/write.js';

const REAL = ADE_DIR;

describe.skipIf(!existsSync(REAL))(
  'readAdeCorpus on the real corpus (skipped when the ADE data is absent)',
  () => {
    it('has the benchmark numbers: 4,272 sentences, 1,644 articles, 10 disjoint folds covering everything', async () => {
      const { documents, folds, report } = await readAdeCorpus(REAL);
      expect(documents).toHaveLength(4272);
      expect(new Set(documents.map((d) => d.id.split('-')[0])).size).toBe(1644);
      expect(folds).toHaveLength(10);
      const inFolds = folds.flat();
      expect(inFolds).toHaveLength(4272);
      expect(new Set(inFolds)).toEqual(new Set(documents.map((d) => d.id)));
      const pmidFold = new Map<string, number>();
      folds.forEach((f, i) =>
        f.forEach((id) => {
          const pmid = id.split('-')[0];
          expect(pmidFold.get(pmid) ?? i).toBe(i);
          pmidFold.set(pmid, i);
        }),
      );
      // Every mention found, every offset consistent with its sentence; the README's ~120 overlapping relations.
      expect(report.countsByRule['mention-not-found']).toBeUndefined();
      expect(report.countsByRule['offset-disagreement']).toBeUndefined();
      expect(report.countsByRule['overlapping-relation']).toBe(120);
      expect(documents.reduce((n, d) => n + d.relations.length, 0)).toBe(6821); // one per line, no line repeated
    });

    it('survives a trip through brat files unchanged', async () => {
      const { documents } = await readAdeCorpus(REAL);
      const dir = await mkdtemp(join(tmpdir(), 'medrex-ade-brat-'));
      try {
        await writeBratCorpus(dir, documents);
        const back = await readBratCorpus(dir);
        const byId = new Map(back.documents.map((d) => [d.id, d]));
        for (const d of documents) expect({ ...byId.get(d.id), annLayout: undefined }).toEqual(d);
        expect(back.report.warnings).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
