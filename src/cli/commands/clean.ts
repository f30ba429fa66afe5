/**
 * `medrex clean IN_DIR OUT_DIR`: writes a cleaned copy of a brat corpus plus `clean-report.json`, and prints
 * every change and the totals by rule (or, with --json, the report). The rules live in `src/corpus/clean/`.
 */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { MedrexError } from '../../errors.js';
import { CLEAN_RULES, RULE_DESCRIPTIONS, parseRuleList, type CleanRule } from '../../corpus/clean/rules.js';
import { DEFAULT_NEAR_DUPLICATE_THRESHOLD } from '../../corpus/clean/clean.js';
import { checkInputDir, checkOutputDir } from '../../corpus/clean/output-dir.js';
import { DEFAULT_MAX_LOSS, losingRules } from '../../corpus/clean/loss.js';
import { cleanBratDirectory, REPORT_FILE, type CleanDirectoryReport } from '../../corpus/clean/run.js';
import { claimOutputFolder, writeStaged } from '../../output-folder.js';

interface CleanFlags {
  json?: boolean;
  disable?: string;
  nearDupThreshold?: string;
  force?: boolean;
  maxLoss?: string;
  allowLoss?: boolean;
}

/** Plain tables: no colour codes, so output piped to a file or a test stays readable. */
function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

/** Table cells stay one screen wide; the JSON report has the full text. */
function cell(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function parseThreshold(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_NEAR_DUPLICATE_THRESHOLD;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1) {
    throw new MedrexError(`--near-dup-threshold must be a number in (0, 1], got ${JSON.stringify(raw)}`, {
      rule: 'clean-bad-threshold',
    });
  }
  return value;
}

/** A share in [0, 1] (`--max-loss`). */
export function parseMaxLoss(raw: string | undefined, rule: string): number {
  if (raw === undefined) return DEFAULT_MAX_LOSS;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new MedrexError(`--max-loss must be a share from 0 to 1 (0.02 = 2%), got ${JSON.stringify(raw)}`, { rule });
  }
  return value;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The loss table: every type, worst loss first (what the user must see before anything else). */
export function renderLoss(report: Pick<CleanDirectoryReport, 'loss'>): string {
  const loss = table(['kind', 'type', 'before', 'after', 'lost', 'lost %', 'copies removed', 'lost by']);
  for (const row of report.loss) {
    const by = losingRules(row).map(([rule, n]) => `${rule} ${n}`).join(', ');
    loss.push([row.kind, row.type, row.before, row.after, row.lost, pct(row.lostShare), row.duplicates, by]);
  }
  return loss.toString();
}

export function renderCleanReport(report: CleanDirectoryReport): string {
  const parts: string[] = [];
  if (report.loss.length > 0) parts.push(renderLoss(report));
  if (report.changes.length === 0) parts.push('No changes: the corpus is already clean under the enabled rules.');
  else {
    const changes = table(['rule', 'document', 'line', 'annotation', 'before', 'after']);
    for (const c of report.changes) {
      changes.push([c.rule, c.document, c.line ?? '', c.annotation ?? '', cell(c.before), cell(c.after)]);
    }
    parts.push(changes.toString());
  }
  if (report.readerWarnings.length > 0) {
    const read = table(['read warning', 'file', 'line', 'message']);
    for (const w of report.readerWarnings) read.push([w.rule, w.file, w.line ?? '', cell(w.message, 80)]);
    parts.push(read.toString());
  }
  const totals = table(['rule', 'changes', 'what it does']);
  const disabled = new Set<CleanRule>(report.disabled);
  for (const rule of CLEAN_RULES) {
    totals.push([rule, disabled.has(rule) ? 'off' : report.totals[rule], RULE_DESCRIPTIONS[rule]]);
  }
  totals.push(['all rules', report.changes.length, '']);
  parts.push(totals.toString());
  parts.push(
    `${report.documentsIn} documents in, ${report.documentsOut} written to ${report.output} ` +
      `(report: ${REPORT_FILE}); the input was not modified.`,
  );
  return `${parts.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('clean')
    .description('write a cleaned copy of a brat corpus and report every change')
    .argument('<in_dir>', 'brat corpus to clean (only read)')
    .argument('<out_dir>', 'where to write the cleaned copy and clean-report.json (outside in_dir)')
    .option('--json', 'print the report as JSON instead of tables')
    .option('--disable <rules>', `comma-separated rules to switch off: ${CLEAN_RULES.join(', ')}`)
    .option(
      '--near-dup-threshold <jaccard>',
      `word-shingle Jaccard at which documents are near duplicates (default ${DEFAULT_NEAR_DUPLICATE_THRESHOLD})`,
    )
    .option('--force', 'replace the output of an earlier clean in out_dir (removes only the files it listed)')
    .option(
      '--max-loss <share>',
      `stop, writing nothing, when the rules would remove more than this share of any entity or relation type ` +
        `(copies do not count; default ${DEFAULT_MAX_LOSS})`,
    )
    .option('--allow-loss', 'write the cleaned corpus whatever share of a type the rules remove')
    .action(async (inDir: string, outDir: string, flags: CleanFlags) => {
      const maxLoss = parseMaxLoss(flags.maxLoss, 'clean-bad-max-loss');
      const options = {
        disabled: parseRuleList(flags.disable ?? ''),
        nearDuplicateThreshold: parseThreshold(flags.nearDupThreshold),
        maxLoss: flags.allowLoss ? undefined : maxLoss,
        lossHint: 'nothing was written; switch the rule off with --disable {rule}, or pass --allow-loss to accept the loss',
      };
      checkInputDir(inDir);
      checkOutputDir(inDir, outDir, true);
      // Only into an empty folder or one clean wrote before; staged, so a failed write leaves the folder as it was.
      const folder = claimOutputFolder(outDir, 'clean', { force: flags.force });
      const report = await writeStaged(folder, (staging) =>
        cleanBratDirectory(inDir, outDir, { ...options, force: true, writeTo: staging }),
      );
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderCleanReport(report));
    });
}
