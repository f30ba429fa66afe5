import { describe, expect, it } from 'vitest';
import { formatAdditions, formatOfficialTable, formatScoreTable } from './format.js';
import { scoreCorpora } from './score.js';
import { doc } from './test-helpers/docs.js';

// Gold Drugs [0,5) and [10,15); the system finds [0,5) and [11,15).
// Strict: TP 1, FP 1, FN 1 -> 0.5 / 0.5 / 0.5. Lenient: TP 2 -> 1 / 1 / 1. One document, so macro = micro.
const report = scoreCorpora(
  [
    doc('a', [
      ['T1', 'Drug', '0 5'],
      ['T2', 'Drug', '10 15'],
    ]),
  ],
  [
    doc('a', [
      ['T1', 'Drug', '0 5'],
      ['T2', 'Drug', '11 15'],
    ]),
  ],
);

const zeroRow = (label: string) => `${label.padStart(20)}  0.0000  0.0000  0.0000    0.0000  0.0000  0.0000`;

describe('formatOfficialTable', () => {
  it('reproduces the layout of the official script character for character', () => {
    const expected = [
      '****************************** TRACK 2 *******************************',
      '                      ------- strict -------    ------ lenient -------',
      '                      Prec.   Rec.    F(b=1)    Prec.   Rec.    F(b=1)',
      '                Drug  0.5000  0.5000  0.5000    1.0000  1.0000  1.0000',
      zeroRow('Strength'),
      zeroRow('Duration'),
      zeroRow('Route'),
      zeroRow('Form'),
      zeroRow('Ade'),
      zeroRow('Dosage'),
      zeroRow('Reason'),
      zeroRow('Frequency'),
      '                      ------------------------------------------------',
      '     Overall (micro)  0.5000  0.5000  0.5000    1.0000  1.0000  1.0000',
      '     Overall (macro)  0.5000  0.5000  0.5000    1.0000  1.0000  1.0000',
      '',
      '***************************** RELATIONS ******************************',
      zeroRow('Strength -> Drug'),
      zeroRow('Dosage -> Drug'),
      zeroRow('Duration -> Drug'),
      zeroRow('Frequency -> Drug'),
      zeroRow('Form -> Drug'),
      zeroRow('Route -> Drug'),
      zeroRow('Reason -> Drug'),
      zeroRow('ADE -> Drug'),
      '                      ------------------------------------------------',
      zeroRow('Overall (micro)'),
      zeroRow('Overall (macro)'),
      '',
      // 20 spaces, then "  1 files found  " (17 characters) centred in 48: 15 spaces left, 16 right.
      `${' '.repeat(20)}${' '.repeat(15)}  1 files found  ${' '.repeat(16)}`,
      '',
    ].join('\n');
    expect(formatOfficialTable(report)).toBe(expected);
  });
});

describe('formatAdditions', () => {
  it('is a separate, titled section with counts and the exact-fragment scores', () => {
    const text = formatAdditions(report);
    expect(text.split('\n')[0]).toContain(' MEDREX ADDITIONS (not in the official script) ');
    // Drug counts: strict 1/1/1, lenient 2/0/0, exact 1/1/1.
    expect(text).toContain(`${'Drug'.padStart(20)}        1      1      1        2      0      0        1      1      1`);
    expect(text).toContain(
      `${'Drug'.padStart(20)}  0.5000  0.5000  0.5000    1.0000  1.0000  1.0000    0.5000  0.5000  0.5000`,
    );
    expect(text).toContain('Macro over types');
    expect(formatScoreTable(report)).toBe(`${formatOfficialTable(report)}\n${text}`);
  });
});
