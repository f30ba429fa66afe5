import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.js';
import { DISCHARGE_SUMMARY, DISCHARGE_SUMMARY_SENTENCES } from './test-helpers/notes.js';

const sentenceTexts = (text: string, wrapWidth?: number): string[] =>
  splitSentences(text, { wrapWidth }).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('splits a hard-wrapped discharge summary into the sentences a reader sees', () => {
    expect(sentenceTexts(DISCHARGE_SUMMARY)).toEqual(DISCHARGE_SUMMARY_SENTENCES);
  });

  it('keeps tokens with each sentence, whose offsets bound them', () => {
    const sentences = splitSentences('He improved. Lasix was stopped.');
    expect(sentences.map((s) => [s.start, s.end, s.tokens.map((t) => t.text)])).toEqual([
      [0, 12, ['He', 'improved', '.']],
      [13, 31, ['Lasix', 'was', 'stopped', '.']],
    ]);
    expect(splitSentences(' \n\t')).toEqual([]);
  });

  it('does not end a sentence at abbreviation or decimal periods, but does before a capitalised word', () => {
    expect(sentenceTexts('Given Tylenol 650 mg p.o. q.i.d. for fever of 101.5 by Dr. [**Name**] today.')).toHaveLength(1);
    expect(sentenceTexts('Metoprolol 25 mg p.o. b.i.d. He tolerated it.')).toEqual([
      'Metoprolol 25 mg p.o. b.i.d.',
      'He tolerated it.',
    ]);
    // A unit period followed by lowercase text continues the sentence.
    expect(sentenceTexts('Lasix 40 mg. p.o. daily')).toHaveLength(1);
    expect(sentenceTexts('Is he better? Yes! Good.')).toEqual(['Is he better?', 'Yes!', 'Good.']);
    // A closing quote stays with its sentence; `no.` before a number is an abbreviation.
    expect(sentenceTexts('It is called "retinoic acid syndrome." This patient had it.')).toEqual([
      'It is called "retinoic acid syndrome."',
      'This patient had it.',
    ]);
    expect(sentenceTexts('In case no. 2, the rash resolved.')).toHaveLength(1);
  });

  it('joins lines wrapped mid-sentence but splits at a short line followed by a capitalised line', () => {
    const wrapped = [
      'The patient is a 72 year old woman with a history of hypertension and Type 2',
      'Diabetes who was admitted with chest pain and was ruled out for a myocardial',
      'Infarction by serial enzymes.',
    ].join('\n');
    expect(sentenceTexts(wrapped)).toHaveLength(1);
    // Short lines: each ends on purpose.
    expect(sentenceTexts('Allergies reviewed\nNo known drug allergies\nPatient denies rash')).toEqual([
      'Allergies reviewed',
      'No known drug allergies',
      'Patient denies rash',
    ]);
    // A short line ending with a word that needs a continuation does not end a sentence.
    expect(sentenceTexts('He was given Lasix and\nCoumadin')).toHaveLength(1);
    // With an explicit wrap width the same short text counts as wrapped (each line >= 75% of 24 characters).
    expect(sentenceTexts('Allergies reviewed\nNo known drug allergies', 24)).toHaveLength(1);
  });

  it('splits at blank lines, list items, and around headings', () => {
    expect(sentenceTexts('pain controlled\n\nstable')).toEqual(['pain controlled', 'stable']);
    expect(sentenceTexts('MEDICATIONS ON ADMISSION\naspirin 81 mg daily\n* lasix 20 mg\n2) coumadin')).toEqual([
      'MEDICATIONS ON ADMISSION',
      'aspirin 81 mg daily',
      '* lasix 20 mg',
      '2) coumadin',
    ]);
    // The heading is on the next line: `Discharge Condition:` is a label.
    expect(sentenceTexts('taking all of his medications as prescribed with good adherence over many months\nDischarge Condition: stable')).toEqual([
      'taking all of his medications as prescribed with good adherence over many months',
      'Discharge Condition:',
      'stable',
    ]);
  });

  it('never splits inside a de-identification bracket', () => {
    const text = 'Seen by Dr. [**First Name4 (NamePattern1) 123**] [**Last Name. 45**]. Improved.';
    expect(sentenceTexts(text)).toEqual(['Seen by Dr. [**First Name4 (NamePattern1) 123**] [**Last Name. 45**].', 'Improved.']);
  });
});
