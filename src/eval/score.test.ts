import { describe, expect, it } from 'vitest';
import { MedrexError } from '../errors.js';
import { scoreCorpora, type ScoreReport } from './score.js';
import { doc } from './test-helpers/docs.js';

const prf = (precision: number, recall: number, f1: number) => ({ precision, recall, f1 });
const zeros = prf(0, 0, 0);

function entityRow(report: ScoreReport, type: string) {
  const row = report.entities.rows.find((r) => r.type === type);
  if (!row) throw new Error(`no row ${type}`);
  return row;
}

describe('scoreCorpora: entities', () => {
  it('reduces a discontinuous entity to (first start, last end); exact-fragment matching is stricter', () => {
    // Gold Drug 10-15;20-25 becomes span (10, 25): a continuous prediction 10-25 is a strict match.
    const gold = [doc('a', [['T1', 'Drug', '10 15;20 25']])];
    const system = [doc('a', [['T1', 'Drug', '10 25']])];
    const report = scoreCorpora(gold, system);
    expect(report.entities.micro.strict).toEqual(prf(1, 1, 1));
    expect(report.additions.entities.micro.exact).toMatchObject({ tp: 0, fp: 1, fn: 1, ...zeros });

    // The same discontinuous entity predicted fragment for fragment matches in the exact mode too.
    const same = scoreCorpora(gold, [doc('a', [['T9', 'Drug', '10 15;20 25']])]);
    expect(same.additions.entities.micro.exact).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
  });

  it('strict needs equal boundaries, lenient an overlap of at least one character, both equal types', () => {
    // Gold Drug [0,10) and Strength [30,40).
    // System: Drug [5,15) overlaps -> lenient TP, strict FP + FN. Strength [40,50) only touches -> FP + FN in both.
    // Route [0,10) has the wrong type -> FP in both.
    const gold = [
      doc('a', [
        ['T1', 'Drug', '0 10'],
        ['T2', 'Strength', '30 40'],
      ]),
    ];
    const system = [
      doc('a', [
        ['T1', 'Drug', '5 15'],
        ['T2', 'Strength', '40 50'],
        ['T3', 'Route', '0 10'],
      ]),
    ];
    const report = scoreCorpora(gold, system);
    const counts = report.additions.entities.micro;
    expect(counts.strict).toMatchObject({ tp: 0, fp: 3, fn: 2 });
    expect(counts.lenient).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    // Lenient: P = 1/3, R = 1/2, F = 2 * (1/6) / (5/6) = 0.4.
    expect(report.entities.micro.lenient.precision).toBeCloseTo(1 / 3, 12);
    expect(report.entities.micro.lenient.recall).toBe(0.5);
    expect(report.entities.micro.lenient.f1).toBeCloseTo(0.4, 12);
    expect(entityRow(report, 'Drug').lenient).toEqual(prf(1, 1, 1));
    expect(entityRow(report, 'Drug').strict).toEqual(zeros);
    expect(entityRow(report, 'Route').lenient).toEqual(zeros); // P = 0/1, R = 0/0
  });

  it('pares down duplicates per document, and macro-averages documents (an empty one adds zeros)', () => {
    // a: gold one Drug; system predicts it twice -> the second is dropped: TP 1, FP 0, FN 0 (P = R = F = 1).
    // b: gold two Drugs; system finds one -> TP 1, FP 0, FN 1 (P 1, R 1/2, F 2/3).
    // c: nothing on either side -> P = R = F = 0.
    const gold = [
      doc('a', [['T1', 'Drug', '0 5']]),
      doc('b', [
        ['T1', 'Drug', '0 5'],
        ['T2', 'Drug', '10 15'],
      ]),
      doc('c'),
    ];
    const system = [
      doc('a', [
        ['T1', 'Drug', '0 5'],
        ['T2', 'Drug', '0 5'],
      ]),
      doc('b', [['T1', 'Drug', '0 5']]),
      doc('c'),
    ];
    const report = scoreCorpora(gold, system);
    // Micro: TP 2, FP 0, FN 1 -> P 1, R 2/3, F 2 * (2/3) / (5/3) = 0.8.
    expect(report.additions.entities.micro.strict).toMatchObject({ tp: 2, fp: 0, fn: 1 });
    expect(report.entities.micro.strict.precision).toBe(1);
    expect(report.entities.micro.strict.recall).toBeCloseTo(2 / 3, 12);
    expect(report.entities.micro.strict.f1).toBeCloseTo(0.8, 12);
    // Macro over 3 documents: P (1 + 1 + 0)/3, R (1 + 0.5 + 0)/3, F (1 + 2/3 + 0)/3 = 5/9.
    expect(report.entities.macro.strict.precision).toBeCloseTo(2 / 3, 12);
    expect(report.entities.macro.strict.recall).toBeCloseTo(0.5, 12);
    expect(report.entities.macro.strict.f1).toBeCloseTo(5 / 9, 12);
    expect(report.documents.paired).toBe(3);
  });

  it('reports zero, never NaN, when a denominator is 0', () => {
    // The system predicts nothing: P = 0/0 -> 0, R = 0/1 = 0, F = 0/0 -> 0.
    const report = scoreCorpora([doc('a', [['T1', 'Drug', '0 5']])], [doc('a')]);
    expect(report.entities.micro.strict).toEqual(zeros);
    expect(report.entities.macro.lenient).toEqual(zeros);
    // Nothing anywhere.
    const empty = scoreCorpora([doc('a')], [doc('a')]);
    expect(JSON.stringify(empty)).not.toMatch(/NaN|null/);
    expect(empty.relations.micro.strict).toEqual(zeros);
    expect(empty.additions.entities.macroOverTypes.strict).toEqual(zeros);
  });
});

