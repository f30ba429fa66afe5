import { describe, expect, it } from 'vitest';
import { AnnotatedText } from './builder.js';

describe('AnnotatedText', () => {
  it('records mentions at the offsets where their text was written', () => {
    const b = new AnnotatedText();
    b.write('Take ');
    const drug = b.mention('Drug', 'aspirin');
    b.write(' ');
    const strength = b.attribute('Strength', '81 mg', drug);
    b.write(' daily.');
    expect(b.toString()).toBe('Take aspirin 81 mg daily.');
    // "Take " is 5 characters, "aspirin" 7, then one space: 81 mg starts at 13.
    expect(b.entities).toEqual([
      { id: drug, type: 'Drug', fragments: [{ start: 5, end: 12 }], text: 'aspirin' },
      { id: strength, type: 'Strength', fragments: [{ start: 13, end: 18 }], text: '81 mg' },
    ]);
    expect(b.relations).toEqual([
      { id: 'R1', type: 'Strength-Drug', arg1: strength, arg2: drug, arg1Role: 'Arg1', arg2Role: 'Arg2' },
    ]);
  });

  it('joins the fragments of a discontinuous mention with one space', () => {
    const b = new AnnotatedText();
    const low = b.span('20');
    b.write(' or 40 ');
    const unit = b.span('mg');
    const id = b.entity('Strength', [low, unit]);
    const entity = b.entities.find((e) => e.id === id);
    expect(entity?.fragments).toEqual([
      { start: 0, end: 2 },
      { start: 9, end: 11 },
    ]);
    expect(entity?.text).toBe('20 mg');
  });

  it('refuses fragments outside the written text', () => {
    const b = new AnnotatedText();
    b.write('abc');
    expect(() => b.entity('Drug', [{ start: 1, end: 5 }])).toThrow(RangeError);
    expect(() => b.entity('Drug', [{ start: 2, end: 2 }])).toThrow(RangeError);
  });

  it('trims trailing spaces but never into a mention, and records prose ranges', () => {
    const b = new AnnotatedText();
    b.write('x ');
    b.beginProse();
    b.write('One. Two.  ');
    b.trimEnd();
    b.endProse();
    expect(b.toString()).toBe('x One. Two.');
    expect(b.wrappable).toEqual([{ start: 2, end: 11 }]);

    const c = new AnnotatedText();
    c.mention('Drug', 'ASA ');
    c.trimEnd();
    expect(c.toString()).toBe('ASA ');
  });
});
