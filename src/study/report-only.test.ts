import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStudyConfig } from './config.js';
import { writeRecord } from './record.js';
import { conductStudy } from './study.js';
import { fakeRecord } from './test-helpers/records.js';

describe('--report-only', () => {
  it('says when records of planned runs were made with another spec (e.g. other --threads) instead of silently dropping them', async () => {
    const study = parseStudyConfig({ folds: 2, seeds: [1], configurations: [{ name: 'pipeline', model: 'pipeline', sharing: 'none' }, { name: 'joint-encoder', model: 'joint', sharing: 'encoder' }], synthetic: { docs: 6 } });
    const dir = mkdtempSync(join(tmpdir(), 'medrex-report-only-'));
    writeRecord(dir, fakeRecord({ configuration: 'pipeline', fold: 0, seed: 1, docs: { d: { tp: 1, fp: 0, fn: 0 } }, specKey: 'made-with-other-threads' }));
    const lines: string[] = [];
    const result = await conductStudy({ study, reportDir: join(dir), reportOnly: true, browser: false, log: (l) => lines.push(l) });
    expect(result.usedRecords).toBe(0);
    expect(lines.join('\n')).toMatch(/note: 1 record in runs\/ of planned runs was made with another corpus or run spec.*--threads and --backend/);
  }, 60_000);
});