describe('scoreCorpora: relations', () => {
  // Gold: Strength [0,5) -> Drug [10,20).
  const gold = [
    doc(
      'a',
      [
        ['T1', 'Strength', '0 5'],
        ['T2', 'Drug', '10 20'],
      ],
      [['R1', 'Strength-Drug', 'T1', 'T2']],
    ),
  ];

  it('matches arguments under the same mode, and Arg1 to Arg1', () => {
    // System arguments are shifted (Strength [0,4), Drug [12,20)): equal only leniently.
    // R2 has the arguments swapped, so Arg1 is a Drug and never equals the gold Strength: FP in both modes.
    const system = [
      doc(
        'a',
        [
          ['T1', 'Strength', '0 4'],
          ['T2', 'Drug', '12 20'],
        ],
        [
          ['R1', 'Strength-Drug', 'T1', 'T2'],
          ['R2', 'Strength-Drug', 'T2', 'T1'],
        ],
      ),
    ];
    const report = scoreCorpora(gold, system);
    expect(report.additions.relations.micro.strict).toMatchObject({ tp: 0, fp: 2, fn: 1 });
    expect(report.additions.relations.micro.lenient).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    // Lenient: P 1/2, R 1, F 2 * (1/2) / (3/2) = 2/3.
    expect(report.relations.micro.lenient.precision).toBe(0.5);
    expect(report.relations.micro.lenient.recall).toBe(1);
    expect(report.relations.micro.lenient.f1).toBeCloseTo(2 / 3, 12);
    const row = report.relations.rows.find((r) => r.type === 'Strength-Drug');
    expect(row?.label).toBe('Strength -> Drug');
    expect(row?.lenient.f1).toBeCloseTo(2 / 3, 12);
  });

  it('needs the relation types to be equal (the type as written)', () => {
    const system = [
      doc(
        'a',
        [
          ['T1', 'Strength', '0 5'],
          ['T2', 'Drug', '10 20'],
        ],
        [['R1', 'Dosage-Drug', 'T1', 'T2']],
      ),
    ];
    expect(scoreCorpora(gold, system).additions.relations.micro.strict).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });

  it('pares down duplicate relations like entities', () => {
    // Two system relations between the same (equal) arguments: the second is dropped.
    const system = [
      doc(
        'a',
        [
          ['T1', 'Strength', '0 5'],
          ['T2', 'Drug', '10 20'],
          ['T3', 'Drug', '10 20'],
        ],
        [
          ['R1', 'Strength-Drug', 'T1', 'T2'],
          ['R2', 'Strength-Drug', 'T1', 'T3'],
        ],
      ),
    ];
    const report = scoreCorpora(gold, system);
    expect(report.additions.relations.micro.strict).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    // The duplicated Drug entity is pared down too: entities TP 2, FP 0.
    expect(report.additions.entities.micro.strict).toMatchObject({ tp: 2, fp: 0, fn: 0 });
  });

  it('rejects a relation whose argument does not exist', () => {
    const broken = [doc('a', [['T1', 'Drug', '0 5']], [['R1', 'Strength-Drug', 'T7', 'T1']])];
    expect(() => scoreCorpora(gold, broken)).toThrow(MedrexError);
    expect(() => scoreCorpora(gold, broken)).toThrow(/relation R1 names entity T7/);
  });
});

