/**
 * Two tiny documents whose every count the tests work out by hand. Character offsets are in the comments.
 */
import type { Document } from '../../corpus/types.js';
import { documentOf, type Mention } from './notes.js';

// Sentences: "He took Lasix 40 mg daily." 0-26 | "It caused a rash." 27-44 | "Aspirin was held." 45-62
export const LASIX_TEXT = 'He took Lasix 40 mg daily. It caused a rash.\nAspirin was held.';

/** T1 Lasix, T2 40 mg, T3 daily, T4 rash, T5 Aspirin; with `crossing`, T6 "daily. It" crosses a sentence end. */
export function lasixDocument(crossing: boolean): Document {
  return documentOf(
    'lasix',
    LASIX_TEXT,
    [
      ['Drug', 'Lasix'],
      ['Strength', '40 mg'],
      ['Frequency', 'daily'],
      ['ADE', 'rash'],
      ['Drug', 'Aspirin'],
      ...(crossing ? [['Event', 'daily. It'] satisfies Mention] : []),
    ],
    [
      ['Strength-Drug', 1, 0],
      ['Frequency-Drug', 2, 0],
      ['ADE-Drug', 3, 0],
      // Same-type and "backwards" relations must work as well as the n2c2 ones.
      ['Same-Class', 4, 0],
    ],
  );
}

// Tokens: Warfarin 0-8 | 5 9-10 | mg 10-12 | held 13-17 | . | Restart 19-26 | warfarin 27-35 | in | one 39-42 |
//         week 43-47 | .
export const WARFARIN_TEXT = 'Warfarin 5mg held. Restart warfarin in one week.';

/**
 * T1 Warfarin; T2 "5m" (ends inside the token mg); T3 ADE "Warfarin ... held" (discontinuous); T4 one week;
 * T5 warfarin; T6 week (nested in T4).
 */
export function warfarinDocument(): Document {
  const doc = documentOf(
    'warfarin',
    WARFARIN_TEXT,
    [
      ['Drug', 'Warfarin'],
      ['Strength', '5m'],
      ['ADE', 'Warfarin'],
      ['Duration', 'one week'],
      ['Drug', 'warfarin'],
      ['Drug', 'week'],
    ],
    [
      ['Strength-Drug', 1, 0],
      ['Duration-Drug', 3, 4],
    ],
  );
  doc.entities[2].fragments = [
    { start: 0, end: 8 },
    { start: 13, end: 17 },
  ];
  doc.entities[2].text = 'Warfarin held';
  return doc;
}
