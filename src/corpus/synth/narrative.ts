/**
 * Sentences for the narrative sections (History of Present Illness, Brief Hospital Course). Each writer emits one
 * or two sentences ending in a space, and covers one phenomenon the extraction task has to handle: attributes in
 * running text, adverse events stated in the next sentence, attributes shared by two drugs, coordinated strengths,
 * drugs with no relation at all, and mentions nested inside other mentions.
 */
import { ADES_NAMING_THE_DRUG, DRUGS_WITH_INNER_REASON, DURATIONS, FREE_FREQUENCIES, NESTED_DRUGS } from './lexicon.js';
import { writeCoordinatedStrengths } from './medlists.js';
import { capitalize, hasSimpleAmount, planMedication, routeText, strengthText, type MedPlan, type WriteContext } from './medication.js';

export type SentenceWriter = (ctx: WriteContext, plan: MedPlan, other: MedPlan) => void;

function subject(ctx: WriteContext): string {
  return capitalize(ctx.pronouns.subject);
}

/** `She was started on metoprolol 25 mg PO BID for rate control.` (any subset of the attributes). */
export const startedFor: SentenceWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  b.write(`${subject(ctx)} was ${rng.pick(['started on', 'given', 'treated with', 'placed on'])} `);
  const drug = b.mention('Drug', plan.name);
  if (rng.chance(0.6)) {
    b.write(' ');
    b.attribute('Strength', strengthText(plan), drug);
  }
  if (rng.chance(0.5)) {
    b.write(' ');
    b.attribute('Route', routeText(plan, rng), drug);
  }
  if (rng.chance(0.5)) {
    b.write(' ');
    b.attribute('Frequency', rng.pick(FREE_FREQUENCIES), drug);
  }
  b.write(rng.pick([' for ', ' for ', ' for presumed ', ' given ']));
  b.attribute('Reason', plan.reason, drug);
  b.write('. ');
};

/** Drug in one sentence, its adverse event in the next: `Started lisinopril. She later developed a cough, attributed to it.` */
export const adverseEventNextSentence: SentenceWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  if (rng.chance(0.5)) {
    b.write('Started ');
    const drug = b.mention('Drug', plan.name);
    b.write(` on ${dateTag(ctx)}. ${subject(ctx)} later developed ${rng.pick(['a ', '', 'worsening '])}`);
    b.attribute('ADE', plan.adverseEvent, drug);
    b.write(', attributed to it. ');
  } else {
    b.write(`${subject(ctx)} received `);
    const drug = b.mention('Drug', plan.name);
    b.write(` in the ED. Shortly afterwards ${ctx.pronouns.subject} developed `);
    b.attribute('ADE', plan.adverseEvent, drug);
    b.write(', which was felt to be a reaction to the medication. ');
  }
};

/** Adverse event and drug in one sentence, in several word orders. */
export const adverseEventSameSentence: SentenceWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  switch (rng.between(0, 3)) {
    case 0: {
      b.write(`${subject(ctx)} developed `);
      const ade = b.mention('ADE', plan.adverseEvent);
      b.write(' on ');
      const drug = b.mention('Drug', plan.name);
      b.relate(ade, drug);
      b.write(', which was discontinued. ');
      break;
    }
    case 1: {
      const drug = b.mention('Drug', capitalize(plan.name));
      b.write(` was ${rng.pick(['discontinued', 'stopped', 'held'])} due to `);
      b.attribute('ADE', plan.adverseEvent, drug);
      b.write('. ');
      break;
    }
    case 2: {
      const ade = b.mention('ADE', capitalize(plan.adverseEvent));
      b.write(` was thought to be ${rng.pick(['secondary to', 'related to', 'caused by'])} `);
      b.relate(ade, b.mention('Drug', plan.name));
      b.write('. ');
      break;
    }
    default: {
      b.write('Course complicated by ');
      const ade = b.mention('ADE', plan.adverseEvent);
      b.write(' from ');
      b.relate(ade, b.mention('Drug', plan.name));
      b.write('. ');
    }
  }
};

/** Two drugs share one Reason (or one Frequency): one attribute mention, two relations. */
export const sharedAttribute: SentenceWriter = (ctx, plan, other) => {
  const { b, rng } = ctx;
  if (rng.chance(0.5)) {
    const first = b.mention('Drug', capitalize(plan.name));
    b.write(' and ');
    // A shared reason only makes sense for two drugs of the same class (two antihypertensives for HTN).
    const second = b.mention('Drug', sameClassPartner(ctx, plan));
    b.write(` were ${rng.pick(['continued', 'restarted', 'uptitrated'])} for `);
    const reason = b.mention('Reason', plan.reason);
    b.relate(reason, first);
    b.relate(reason, second);
  } else {
    b.write(`${subject(ctx)} will continue `);
    const first = b.mention('Drug', plan.name);
    b.write(' and ');
    const second = b.mention('Drug', other.name);
    b.write(' ');
    const frequency = b.mention('Frequency', rng.pick(FREE_FREQUENCIES));
    b.relate(frequency, first);
    b.relate(frequency, second);
  }
  b.write('. ');
};

