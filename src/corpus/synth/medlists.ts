/**
 * Medication lists: the pharmacy-style discharge list (`1. Lisinopril 10 mg Tablet Sig: One (1) Tablet PO DAILY
 * (Daily).` followed by a `Disp:` line), terse clinician lists (`oxycodone 5 mg q4h PO PRN pain`), and the comma
 * separated "Medications on Admission" paragraph.
 */
import { DURATIONS, LIST_FREQUENCIES, PRN_FREQUENCIES, PRN_WORDS, SPLITTABLE_FREQUENCIES, FREE_FREQUENCIES } from './lexicon.js';
import {
  capitalize,
  formWords,
  hasSimpleAmount,
  routeText,
  strengthText,
  type MedPlan,
  type WriteContext,
} from './medication.js';
import type { Rng } from '../../random.js';

const PHARMACY_PRN = PRN_FREQUENCIES.filter((f) => f.includes('('));

/** One pharmacy-style item: the drug carries up to eight related mentions, the last one on the next line. */
export function writePharmacyItem(ctx: WriteContext, n: number, plan: MedPlan): void {
  const { b, rng } = ctx;
  const words = formWords(plan);
  b.write(`${n}. `);
  const drug = b.mention('Drug', capitalize(plan.name));
  b.write(' ');
  b.attribute('Strength', strengthText(plan), drug);
  b.write(' ');
  b.attribute('Form', rng.pick(words.listForms), drug);
  b.write(' Sig: ');
  b.attribute('Dosage', rng.pick(words.sigDosages), drug);
  if (words.sigUnits) {
    b.write(' ');
    b.attribute('Form', rng.pick(words.sigUnits), drug);
  }
  b.write(' ');
  b.attribute('Route', routeText(plan, rng, true), drug);
  b.write(' ');
  b.attribute('Frequency', plan.prn ? rng.pick(PHARMACY_PRN) : rng.pick(LIST_FREQUENCIES), drug);
  if (plan.prn) {
    b.write(' for ');
    b.attribute('Reason', plan.reason, drug);
  }
  if (rng.chance(0.15)) {
    b.write(' ');
    b.attribute('Duration', rng.pick(DURATIONS), drug);
  }
  b.write('.\n');
  if (rng.chance(0.8)) {
    b.write(`Disp:*${rng.pick(['30', '60', '90', '14', '20', '1', '3'])} `);
    // `Tablet(s)`, `Puff(s)`: the unit in singular plus "(s)", whatever spelling the Sig line used.
    const unit = rng.pick(words.sigUnits ?? words.listForms).replace(/\(s\)$|s$/, '');
    b.attribute('Form', `${unit}(s)`, drug);
    b.write(`* Refills:*${rng.between(0, 3)}*\n`);
  }
}

/**
 * One terse item as clinicians type them. Some items split the frequency around the route (`q6h PO PRN`: one
 * Frequency in two fragments), some coordinate two strengths (`20 or 40 mg`: the first Strength is `20 ... mg`).
 */
export function writeTerseItem(ctx: WriteContext, n: number, plan: MedPlan): void {
  const { b, rng } = ctx;
  b.write(`${n}. `);
  const drug = b.mention('Drug', plan.name);
  b.write(' ');
  if (hasSimpleAmount(plan) && plan.unitSeparator === ' ' && rng.chance(0.15)) {
    writeCoordinatedStrengths(ctx, plan, drug, rng.pick([' or ', '-', ' to ']));
  } else {
    b.attribute('Strength', strengthText(plan), drug);
  }
  if (rng.chance(0.3)) {
    b.write(' ');
    b.attribute('Form', rng.pick(formWords(plan).freeForms), drug);
  }
  if (plan.prn && rng.chance(0.5)) {
    // `q6h PO PRN pain`: Frequency = `q6h` + `PRN`, with the Route in between.
    b.write(' ');
    const head = b.span(rng.pick(SPLITTABLE_FREQUENCIES));
    b.write(' ');
    b.attribute('Route', routeText(plan, rng), drug);
    b.write(' ');
    const tail = b.span(rng.pick(PRN_WORDS));
    b.relate(b.entity('Frequency', [head, tail]), drug);
    b.write(' ');
    b.attribute('Reason', plan.reason, drug);
  } else {
    b.write(' ');
    b.attribute('Route', routeText(plan, rng), drug);
    b.write(' ');
    b.attribute('Frequency', rng.pick(plan.prn ? PRN_FREQUENCIES : FREE_FREQUENCIES), drug);
    if (plan.prn || rng.chance(0.2)) {
      b.write(rng.pick([' for ', ' for ', ' ']));
      b.attribute('Reason', plan.reason, drug);
    }
  }
  if (rng.chance(0.12)) {
    b.write(' ');
    b.attribute('Duration', rng.pick(DURATIONS), drug);
  }
  b.write('\n');
}

/**
 * `20 or 40 mg`: two Strength mentions sharing one unit. The first is discontinuous (`20` + `mg`), the second is
 * the contiguous `40 mg`; both relate to the drug.
 */
export function writeCoordinatedStrengths(ctx: WriteContext, plan: MedPlan, drug: string, joiner: string): void {
  const { b, rng } = ctx;
  const [low, high] = twoAmounts(plan, rng);
  const lowSpan = b.span(low);
  b.write(joiner);
  const highSpan = b.span(high);
  b.write(' ');
  const unit = b.span(plan.unit);
  b.relate(b.entity('Strength', [lowSpan, unit]), drug);
  b.relate(b.entity('Strength', [{ start: highSpan.start, end: unit.end }]), drug);
}

/** Two neighbouring amounts of the class, low first (`20` and `40`, not `20` and `1000`). */
function twoAmounts(plan: MedPlan, rng: Rng): [string, string] {
  const simple = plan.drugClass.amounts.filter((a) => /^\d+(\.\d+)?$/.test(a)).sort((a, b) => Number(a) - Number(b));
  if (simple.length < 2) return [plan.amount, String(Number(plan.amount) * 2)];
  const i = rng.between(0, simple.length - 2);
  return [simple[i], simple[i + 1]];
}

/** `Medications on Admission:` as one comma-separated paragraph (wrappable prose). */
export function writeAdmissionParagraph(ctx: WriteContext, plans: MedPlan[]): void {
  const { b, rng } = ctx;
  b.beginProse();
  plans.forEach((plan, i) => {
    if (i > 0) b.write(', ');
    const drug = b.mention('Drug', plan.name);
    if (rng.chance(0.8)) {
      b.write(' ');
      b.attribute('Strength', strengthText(plan), drug);
    }
    if (rng.chance(0.3)) {
      b.write(' ');
      b.attribute('Route', routeText(plan, rng), drug);
    }
    if (rng.chance(0.75)) {
      b.write(' ');
      b.attribute('Frequency', rng.pick(plan.prn ? PRN_FREQUENCIES : FREE_FREQUENCIES), drug);
    }
  });
  b.write('\n');
  b.endProse();
}
