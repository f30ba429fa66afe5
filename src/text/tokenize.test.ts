import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';

const words = (text: string): string[] => tokenize(text).map((t) => t.text);

describe('tokenize', () => {
  it('splits a number from its unit and keeps decimals, thousands, ratios, dates and times whole', () => {
    expect(words('5mg 2.5 mg 1,000 units')).toEqual(['5', 'mg', '2.5', 'mg', '1,000', 'units']);
    expect(words('Percocet 10/325 on 2/22/2115 at 10:30')).toEqual(['Percocet', '10/325', 'on', '2/22/2115', 'at', '10:30']);
    // A comma not followed by three digits is a list separator.
    expect(words('days 1,2,3')).toEqual(['days', '1', ',', '2', ',', '3']);
  });

  it('splits a range into three tokens and keeps frequencies and dotted abbreviations whole', () => {
    expect(words('1-2 tabs q4h q.4h. q4-6h p.r.n. q.i.d. b.i.d')).toEqual([
      '1', '-', '2', 'tabs', 'q4h', 'q.4h.', 'q4-6h', 'p.r.n.', 'q.i.d.', 'b.i.d',
    ]);
    expect(words('x7 days PO IV')).toEqual(['x', '7', 'days', 'PO', 'IV']);
    // Not an abbreviation when a letter follows a segment; `q` words are words.
    expect(words('E.coli qd quit')).toEqual(['E', '.', 'coli', 'qd', 'quit']);
  });

  it('keeps de-identification brackets as one token, spaces included', () => {
    expect(words('seen at [**Hospital 123**] on [**2115-2-22**].')).toEqual([
      'seen', 'at', '[**Hospital 123**]', 'on', '[**2115-2-22**]', '.',
    ]);
    // An unclosed bracket is ordinary punctuation.
    expect(words('[** broken')).toEqual(['[', '**', 'broken']);
  });

  it('keeps title periods, splits a unit period, and keeps +/-, % and clitics apart', () => {
    expect(words('Dr. Smith gave 40 mg. Mrs. Jones +/- 5%')).toEqual([
      'Dr.', 'Smith', 'gave', '40', 'mg', '.', 'Mrs.', 'Jones', '+/-', '5', '%',
    ]);
    expect(words("Paget's azithromycin-induced")).toEqual(['Paget', "'s", 'azithromycin', '-', 'induced']);
  });

  it('reads 1. and 2) as list markers only at the start of a line', () => {
    expect(words('1. Lasix\n  2) Coumadin\n- Aspirin * x')).toEqual([
      '1.', 'Lasix', '2)', 'Coumadin', '-', 'Aspirin', '*', 'x',
    ]);
    expect(words('INR was 4. Then')).toEqual(['INR', 'was', '4', '.', 'Then']);
    expect(words('DISCHARGE MEDICATIONS:')).toEqual(['DISCHARGE', 'MEDICATIONS', ':']);
    // With a range, the text before it decides whether the range starts a line.
    expect(tokenize('x\n  1. a', 4).map((t) => t.text)).toEqual(['1.', 'a']);
    expect(tokenize('x 1. a', 2).map((t) => t.text)).toEqual(['1', '.', 'a']);
  });

  it('gives offsets into the original text, never whitespace inside a token, and honours a range', () => {
    const text = ' \tLasix\u00a040mg\r\n😀 x';
    const tokens = tokenize(text);
    expect(tokens).toEqual([
      { text: 'Lasix', start: 2, end: 7 },
      { text: '40', start: 8, end: 10 },
      { text: 'mg', start: 10, end: 12 },
      { text: '😀', start: 14, end: 16 },
      { text: 'x', start: 17, end: 18 },
    ]);
    // A range cuts tokens at its end; offsets stay document offsets.
    expect(tokenize(text, 3, 9)).toEqual([
      { text: 'asix', start: 3, end: 7 },
      { text: '4', start: 8, end: 9 },
    ]);
    expect(() => tokenize(text, 5, 99)).toThrow(RangeError);
  });

  it('covers every non-whitespace character exactly once', () => {
    const text = 'Pt. got 1-2 tabs (Percocet 5/325mg) q.4h. p.r.n.,\n\n2) [**Name**]--->B12 +/-';
    let covered = '';
    let last = 0;
    for (const t of tokenize(text)) {
      expect(t.text).toBe(text.slice(t.start, t.end));
      expect(text.slice(last, t.start)).toMatch(/^\s*$/);
      covered += t.text;
      last = t.end;
    }
    expect(covered).toBe(text.replace(/\s+/g, ''));
  });
});
