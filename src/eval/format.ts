/**
 * Text rendering of a ScoreReport: first the official script's TRACK 2 table, character for character, then a
 * separate, clearly titled section with medrex's additions.
 */
import type { Prf } from './measures.js';
import { center, formatFixed } from './pyformat.js';
import type { AdditionRow, ByMode, KindAdditions, OfficialKindScore, Score, ScoreReport } from './score.js';

const LABEL_WIDTH = 20;

/** A score as the script prints it: `{:<5.4f}`. */
function num(x: number): string {
  return formatFixed(x, 4).padEnd(5);
}

function prfCells(s: Prf): string {
  return `${num(s.precision)}  ${num(s.recall)}  ${num(s.f1)}`;
}

/** `'{:>20}  P  R  F    P  R  F'` — one row of the official table. */
function officialRow(label: string, strict: Prf, lenient: Prf): string {
  return `${label.padStart(LABEL_WIDTH)}  ${prfCells(strict)}    ${prfCells(lenient)}`;
}

function officialBlock(kind: OfficialKindScore): string[] {
  return [
    ...kind.rows.map((r) => officialRow(r.label, r.strict, r.lenient)),
    `${''.padStart(LABEL_WIDTH)}  ${center('', 48, '-')}`,
    officialRow('Overall (micro)', kind.micro.strict, kind.micro.lenient),
    officialRow('Overall (macro)', kind.macro.strict, kind.macro.lenient),
    '',
  ];
}

/** The official script's output for these scores (without its "files skipped" lines, which are report.notices). */
export function formatOfficialTable(report: ScoreReport): string {
  const blank = ''.padEnd(LABEL_WIDTH);
  const lines = [
    center(' TRACK 2 ', 70, '*'),
    `${blank}  ${center(' strict ', 22, '-')}    ${center(' lenient ', 22, '-')}`,
    `${blank}  ${['Prec.', 'Rec.', 'F(b=1)'].map((h) => h.padEnd(6)).join('  ')}    ` +
      ['Prec.', 'Rec.', 'F(b=1)'].map((h) => h.padEnd(6)).join('  '),
    ...officialBlock(report.entities),
    center(' RELATIONS ', 70, '*'),
    ...officialBlock(report.relations),
    `${blank}${center(`  ${report.documents.paired} files found  `, 48)}`,
  ];
  return `${lines.join('\n')}\n`;
}

const COUNT_WIDTH = 7;

function countCells(s: Score): string {
  return [s.tp, s.fp, s.fn].map((n) => String(n).padStart(COUNT_WIDTH)).join('');
}

function countsBlock(title: string, kind: KindAdditions): string[] {
  const blank = ''.padEnd(LABEL_WIDTH);
  const group = (name: string) => center(` ${name} `, COUNT_WIDTH * 3, '-');
  const heads = ['TP', 'FP', 'FN'].map((h) => h.padStart(COUNT_WIDTH)).join('');
  const row = (label: string, s: ByMode<Score>) =>
    `${label.padStart(LABEL_WIDTH)}  ${countCells(s.strict)}  ${countCells(s.lenient)}  ${countCells(s.exact)}`;
  return [
    `${title}: counts`,
    `${blank}  ${group('strict')}  ${group('lenient')}  ${group('exact fragments')}`,
    `${blank}  ${heads}  ${heads}  ${heads}`,
    ...kind.perType.map((r: AdditionRow) => row(r.label, r)),
    `${blank}  ${center('', COUNT_WIDTH * 9 + 4, '-')}`,
    row('Overall (micro)', kind.micro),
    row('Incl. unpaired', kind.withUnpaired.micro),
  ];
}

function scoresBlock(title: string, kind: KindAdditions): string[] {
  const blank = ''.padEnd(LABEL_WIDTH);
  const heads = ['Prec.', 'Rec.', 'F(b=1)'].map((h) => h.padEnd(6)).join('  ');
  const row = (label: string, s: ByMode<Prf>) =>
    `${label.padStart(LABEL_WIDTH)}  ${prfCells(s.strict)}    ${prfCells(s.lenient)}    ${prfCells(s.exact)}`;
  return [
    `${title}: scores`,
    `${blank}  ${center(' strict ', 22, '-')}    ${center(' lenient ', 22, '-')}    ${center(' exact fragments ', 22, '-')}`,
    `${blank}  ${heads}    ${heads}    ${heads}`,
    ...kind.perType.map((r) => row(r.label, r)),
    `${blank}  ${center('', 74, '-')}`,
    row('Overall (micro)', kind.micro),
    row('Overall (macro)', kind.macroOverDocuments),
    row('Macro over types', kind.macroOverTypes),
    row('Micro incl. unpaired', kind.withUnpaired.micro),
    row('Macro incl. unpaired', kind.withUnpaired.macroOverDocuments),
  ];
}

/** medrex's additions: per-type counts, exact-fragment matching, macro over types, unpaired documents as misses. */
export function formatAdditions(report: ScoreReport): string {
  const { documents, additions } = report;
  const lines = [
    center(' MEDREX ADDITIONS (not in the official script) ', 100, '*'),
    `Documents: ${documents.paired} paired, ${documents.goldOnly.length} only in gold, ` +
      `${documents.systemOnly.length} only in system ("incl. unpaired" rows count them as misses).`,
    'Exact fragments: entities match only if their sorted fragment lists are identical.',
    'Macro over types: mean of the per-type scores over the types that occur.',
    '',
    ...countsBlock('ENTITIES', additions.entities),
    '',
    ...scoresBlock('ENTITIES', additions.entities),
    '',
    ...countsBlock('RELATIONS', additions.relations),
    '',
    ...scoresBlock('RELATIONS', additions.relations),
  ];
  return `${lines.join('\n')}\n`;
}

/** The official table followed by the additions section. */
export function formatScoreTable(report: ScoreReport): string {
  return `${formatOfficialTable(report)}\n${formatAdditions(report)}`;
}
