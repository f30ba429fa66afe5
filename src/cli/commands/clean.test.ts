import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('stops, writing nothing, when a rule would remove more than 2% of a type, unless --allow-loss', async () => {
    // T2 is only a comma: trimmed to nothing, it goes, and its relation with it.
    writeFileSync(join(input, 'c.txt'), 'Gave aspirin, for pain.\n');
    writeFileSync(join(input, 'c.ann'), 'T1\tDrug 5 12\taspirin\nT2\tReason 12 13\t,\nR1\tReason-Drug Arg1:T2 Arg2:T1\n');
    const stopped = await run(['clean', input, join(tmp, 'out')]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toBe(
      'medrex: error: cleaning would remove 100.0% of entity type "Reason" (1 of 1; trim-spans: 1), ' +
        'more than the 2.0% allowed per type [clean-loss-too-high]; nothing was written; switch the rule off with ' +
        '--disable trim-spans, or pass --allow-loss to accept the loss\n',
    );
    // The folder was claimed (created, with medrex's manifest) before the work; no corpus file was written.
    expect(readdirSync(join(tmp, 'out'))).toEqual(['.medrex-output.json']);
    const allowed = await run(['clean', input, join(tmp, 'out'), '--allow-loss']);
    expect(allowed.code).toBe(0);
    // The loss table comes first: every type, worst loss first.
    const lines = allowed.stdout.split('\n');
    expect(lines[3]).toMatch(/│ entity\s+│ Reason\s+│ 1\s+│ 0\s+│ 1\s+│ 100.0%\s+│ 0\s+│ trim-spans 1/);
    expect(lines[4]).toMatch(/│ relation\s+│ Reason-Drug\s+│ 1\s+│ 0\s+│ 1\s+│ 100.0%\s+│ 0\s+│ trim-spans 1/);
    const raised = await run(['clean', input, join(tmp, 'out2'), '--max-loss', '1']);
    expect(raised.code).toBe(0);
    const bad = await run(['clean', input, join(tmp, 'out3'), '--max-loss', '2%']);
    expect(bad.stderr).toContain('--max-loss must be a share from 0 to 1 (0.02 = 2%), got "2%" [clean-bad-max-loss]');
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
