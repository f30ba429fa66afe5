/**
 * `medrex eval GOLD_DIR PRED_DIR [--json]`: scores a brat prediction directory against a gold one with the
 * n2c2 2018 Track 2 rules (official table first, medrex additions after). The scorer lives in `src/eval/`.
 */
import type { Command } from 'commander';
import { MedrexError } from '../../errors.js';
import { formatScoreTable } from '../../eval/format.js';
import { scoreCorpora } from '../../eval/score.js';
import { readEvalSide } from '../../eval/read-sides.js';
import { symmetricRelationTypes } from '../../text/relation-shapes.js';

interface EvalFlags {
  json?: boolean;
  lenient?: boolean;
  ordered?: boolean;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('score predictions against gold brat files (n2c2 2018 Track 2 rules: strict and lenient)')
    .argument('<gold_dir>', 'gold brat corpus (.txt + .ann)')
    .argument('<pred_dir>', 'predicted brat corpus (.txt + .ann, same file names)')
    .option('--json', 'print the report as JSON instead of tables')
    .option('--ordered', 'match every relation type with its arguments in order (default: types whose order means nothing in the gold data match either way)')
    .option('--lenient', 'skip malformed annotation lines (listed on stderr) instead of stopping at the first')
    .action(async (goldDir: string, predDir: string, flags: EvalFlags) => {
      const gold = await readEvalSide(goldDir, 'gold', flags.lenient);
      const system = await readEvalSide(predDir, 'system', flags.lenient);
      // Decided from the gold data as training does (src/text/relation-shapes.ts); n2c2's X-Drug types never are.
      const symmetric = flags.ordered ? [] : symmetricRelationTypes(gold.documents);
      const report = scoreCorpora(gold.documents, system.documents, { symmetricRelationTypes: symmetric });

      const notes: string[] = [];
      if (symmetric.length > 0) {
        notes.push(`relation types matched in either argument order (their order means nothing in the gold data; --ordered to turn off): ${symmetric.join(', ')}`);
      }
      for (const [side, read] of [['gold', gold], ['system', system]] as const) {
        for (const w of read.warnings) notes.push(`${side}: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message} [${w.rule}]`);
        if (read.withoutAnn.length > 0) {
          notes.push(`${side}: ${read.withoutAnn.length} .txt file(s) without .ann left out: ${read.withoutAnn.join(', ')}`);
        }
      }
      notes.push(...report.notices);
      for (const note of notes) process.stderr.write(`medrex: notice: ${note}\n`);
      if (report.documents.paired === 0) {
        throw new MedrexError(`no file name in ${predDir} matches one in ${goldDir}: nothing to score`, {
          file: predDir,
          rule: 'no-common-documents',
        });
      }

      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatScoreTable(report));
    });
}
