import { describe, expect, it } from 'vitest';
import type { Document } from '../types.js';
import { cleanCorpus } from './clean.js';
import { trimFragment } from './spans.js';

/** Trims the whole of `s` and returns what is left. */
function trimmed(s: string): string {
  const f = trimFragment(s, { start: 0, end: s.length });
  return s.slice(f.start, f.end);
}

describe('trimFragment', () => {
  it('removes whitespace and stray punctuation at both ends', () => {
    expect(trimmed('  aspirin, ')).toBe('aspirin');
    expect(trimmed('Lasix;')).toBe('Lasix');
    expect(trimmed('tablets.')).toBe('tablets');
    expect(trimmed('(PRN')).toBe('PRN');
    expect(trimmed('pain)')).toBe('pain');
    expect(trimmed('"Coumadin')).toBe('Coumadin');
    expect(trimmed(', ;')).toBe('');
  });

  it('keeps punctuation that belongs to the mention', () => {
    expect(trimmed('b.i.d.')).toBe('b.i.d.');
    expect(trimmed('p.o.')).toBe('p.o.');
    expect(trimmed('C.')).toBe('C.');
    expect(trimmed('vitamin D.')).toBe('vitamin D.');
    expect(trimmed('Vitamin.')).toBe('Vitamin');
    expect(trimmed('.5 mg')).toBe('.5 mg');
    expect(trimmed('(PRN)')).toBe('(PRN)');
    expect(trimmed('5%')).toBe('5%');
    expect(trimmed('"Coumadin"')).toBe('"Coumadin"');
  });

  it('trims inside a longer text by offsets', () => {
    //            0123456789012345678
    const text = 'Take aspirin, daily';
    expect(trimFragment(text, { start: 4, end: 13 })).toEqual({ start: 5, end: 12 });
  });
});

function corpus(): Document[] {
  //      0         1         2         3
  //      0123456789012345678901234567890123
  const text = 'Give aspirin, 81 mg , then stop.';
  return [
    {
      id: 'a',
      text,
      entities: [
        { id: 'T1', type: 'Drug', fragments: [{ start: 4, end: 13 }], text: ' aspirin,' },
        { id: 'T2', type: 'Strength', fragments: [{ start: 14, end: 19 }], text: '81 mg' },
        // Only a comma: trimmed to nothing, so dropped with the relation that uses it.
        { id: 'T3', type: 'Reason', fragments: [{ start: 20, end: 21 }], text: ',' },
        // Discontinuous, second fragment is only a space: that fragment goes, the entity stays.
        {
          id: 'T4',
          type: 'Drug',
          fragments: [
            { start: 5, end: 12 },
            { start: 19, end: 20 },
          ],
          text: 'aspirin  ',
        },
      ],
      relations: [
        { id: 'R1', type: 'Strength-Drug', arg1: 'T2', arg2: 'T1' },
        { id: 'R2', type: 'Reason-Drug', arg1: 'T3', arg2: 'T1' },
      ],
      attributes: [{ id: 'A1', type: 'Negated', target: 'T3' }],
    },
  ];
}

describe('rule trim-spans', () => {
  it('trims fragments, re-reads the text, and drops entities trimmed to nothing with what refers to them', () => {
    const { documents, report } = cleanCorpus(corpus(), { disabled: ['duplicate-entities'] });
    const [doc] = documents;
    expect(doc.entities.map((e) => [e.id, e.fragments, e.text])).toEqual([
      ['T1', [{ start: 5, end: 12 }], 'aspirin'],
      ['T2', [{ start: 14, end: 19 }], '81 mg'],
      ['T4', [{ start: 5, end: 12 }], 'aspirin'],
    ]);
    expect(doc.relations.map((r) => r.id)).toEqual(['R1']);
    expect(doc.attributes).toEqual([]);
    // T1 changed, T3 dropped, R2 and A1 dropped with it, T4 changed.
    expect(report.totals['trim-spans']).toBe(5);
    const t3 = report.changes.find((c) => c.annotation === 'T3');
    expect(t3).toMatchObject({ rule: 'trim-spans', action: 'dropped', document: 'a', before: 'T3 Reason 20 21 ","' });
    const t1 = report.changes.find((c) => c.annotation === 'T1');
    expect(t1?.after).toBe('T1 Drug 5 12 "aspirin"');
  });

  it('changes nothing when switched off', () => {
    const input = corpus();
    const { documents, report } = cleanCorpus(input, { disabled: ['trim-spans'] });
    expect(documents[0].entities).toEqual(input[0].entities);
    expect(report.totals['trim-spans']).toBe(0);
  });
});

describe('rule zero-length-entities', () => {
  const doc = (): Document[] => [
    {
      id: 'z',
      text: 'Take aspirin now',
      entities: [
        { id: 'T1', type: 'Drug', fragments: [{ start: 5, end: 5 }], text: '' },
        {
          id: 'T2',
          type: 'Drug',
          fragments: [
            { start: 5, end: 12 },
            { start: 13, end: 13 },
          ],
          text: 'aspirin ',
        },
      ],
      relations: [],
    },
  ];

  it('drops empty fragments and entities left with none', () => {
    const { documents, report } = cleanCorpus(doc());
    expect(documents[0].entities).toEqual([
      { id: 'T2', type: 'Drug', fragments: [{ start: 5, end: 12 }], text: 'aspirin' },
    ]);
    expect(report.totals['zero-length-entities']).toBe(2);
    expect(report.totals['trim-spans']).toBe(0);
  });

  it('leaves them when switched off (trim-spans does not take over)', () => {
    const { documents, report } = cleanCorpus(doc(), { disabled: ['zero-length-entities'] });
    expect(documents[0].entities).toEqual(doc()[0].entities);
    expect(report.changes).toEqual([]);
  });
});
