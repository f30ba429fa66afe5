import { describe, expect, it } from 'vitest';
import { parseAnn } from './parse.js';
import { errorOf } from '../../test-helpers/errors.js';

const TEXT = 'Take aspirin 81 mg\ndaily.'; // aspirin 5-12, 81 mg 13-18, \n at 18, daily 19-24

describe('parseAnn', () => {
  it('reads entities, relations, attributes, equivalences and notes', () => {
    const ann = [
      'T1\tDrug 5 12\taspirin',
      'T2\tStrength 13 18\t81 mg',
      'R1\tStrength-Drug Arg1:T2 Arg2:T1',
      'A1\tNegated T1',
      'A2\tSeverity T1 High',
      '*\tEquiv T1 T2',
      '#1\tAnnotatorNotes T1\tchecked\twith a tab',
      '',
    ].join('\n');
    const p = parseAnn(ann, TEXT, { file: 'x.ann' });
    expect(p.entities).toEqual([
      { id: 'T1', type: 'Drug', fragments: [{ start: 5, end: 12 }], text: 'aspirin' },
      { id: 'T2', type: 'Strength', fragments: [{ start: 13, end: 18 }], text: '81 mg' },
    ]);
    expect(p.relations).toEqual([
      { id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' },
    ]);
    expect(p.attributes).toEqual([
      { id: 'A1', type: 'Negated', target: 'T1' },
      { id: 'A2', type: 'Severity', target: 'T1', value: 'High' },
    ]);
    expect(p.equivalences).toEqual([{ type: 'Equiv', members: ['T1', 'T2'] }]);
    expect(p.notes).toEqual([{ id: '#1', type: 'AnnotatorNotes', target: 'T1', text: 'checked\twith a tab' }]);
    expect(p.report.warnings).toEqual([]);
  });

  it('keeps discontinuous fragments in the order written and accepts a line break written as a space', () => {
    // "mg\ndaily" crosses the line break: brat writes the text field with a space.
    const p = parseAnn('T1\tFrequency 19 24;16 18\tdaily mg\nT2\tX 16 24\tmg daily\n', TEXT);
    expect(p.entities[0].fragments).toEqual([
      { start: 19, end: 24 },
      { start: 16, end: 18 },
    ]);
    expect(p.entities[1].text).toBe('mg daily');
  });

  it('lets a relation name an entity defined further down, and keeps roles other than Arg1/Arg2', () => {
    const p = parseAnn('R1\tIn Whole:T2 Part:T1\nT1\tDrug 5 12\taspirin\nT2\tStrength 13 18\t81 mg\n', TEXT);
    expect(p.relations).toEqual([{ id: 'R1', type: 'In', arg1: 'T2', arg2: 'T1', arg1Role: 'Whole', arg2Role: 'Part' }]);
  });

  it.each([
    ['T1 Drug 5 12 aspirin', 'malformed-line', 1],
    ['T1\tDrug 5 12', 'malformed-line', 1],
    ['X1\tDrug 5 12\taspirin', 'unknown-id-prefix', 1],
    ['T1\tDrug 5 x\taspirin', 'bad-offsets', 1],
    ['T1\tDrug 5.5 12\taspirin', 'bad-offsets', 1],
    ['T1\tDrug -1 12\taspirin', 'bad-offsets', 1],
    ['T1\tDrug 12 5\taspirin', 'offsets-reversed', 1],
    ['T1\tDrug 20 99\tdaily', 'offsets-past-end', 1],
    ['T1\tDrug 5 12\taspirim', 'text-mismatch', 1],
    ['T1\tDrug 5 12\taspirin\nR1\tStrength-Drug Arg1:T9 Arg2:T1', 'missing-entity', 2],
    ['T1\tDrug 5 12\taspirin\nR1\tStrength-Drug Arg1:T1', 'malformed-line', 2],
    ['T1\tDrug 5 12\taspirin\nT1\tDrug 13 18\t81 mg', 'duplicate-id', 2],
    ['A1\tNegated T4', 'missing-target', 1],
    ['T1\tDrug 5 12\taspirin\n*\tEquiv T1 T5', 'missing-target', 2],
    ['#1\tAnnotatorNotes T3\tnote', 'missing-target', 1],
  ])('rejects %j with rule %s on line %i', (ann, rule, line) => {
    const err = errorOf(() => parseAnn(ann, TEXT, { file: 'doc.ann' }));
    expect(err.rule).toBe(rule);
    expect(err.file).toBe('doc.ann');
    expect(err.line).toBe(line);
  });

  it('in lenient mode keeps a mismatched entity with the source text and records both texts', () => {
    const p = parseAnn('T1\tDrug 5 12\tAspirin tab\n', TEXT, { file: 'd.ann', lenient: true });
    expect(p.entities[0].text).toBe('aspirin');
    expect(p.report.warnings).toEqual([
      expect.objectContaining({
        rule: 'text-mismatch',
        file: 'd.ann',
        line: 1,
        entityId: 'T1',
        written: 'Aspirin tab',
        source: 'aspirin',
      }),
    ]);
  });

  it('in lenient mode drops bad lines, and the lines that refer to them, with counts', () => {
    const ann = [
      'T1\tDrug 5 12\taspirin',
      'T2\tStrength 13 99\t81 mg', // past the end: dropped
      'R1\tStrength-Drug Arg1:T2 Arg2:T1', // names the dropped T2: dropped
      'A1\tNegated R1', // names the dropped R1: dropped
      'nonsense',
    ].join('\n');
    const p = parseAnn(ann, TEXT, { lenient: true, file: 'd.ann' });
    expect(p.entities.map((e) => e.id)).toEqual(['T1']);
    expect(p.relations).toEqual([]);
    expect(p.attributes).toEqual([]);
    expect(p.report.countsByRule).toEqual({
      'offsets-past-end': 1,
      'missing-entity': 1,
      'missing-target': 1,
      'malformed-line': 1,
    });
    expect(p.report.warnings.find((w) => w.rule === 'malformed-line')).toMatchObject({ line: 5, raw: 'nonsense' });
  });

  it('counts blank lines, events and normalizations without failing, even in strict mode', () => {
    const ann =
      'T1\tDrug 5 12\taspirin\n\nE1\tTreat:T1\nN1\tReference T1 RxNorm:1191\taspirin\nA1\tConfidence E1 Low\n';
    const p = parseAnn(ann, TEXT);
    expect(p.entities).toHaveLength(1);
    expect(p.attributes).toEqual([]);
    expect(p.report.countsByRule).toEqual({
      'blank-line': 1,
      'skipped-event': 1,
      'skipped-normalization': 1,
      'skipped-reference': 1,
    });
  });

  it('counts brat offsets in code points, so characters outside the BMP shift JavaScript indices', () => {
    const text = '😀 aspirin'; // the emoji is 1 code point, 2 UTF-16 units
    const p = parseAnn('T1\tDrug 2 9\taspirin\n', text);
    expect(p.entities[0].fragments).toEqual([{ start: 3, end: 10 }]);
  });
});