/** Another drug of the plan's class with a different name (or a differently spelled one if the class is tiny). */
function sameClassPartner(ctx: WriteContext, plan: MedPlan): string {
  for (let attempt = 0; attempt < 5; attempt++) {
    const name = planMedication(ctx.rng, plan.drugClass).name;
    if (name.toLowerCase() !== plan.name.toLowerCase()) return name;
  }
  return plan.drugClass.names.find((n) => n.toLowerCase() !== plan.name.toLowerCase()) ?? plan.name;
}

/** `Furosemide was increased from 20 to 40 mg daily.`: a discontinuous Strength. */
export const strengthChange: SentenceWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  if (!hasSimpleAmount(plan) || plan.unitSeparator === '') return startedFor(ctx, plan, plan);
  const drug = b.mention('Drug', capitalize(plan.name));
  const verb = rng.pick(['increased', 'decreased', 'titrated']);
  b.write(` was ${verb} from `);
  writeCoordinatedStrengths(ctx, plan, drug, ' to ');
  if (rng.chance(0.5)) {
    b.write(' ');
    b.attribute('Frequency', rng.pick(FREE_FREQUENCIES), drug);
  }
  b.write('. ');
};

/** A drug with no relation at all (held, denied, not restarted). */
export const drugWithoutRelations: SentenceWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  const { subject: he, possessive: his } = ctx.pronouns;
  const [before, after] = rng.pick([
    ['', ' was held on admission.'],
    [`${capitalize(his)} home `, ' was not restarted.'],
    [`${capitalize(he)} denies taking `, ' at home.'],
    [`${capitalize(he)} is no longer on `, '.'],
    ['', ' was discontinued.'],
    [`${capitalize(he)} refused `, '.'],
  ] as const);
  b.write(before);
  b.mention('Drug', before === '' ? capitalize(plan.name) : plan.name);
  b.write(`${after} `);
};

/** `She required pain medications overnight.`: the Reason `pain` sits inside the Drug `pain medications`. */
export const reasonInsideDrug: SentenceWriter = (ctx) => {
  const { b, rng } = ctx;
  const { drug, reason } = rng.pick(DRUGS_WITH_INNER_REASON);
  b.write(`${subject(ctx)} ${rng.pick(['required', 'asked for', 'was weaned off'])} `);
  const span = b.span(drug);
  const drugId = b.entity('Drug', [span]);
  const at = span.start + drug.indexOf(reason);
  b.relate(b.entity('Reason', [{ start: at, end: at + reason.length }]), drugId);
  b.write(`${rng.pick([' overnight', ' during the admission', ''])}. `);
};

/** `He was maintained on an insulin sliding scale.`: Drug `insulin` nested in Drug `insulin sliding scale`. */
export const nestedDrug: SentenceWriter = (ctx) => {
  const { b, rng } = ctx;
  const { outer, inner } = rng.pick(NESTED_DRUGS);
  b.write(`${subject(ctx)} was maintained on `);
  const span = b.span(outer);
  const outerId = b.entity('Drug', [span]);
  const at = span.start + outer.indexOf(inner);
  b.entity('Drug', [{ start: at, end: at + inner.length }]);
  if (rng.chance(0.5)) {
    b.write(' ');
    b.attribute('Frequency', rng.pick(FREE_FREQUENCIES), outerId);
  }
  b.write('. ');
};

/** `Course was complicated by heparin-induced thrombocytopenia.`: the Drug is inside its own ADE. */
export const adverseEventNamingDrug: SentenceWriter = (ctx) => {
  const { b, rng } = ctx;
  const { ade, drug } = rng.pick(ADES_NAMING_THE_DRUG);
  b.write(rng.pick(['Course was complicated by ', 'Hospital stay was notable for ', 'This admission was complicated by ']));
  const span = b.span(ade);
  const adeId = b.entity('ADE', [span]);
  const at = span.start + ade.indexOf(drug);
  b.relate(adeId, b.entity('Drug', [{ start: at, end: at + drug.length }]));
  b.write('. ');
};

/** `Vancomycin IV will be continued for 10 days to complete the course.` */
export const durationCourse: SentenceWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  const drug = b.mention('Drug', capitalize(plan.name));
  if (rng.chance(0.5)) {
    b.write(' ');
    b.attribute('Route', routeText(plan, rng), drug);
  }
  b.write(' will be continued ');
  b.attribute('Duration', rng.pick(DURATIONS), drug);
  b.write(rng.pick([' to complete the course', '', ' as planned']));
  if (rng.chance(0.5)) {
    b.write(' for ');
    b.attribute('Reason', plan.reason, drug);
  }
  b.write('. ');
};

export const NARRATIVE_SENTENCES: readonly (readonly [SentenceWriter, number])[] = [
  [startedFor, 5],
  [adverseEventNextSentence, 2],
  [adverseEventSameSentence, 3],
  [sharedAttribute, 2],
  [strengthChange, 1],
  [drugWithoutRelations, 2],
  [reasonInsideDrug, 1],
  [nestedDrug, 1],
  [adverseEventNamingDrug, 1],
  [durationCourse, 2],
];

/** A de-identification style date tag `[**2115-2-20**]`, `dayOffset` days after admission (months of 28 days). */
export function dateTag(ctx: Pick<WriteContext, 'year' | 'month' | 'day'>, dayOffset = 0): string {
  const dayIndex = ctx.day - 1 + dayOffset;
  const month = ctx.month + Math.floor(dayIndex / 28);
  return `[**${ctx.year}-${month}-${(dayIndex % 28) + 1}**]`;
}