describe('scoreCorpora: documents and rows', () => {
  it('skips documents found on one side with a notice, and counts them as misses only in the additions', () => {
    // a is paired and perfect. b is gold only (2 Drugs), c is system only (1 Drug).
    const gold = [
      doc('a', [['T1', 'Drug', '0 5']]),
      doc('b', [
        ['T1', 'Drug', '0 5'],
        ['T2', 'Drug', '10 15'],
      ]),
    ];
    const system = [doc('a', [['T1', 'Drug', '0 5']]), doc('c', [['T1', 'Drug', '0 5']])];
    const report = scoreCorpora(gold, system);
    expect(report.documents).toEqual({ paired: 1, goldOnly: ['b'], systemOnly: ['c'] });
    expect(report.notices).toEqual([
      'skipped 1 document found only in gold: b',
      'skipped 1 document found only in system: c',
    ]);
    expect(report.entities.micro.strict).toEqual(prf(1, 1, 1));
    expect(report.entities.macro.strict).toEqual(prf(1, 1, 1));
    // With unpaired documents: TP 1, FP 1 (c), FN 2 (b) -> P 1/2, R 1/3, F 2 * (1/6) / (5/6) = 0.4.
    const withUnpaired = report.additions.entities.withUnpaired;
    expect(withUnpaired.micro.strict).toMatchObject({ tp: 1, fp: 1, fn: 2, precision: 0.5 });
    expect(withUnpaired.micro.strict.f1).toBeCloseTo(0.4, 12);
    // Macro over 3 documents: a scores 1, b and c score 0.
    expect(withUnpaired.macroOverDocuments.strict.f1).toBeCloseTo(1 / 3, 12);
    expect(report.additions.documentsWithUnpaired).toBe(3);
  });

  it('says so when no document pairs up', () => {
    const report = scoreCorpora([doc('a')], [doc('b')]);
    expect(report.documents.paired).toBe(0);
    expect(report.notices).toContain('none of the documents match: nothing was scored');
    expect(report.entities.macro.strict).toEqual(zeros);
  });

  it('rejects two documents with the same id on one side', () => {
    expect(() => scoreCorpora([doc('a'), doc('a')], [doc('a')])).toThrow(/gold has two documents with id a/);
  });

  it('prints every n2c2 type in the script order for n2c2 data, and stray system types only in the additions', () => {
    const gold = [doc('a', [['T1', 'ADE', '0 5']])];
    const system = [
      doc('a', [
        ['T1', 'ADE', '0 5'],
        ['T2', 'Foo', '10 15'],
      ]),
    ];
    const report = scoreCorpora(gold, system);
    expect(report.entities.rows.map((r) => r.label)).toEqual([
      'Drug',
      'Strength',
      'Duration',
      'Route',
      'Form',
      'Ade',
      'Dosage',
      'Reason',
      'Frequency',
    ]);
    expect(report.relations.rows.map((r) => r.label)).toEqual([
      'Strength -> Drug',
      'Dosage -> Drug',
      'Duration -> Drug',
      'Frequency -> Drug',
      'Form -> Drug',
      'Route -> Drug',
      'Reason -> Drug',
      'ADE -> Drug',
    ]);
    // Foo has no official row but counts in the overall figures (TP 1, FP 1 -> P 1/2), as in the script.
    expect(report.entities.micro.strict.precision).toBe(0.5);
    const extra = report.additions.entities.perType.at(-1);
    expect(extra).toMatchObject({ type: 'Foo', strict: { tp: 0, fp: 1, fn: 0 } });
    // Macro over the types that occur (ADE: F 1, Foo: F 0) = 0.5; the seven absent types do not count.
    expect(report.additions.entities.macroOverTypes.strict.f1).toBe(0.5);
  });

  it('uses the types present for another corpus, n2c2 types first', () => {
    const gold = [
      doc(
        'a',
        [
          ['T1', 'Drug', '0 5'],
          ['T2', 'Adverse-Effect', '10 15'],
        ],
        [['R1', 'Adverse-Effect-Drug', 'T2', 'T1']],
      ),
    ];
    const system = [doc('a', [['T1', 'Drug', '0 5']])];
    const report = scoreCorpora(gold, system);
    expect(report.entities.rows.map((r) => [r.type, r.label])).toEqual([
      ['Drug', 'Drug'],
      ['Adverse-Effect', 'Adverse-effect'],
    ]);
    expect(report.relations.rows.map((r) => r.type)).toEqual(['Adverse-Effect-Drug']);
    expect(entityRow(report, 'Drug').strict).toEqual(prf(1, 1, 1));
    expect(entityRow(report, 'Adverse-Effect').strict).toEqual(zeros);
  });

  it('per-type counts add up to the overall counts', () => {
    const gold = [
      doc('a', [
        ['T1', 'Drug', '0 5'],
        ['T2', 'Strength', '6 9'],
        ['T3', 'Route', '20 25'],
      ]),
    ];
    const system = [
      doc('a', [
        ['T1', 'Drug', '0 4'],
        ['T2', 'Strength', '6 9'],
        ['T3', 'Form', '20 25'],
      ]),
    ];
    const add = scoreCorpora(gold, system).additions.entities;
    for (const mode of ['strict', 'lenient', 'exact'] as const) {
      const summed = add.perType.reduce(
        (acc, row) => ({ tp: acc.tp + row[mode].tp, fp: acc.fp + row[mode].fp, fn: acc.fn + row[mode].fn }),
        { tp: 0, fp: 0, fn: 0 },
      );
      expect(summed).toEqual({ tp: add.micro[mode].tp, fp: add.micro[mode].fp, fn: add.micro[mode].fn });
    }
    // Strict: Strength TP; Drug, Route missed; Drug, Form spurious.
    expect(add.micro.strict).toMatchObject({ tp: 1, fp: 2, fn: 2 });
  });
});
