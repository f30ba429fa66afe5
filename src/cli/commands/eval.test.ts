import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test-helpers/run-cli.js';

const run = runCli;

describe('medrex eval', () => {
  let tmp: string;
  let gold: string;
  let pred: string;
  // 0123456789012345678
  // Took Lasix, 40 mg.
  const text = 'Took Lasix, 40 mg.\n';
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-eval-cli-'));
    gold = join(tmp, 'gold');
    pred = join(tmp, 'pred');
    mkdirSync(gold);
    mkdirSync(pred);
    writeFileSync(join(gold, 'a.txt'), text);
    writeFileSync(join(gold, 'a.ann'), 'T1\tDrug 5 10\tLasix\nT2\tStrength 12 17\t40 mg\nR1\tStrength-Drug Arg1:T2 Arg2:T1\n');
    writeFileSync(join(gold, 'b.txt'), text);
    writeFileSync(join(gold, 'b.ann'), ''); // empty annotation file: paired, nothing to find
    writeFileSync(join(gold, 'only-gold.txt'), text);
    writeFileSync(join(gold, 'only-gold.ann'), 'T1\tDrug 5 10\tLasix\n');
    writeFileSync(join(pred, 'a.txt'), text);
    // Strength predicted as "40" only: a strict miss, a lenient hit; the relation follows its arguments.
    writeFileSync(join(pred, 'a.ann'), 'T1\tDrug 5 10\tLasix\nT2\tStrength 12 14\t40\nR1\tStrength-Drug Arg1:T2 Arg2:T1\n');
    writeFileSync(join(pred, 'b.txt'), text);
    writeFileSync(join(pred, 'b.ann'), '');
    writeFileSync(join(pred, 'no-ann.txt'), text); // .txt without .ann: left out, as the script only sees .ann
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the official table, then the additions, and notices on stderr', async () => {
    const { code, stdout, stderr } = await run(['eval', gold, pred]);
    expect(code).toBe(0);
    // Entities strict: a has TP 1, FP 1, FN 1 -> 0.5 each; lenient 1. b scores 0 (nothing on either side).
    expect(stdout).toContain('                Drug  1.0000  1.0000  1.0000    1.0000  1.0000  1.0000');
    expect(stdout).toContain('            Strength  0.0000  0.0000  0.0000    1.0000  1.0000  1.0000');
    expect(stdout).toContain('     Overall (micro)  0.5000  0.5000  0.5000    1.0000  1.0000  1.0000');
    // Macro over 2 documents: (0.5 + 0) / 2 strict, (1 + 0) / 2 lenient.
    expect(stdout).toContain('     Overall (macro)  0.2500  0.2500  0.2500    0.5000  0.5000  0.5000');
    expect(stdout).toContain('    Strength -> Drug  0.0000  0.0000  0.0000    1.0000  1.0000  1.0000');
    expect(stdout).toContain('  2 files found  ');
    expect(stdout).toContain('MEDREX ADDITIONS');
    expect(stderr).toContain('medrex: notice: skipped 1 document found only in gold: only-gold');
    expect(stderr).toContain('medrex: notice: system: 1 .txt file(s) without .ann left out: no-ann');
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await run(['eval', gold, pred, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      documents: { paired: number; goldOnly: string[] };
      relations: { micro: { lenient: { f1: number } } };
      additions: { entities: { withUnpaired: { micro: { strict: { fn: number } } } } };
    };
    expect(report.documents).toMatchObject({ paired: 2, goldOnly: ['only-gold'] });
    expect(report.relations.micro.lenient.f1).toBe(1);
    // Strict FN: the missed Strength in a, plus the Drug of only-gold counted as a miss.
    expect(report.additions.entities.withUnpaired.micro.strict.fn).toBe(2);
  });

  it('names a missing directory and the side it was given for', async () => {
    const missing = join(tmp, 'nope');
    const { code, stderr } = await run(['eval', missing, pred]);
    expect(code).toBe(1);
    expect(stderr).toBe(`medrex: error: ${missing}: gold directory ${missing} does not exist [path-not-found]\n`);
  });

  it('fails when no file name matches', async () => {
    const other = join(tmp, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'z.txt'), text);
    writeFileSync(join(other, 'z.ann'), '');
    const { code, stderr } = await run(['eval', gold, other]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/medrex: error: .*no file name in .* matches one in .*: nothing to score \[no-common-documents\]/);
  });
});
