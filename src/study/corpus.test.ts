import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MedrexError } from '../errors.js';
import { parseStudyConfig } from './config.js';
import { prepareStudyCorpus } from './corpus.js';

describe('prepareStudyCorpus: the cleaning guard', () => {
  let tmp: string;
  let data: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-study-corpus-'));
    data = join(tmp, 'data');
    mkdirSync(data);
    // T2 is only a comma: trim-spans removes it, the one Reason of the corpus.
    writeFileSync(join(data, 'a.txt'), 'Gave aspirin, for pain.\n');
    writeFileSync(join(data, 'a.ann'), 'T1\tDrug 5 12\taspirin\nT2\tReason 12 13\t,\nR1\tReason-Drug Arg1:T2 Arg2:T1\n');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('stops before training when cleaning would remove more than cleanMaxLoss of a type', async () => {
    const err = await prepareStudyCorpus(data, tmp, parseStudyConfig({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MedrexError);
    expect((err as MedrexError).describe()).toBe(
      'cleaning would remove 100.0% of entity type "Reason" (1 of 1; trim-spans: 1), more than the 2.0% allowed per ' +
        'type [clean-loss-too-high]; nothing was trained; add "trim-spans" to "cleanDisable" in the study config, or ' +
        'accept the loss with --allow-loss (or a higher "cleanMaxLoss"); `medrex clean` shows every change',
    );
  });

  it('goes on with the rule off (cleanDisable) or the loss accepted (cleanMaxLoss)', async () => {
    const off = await prepareStudyCorpus(data, tmp, parseStudyConfig({ cleanDisable: ['trim-spans'] }));
    expect(off.documents[0].entities).toHaveLength(2);
    const accepted = await prepareStudyCorpus(data, tmp, parseStudyConfig({ cleanMaxLoss: 1 }));
    expect(accepted.documents[0].entities).toHaveLength(1);
  });

  it('rejects an unknown rule in cleanDisable', () => {
    expect(() => parseStudyConfig({ cleanDisable: ['trim'] })).toThrow(/study config key "cleanDisable.0"/);
  });
});
