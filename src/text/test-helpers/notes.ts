/**
 * Hand-written n2c2-style discharge-summary snippets (invented; no real patient) and a helper to annotate them by
 * quoting the mention text, so tests state entities the way a reader sees them instead of as bare offsets.
 */
import type { Document, Entity, Relation } from '../../corpus/types.js';

/** A hard-wrapped (about 80 columns) discharge summary: headings, a numbered medication list, narrative. */
export const DISCHARGE_SUMMARY = [
  'Admission Date:  [**2115-2-22**]              Discharge Date:   [**2115-3-1**]',
  '',
  'HISTORY OF PRESENT ILLNESS:',
  'Mr. [**Known lastname 1234**] is a 67 yo man with CHF and atrial fibrillation on',
  'Coumadin who presented with melena. He was seen by Dr. [**Last Name 55**] on',
  '[**2115-2-20**] and his INR was 4.5.',
  '',
  'Brief Hospital Course: His Coumadin was held and he received vitamin K 5mg p.o.',
  'x1. Hct remained stable at 30.2. He was restarted on Coumadin 2.5 mg q.h.s. and',
  'discharged home.',
  '',
  'DISCHARGE MEDICATIONS:',
  '1. Lasix 40 mg Tablet Sig: One (1) Tablet PO BID (2 times a day).',
  '2. Percocet 5/325 mg 1-2 tabs q4h p.r.n. pain',
  '3. Metoprolol 25 mg p.o. b.i.d.',
  '- Coumadin 2.5 mg qhs x7 days',
  '',
  'Followup Instructions:',
  'Please call Dr. [**Last Name 55**] at 10:30 on 3/5/2115.',
].join('\n');

/** The sentences `splitSentences(DISCHARGE_SUMMARY)` should find, as text, worked out by reading the note. */
export const DISCHARGE_SUMMARY_SENTENCES = [
  'Admission Date:',
  '[**2115-2-22**]              Discharge Date:',
  '[**2115-3-1**]',
  'HISTORY OF PRESENT ILLNESS:',
  'Mr. [**Known lastname 1234**] is a 67 yo man with CHF and atrial fibrillation on\nCoumadin who presented with melena.',
  'He was seen by Dr. [**Last Name 55**] on\n[**2115-2-20**] and his INR was 4.5.',
  'Brief Hospital Course:',
  'His Coumadin was held and he received vitamin K 5mg p.o.\nx1.',
  'Hct remained stable at 30.2.',
  'He was restarted on Coumadin 2.5 mg q.h.s. and\ndischarged home.',
  'DISCHARGE MEDICATIONS:',
  '1. Lasix 40 mg Tablet Sig: One (1) Tablet PO BID (2 times a day).',
  '2. Percocet 5/325 mg 1-2 tabs q4h p.r.n. pain',
  '3. Metoprolol 25 mg p.o. b.i.d.',
  '- Coumadin 2.5 mg qhs x7 days',
  'Followup Instructions:',
  'Please call Dr. [**Last Name 55**] at 10:30 on 3/5/2115.',
];

/** One mention to find: its type, its text, and which occurrence of that text (0-based) it is. */
export type Mention = [type: string, text: string, occurrence?: number];

/** Entities T1, T2, ... for the mentions, located by text; throws if a mention is not in the text. */
export function entitiesAt(text: string, mentions: Mention[]): Entity[] {
  return mentions.map(([type, mention, occurrence = 0], index) => {
    let start = -1;
    for (let k = 0; k <= occurrence; k++) {
      start = text.indexOf(mention, start + 1);
      if (start < 0) throw new Error(`mention ${JSON.stringify(mention)} #${occurrence} not in the text`);
    }
    return { id: `T${index + 1}`, type, fragments: [{ start, end: start + mention.length }], text: mention };
  });
}

/** A document from a text, mentions, and relations given as [type, arg1 index, arg2 index] into the mentions. */
export function documentOf(
  id: string,
  text: string,
  mentions: Mention[],
  relations: [type: string, arg1: number, arg2: number][] = [],
): Document {
  const entities = entitiesAt(text, mentions);
  const rels: Relation[] = relations.map(([type, a1, a2], index) => ({
    id: `R${index + 1}`,
    type,
    arg1: entities[a1].id,
    arg2: entities[a2].id,
  }));
  return { id, text, entities, relations: rels };
}

/**
 * DISCHARGE_SUMMARY annotated the n2c2 way: every entity continuous and token-aligned, every relation inside one
 * sentence except ADE "INR" (sentence 5) -> Coumadin (sentence 4).
 */
export function annotatedDischargeSummary(): Document {
  return documentOf(
    'discharge-summary',
    DISCHARGE_SUMMARY,
    [
      ['Drug', 'Coumadin', 0], // 0
      ['ADE', 'melena'],
      ['Drug', 'Coumadin', 1],
      ['Drug', 'vitamin K'],
      ['Strength', '5mg'],
      ['Route', 'p.o.', 0], // 5
      ['Drug', 'Coumadin', 2],
      ['Strength', '2.5 mg', 0],
      ['Frequency', 'q.h.s.'],
      ['Drug', 'Lasix'],
      ['Strength', '40 mg'], // 10
      ['Form', 'Tablet', 0],
      ['Dosage', 'One (1)'],
      ['Form', 'Tablet', 1],
      ['Route', 'PO'],
      ['Frequency', 'BID (2 times a day)'], // 15
      ['Drug', 'Percocet'],
      ['Strength', '5/325 mg'],
      ['Dosage', '1-2'],
      ['Form', 'tabs'],
      ['Frequency', 'q4h'], // 20
      ['Frequency', 'p.r.n.'],
      ['Reason', 'pain'],
      ['Drug', 'Metoprolol'],
      ['Strength', '25 mg', 1], // occurrence 0 is inside 5/325 mg
      ['Route', 'p.o.', 1], // 25
      ['Frequency', 'b.i.d.'],
      ['Drug', 'Coumadin', 3],
      ['Strength', '2.5 mg', 1],
      ['Frequency', 'qhs'],
      ['Duration', 'x7 days'], // 30
      ['Reason', 'atrial fibrillation'],
      ['ADE', 'INR'],
    ],
    [
      ['ADE-Drug', 1, 0],
      ['Reason-Drug', 31, 0],
      ['ADE-Drug', 32, 0],
      ['Strength-Drug', 4, 3],
      ['Route-Drug', 5, 3],
      ['Strength-Drug', 7, 6],
      ['Frequency-Drug', 8, 6],
      ['Strength-Drug', 10, 9],
      ['Form-Drug', 11, 9],
      ['Dosage-Drug', 12, 9],
      ['Form-Drug', 13, 9],
      ['Route-Drug', 14, 9],
      ['Frequency-Drug', 15, 9],
      ['Strength-Drug', 17, 16],
      ['Dosage-Drug', 18, 16],
      ['Form-Drug', 19, 16],
      ['Frequency-Drug', 20, 16],
      ['Frequency-Drug', 21, 16],
      ['Reason-Drug', 22, 16],
      ['Strength-Drug', 24, 23],
      ['Route-Drug', 25, 23],
      ['Frequency-Drug', 26, 23],
      ['Strength-Drug', 28, 27],
      ['Frequency-Drug', 29, 27],
      ['Duration-Drug', 30, 27],
    ],
  );
}
