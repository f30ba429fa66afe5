/**
 * A medication "plan": one drug with the attributes a note could mention (strength, form, route, frequency,
 * reason, duration). Section writers decide which of them to spell out and how.
 */
import type { AnnotatedText } from './builder.js';
import { DRUG_CLASSES, FORM_WORDS, ROUTE_WORDS, type Delivery, type DrugClass, type FormWords } from './lexicon.js';
import type { Rng } from '../../random.js';

export interface Pronouns {
  /** he / she */
  subject: string;
  /** his / her */
  possessive: string;
}

/** What every section writer needs: where to write, the random stream, and who the note is about. */
export interface WriteContext {
  b: AnnotatedText;
  rng: Rng;
  pronouns: Pronouns;
  /** The (date-shifted, MIMIC-style) admission date, for `[**2115-2-20**]` tags. */
  year: number;
  month: number;
  day: number;
}

export interface MedPlan {
  drugClass: DrugClass;
  /** Surface name, possibly with a typo or odd casing. */
  name: string;
  delivery: Delivery;
  amount: string;
  unit: string;
  /** '' for `5mg`, ' ' for `5 mg`. */
  unitSeparator: '' | ' ';
  /** Taken only when needed; then a reason usually accompanies the frequency. */
  prn: boolean;
  reason: string;
  adverseEvent: string;
}

export function planMedication(rng: Rng, drugClass: DrugClass = rng.pick(DRUG_CLASSES)): MedPlan {
  const amount = rng.pick(drugClass.amounts);
  return {
    drugClass,
    name: withNoise(rng.pick(drugClass.names), rng),
    delivery: rng.pick(drugClass.deliveries),
    amount,
    unit: drugClass.unit,
    // Combination strengths (`5/325`) are nearly always spaced; simple ones are glued a quarter of the time.
    unitSeparator: !amount.includes('/') && rng.chance(0.25) ? '' : ' ',
    prn: rng.chance(0.25),
    reason: rng.pick(drugClass.reasons),
    adverseEvent: rng.pick(drugClass.adverseEvents),
  };
}

export function strengthText(plan: MedPlan): string {
  return `${plan.amount}${plan.unitSeparator}${plan.unit}`;
}

/** Whether the strength is a single number that can be coordinated (`20 or 40 mg`). */
export function hasSimpleAmount(plan: MedPlan): boolean {
  return /^\d+(\.\d+)?$/.test(plan.amount) && plan.drugClass.amounts.length > 1;
}

export function formWords(plan: MedPlan): FormWords {
  return FORM_WORDS[plan.delivery.form];
}

/** A route word for the plan; `listStyle` prefers the pharmacy spelling (`PO`, `IV`). */
export function routeText(plan: MedPlan, rng: Rng, listStyle = false): string {
  const words = ROUTE_WORDS[plan.delivery.route];
  return listStyle && rng.chance(0.8) ? words[0] : rng.pick(words);
}

/** Capitalize the first letter, as a pharmacy list or the start of a sentence does. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Real notes misspell and mis-case drug names. A small share of names get a one-letter typo (dropped, doubled or
 * swapped letter), all capitals, or all lower case.
 */
export function withNoise(name: string, rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.04 && /^[A-Za-z]{6,}$/.test(name)) return typo(name, rng);
  if (roll < 0.08) return name.toUpperCase();
  if (roll < 0.12) return name.toLowerCase();
  return name;
}

function typo(word: string, rng: Rng): string {
  const i = rng.between(1, word.length - 3);
  switch (rng.between(0, 2)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}
