import { describe, expect, it } from 'vitest';
import type { Document, Entity } from '../types.js';
import { hardWrap, numberInReadingOrder, splitFragmentsAtLineBreaks, toCrlf } from './layout.js';

describe('hardWrap', () => {
  it('breaks at the last space before the width, only inside the given ranges, keeping the length', () => {
    const text = 'HEAD one two three four five six\nrest of it stays as is';
    // Range covers "one two three four five six" (5..32); width 10.
    const wrapped = hardWrap(text, [{ start: 5, end: 32 }], 10);
    expect(wrapped).toHaveLength(text.length);
    // Column counts from the start of the line ("HEAD " is 5 columns already).
    expect(wrapped).toBe('HEAD one\ntwo three\nfour five\nsix\nrest of it stays as is');
  });

  it('leaves a word longer than the width on its own line rather than splitting it', () => {
    expect(hardWrap('a supercalifragilistic b', [{ start: 0, end: 24 }], 5)).toBe('a\nsupercalifragilistic\nb');
  });
});

describe('splitFragmentsAtLineBreaks', () => {
  it('splits a mention that a wrap broke into one fragment per line, text joined by one space', () => {
    const text = 'on insulin\nglargine 10\r\n units';
    const e: Entity = { id: 'T1', type: 'Drug', fragments: [{ start: 3, end: 19 }], text: 'insulin\nglargine' };
    expect(splitFragmentsAtLineBreaks(text, e)).toEqual({
      id: 'T1',
      type: 'Drug',
      fragments: [
        { start: 3, end: 10 },
        { start: 11, end: 19 },
      ],
      text: 'insulin glargine',
    });
    // CRLF plus a leading space on the next line: both stripped from the fragments.
    const dose: Entity = { id: 'T2', type: 'Dosage', fragments: [{ start: 20, end: 30 }], text: '' };
    expect(splitFragmentsAtLineBreaks(text, dose).fragments).toEqual([
      { start: 20, end: 22 }, // "10"
      { start: 25, end: 30 }, // "units" (22 and 23 are CR LF, 24 the space)
    ]);
  });

  it('leaves single-line mentions alone', () => {
    const e: Entity = { id: 'T1', type: 'Drug', fragments: [{ start: 0, end: 3 }], text: 'ASA' };
    expect(splitFragmentsAtLineBreaks('ASA 81', e)).toEqual(e);
  });
});

describe('toCrlf', () => {
  it('moves every offset right by the number of newlines before it', () => {
    const doc: Document = {
      id: 'd',
      text: 'a\nASA\n\nPO',
      entities: [
        { id: 'T1', type: 'Drug', fragments: [{ start: 2, end: 5 }], text: 'ASA' },
        { id: 'T2', type: 'Route', fragments: [{ start: 7, end: 9 }], text: 'PO' },
      ],
      relations: [],
    };
    const crlf = toCrlf(doc);
    expect(crlf.text).toBe('a\r\nASA\r\n\r\nPO');
    expect(crlf.entities.map((e) => e.fragments)).toEqual([[{ start: 3, end: 6 }], [{ start: 10, end: 12 }]]);
    expect(crlf.entities.map((e) => crlf.text.slice(e.fragments[0].start, e.fragments[0].end))).toEqual(['ASA', 'PO']);
  });
});

describe('numberInReadingOrder', () => {
  it('renames entities by position (longer first on ties) and rewrites relation arguments', () => {
    const doc: Document = {
      id: 'd',
      text: 'pain medications 5 mg',
      entities: [
        { id: 'T7', type: 'Strength', fragments: [{ start: 17, end: 21 }], text: '5 mg' },
        { id: 'T3', type: 'Reason', fragments: [{ start: 0, end: 4 }], text: 'pain' },
        { id: 'T9', type: 'Drug', fragments: [{ start: 0, end: 16 }], text: 'pain medications' },
      ],
      relations: [
        { id: 'R5', type: 'Strength-Drug', arg1: 'T7', arg2: 'T9' },
        { id: 'R2', type: 'Reason-Drug', arg1: 'T3', arg2: 'T9' },
      ],
    };
    const out = numberInReadingOrder(doc);
    expect(out.entities.map((e) => `${e.id}:${e.type}`)).toEqual(['T1:Drug', 'T2:Reason', 'T3:Strength']);
    expect(out.relations).toEqual([
      { id: 'R1', type: 'Reason-Drug', arg1: 'T2', arg2: 'T1' },
      { id: 'R2', type: 'Strength-Drug', arg1: 'T3', arg2: 'T1' },
    ]);
  });
});
