import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test-helpers/run-cli.js';

const run = runCli;

describe('medrex clean', () => {
  let tmp: string;
  let input: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medrex-clean-cli-'));
    input = join(tmp, 'in');
    mkdirSync(input);
    // 0123456789012345678
    // Took Lasix, 40 mg.
    writeFileSync(join(input, 'a.txt'), 'Took Lasix, 40 mg.\n');
    writeFileSync(join(input, 'a.ann'), 'T1\tDrug 5 11\tLasix,\nT2\tStrength 12 17\t40 mg\n');
    writeFileSync(join(input, 'b.txt'), 'Took Lasix, 40 mg.\n'); // exact copy of a
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints every change and the totals by rule', async () => {
    const { code, stdout, stderr } = await run(['clean', input, join(tmp, 'out')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ trim-spans\s+│ a\s+│ 1\s+│ T1\s+│ T1 Drug 5 11 "Lasix,"\s+│ T1 Drug 5 10 "Lasix"/);
    expect(stdout).toMatch(/│ exact-duplicate-documents\s+│ b\s+│\s+│\s+│ b \(19 chars.*│ same text as a/);
    expect(stdout).toMatch(/│ trim-spans\s+│ 1\s+│/);
    expect(stdout).toMatch(/│ near-duplicate-documents\s+│ 0\s+│/);
    expect(stdout).toContain('2 documents in, 1 written to');
    expect(existsSync(join(tmp, 'out', 'b.txt'))).toBe(false);
  });

  it('prints the report as JSON with --json, and marks disabled rules', async () => {
    const { code, stdout } = await run(['clean', input, join(tmp, 'out'), '--json', '--disable', 'trim-spans']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { totals: Record<string, number>; disabled: string[]; changes: unknown[] };
    expect(report.disabled).toEqual(['trim-spans']);
    expect(report.totals['trim-spans']).toBe(0);
    expect(report.totals['exact-duplicate-documents']).toBe(1);
    expect(report.changes).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(tmp, 'out', 'clean-report.json'), 'utf8'))).toEqual(report);
  });

  it('rejects an unknown rule, listing the valid ones, without writing anything', async () => {
    const { code, stdout, stderr } = await run(['clean', input, join(tmp, 'out'), '--disable', 'trim']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^medrex: error: unknown cleaning rule 'trim'; valid rules: text-mismatch, .*trim-spans.* \[clean-unknown-rule\]\n$/);
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });

  it('rejects a bad threshold and an output inside the input', async () => {
    const bad = await run(['clean', input, join(tmp, 'out'), '--near-dup-threshold', '1.5']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--near-dup-threshold must be a number in (0, 1], got "1.5" [clean-bad-threshold]');
    const inside = await run(['clean', input, join(input, 'out')]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/error: .*in\/out: output directory is inside the input directory .*\[clean-output-inside-input\]/);
    expect(existsSync(join(input, 'out'))).toBe(false);
  });

  it('refuses an output directory holding files it did not write, even with --force, and deletes nothing', async () => {
    const out = join(tmp, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'x.txt'), 'x');
    for (const extra of [[], ['--force']]) {
      const refused = await run(['clean', input, out, ...extra]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('[output-not-empty]');
    }
    expect(readFileSync(join(out, 'x.txt'), 'utf8')).toBe('x');
  });
});
