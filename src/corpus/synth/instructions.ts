/**
 * Sentences for "Discharge Instructions", addressed to the patient: free-text dosages (`1-2 tabs`, `two puffs`),
 * stop orders (drugs with no relation), and a duration given one sentence after its drug.
 */
import { DURATIONS, FREE_FREQUENCIES, PRN_FREQUENCIES } from './lexicon.js';
import { formWords, routeText, strengthText, type MedPlan, type WriteContext } from './medication.js';

export type InstructionWriter = (ctx: WriteContext, plan: MedPlan) => void;

/** `Please take oxycodone 1-2 tabs by mouth every 6 hours as needed for pain for 5 more days.` */
export const takeAsDirected: InstructionWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  b.write(rng.pick(['Please take ', 'Take ', 'Continue to take ']));
  const drug = b.mention('Drug', plan.name);
  b.write(' ');
  b.attribute('Dosage', rng.pick(formWords(plan).freeDosages), drug);
  b.write(' ');
  b.attribute('Route', routeText(plan, rng), drug);
  b.write(' ');
  b.attribute('Frequency', rng.pick(plan.prn ? PRN_FREQUENCIES : FREE_FREQUENCIES), drug);
  if (plan.prn) {
    b.write(' for ');
    b.attribute('Reason', plan.reason, drug);
  }
  if (rng.chance(0.4)) {
    b.write(' ');
    b.attribute('Duration', rng.pick(DURATIONS), drug);
  }
  b.write('. ');
};

/** `STOP taking Coumadin.` */
export const stopTaking: InstructionWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  b.write(rng.pick(['STOP taking ', 'Stop taking ', 'Do not take ', 'Please stop ']));
  b.mention('Drug', plan.name);
  b.write(rng.pick(['. ', ' until you see your doctor. ', ' until told otherwise. ']));
};

/** `We started Keflex for cellulitis. Please take it for 7 days.`: Duration one sentence after its drug. */
export const durationNextSentence: InstructionWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  b.write('We started ');
  const drug = b.mention('Drug', plan.name);
  b.write(' for ');
  b.attribute('Reason', plan.reason, drug);
  b.write('. Please take it ');
  b.attribute('Duration', rng.pick(DURATIONS), drug);
  b.write('. ');
};

/** `Your dose of metoprolol was changed to 50 mg twice a day.` */
export const doseChanged: InstructionWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  b.write('Your dose of ');
  const drug = b.mention('Drug', plan.name);
  b.write(' was changed to ');
  b.attribute('Strength', strengthText(plan), drug);
  b.write(' ');
  b.attribute('Frequency', rng.pick(FREE_FREQUENCIES), drug);
  b.write('. ');
};

/** `You developed a rash while taking Bactrim, so it was stopped.` */
export const adverseEventExplained: InstructionWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  b.write(`You developed ${rng.pick(['', 'a ', 'some '])}`);
  const ade = b.mention('ADE', plan.adverseEvent);
  b.write(' while taking ');
  b.relate(ade, b.mention('Drug', plan.name));
  b.write(', so it was stopped. ');
};

/** `Continue your albuterol inhaler as needed for wheezing.`: a Form in free text. */
export const continueDevice: InstructionWriter = (ctx, plan) => {
  const { b, rng } = ctx;
  b.write('Continue your ');
  const drug = b.mention('Drug', plan.name);
  b.write(' ');
  b.attribute('Form', rng.pick(formWords(plan).freeForms), drug);
  b.write(' ');
  b.attribute('Frequency', rng.pick(plan.prn ? PRN_FREQUENCIES : FREE_FREQUENCIES), drug);
  if (plan.prn) {
    b.write(' for ');
    b.attribute('Reason', plan.reason, drug);
  }
  b.write('. ');
};

export const INSTRUCTION_SENTENCES: readonly (readonly [InstructionWriter, number])[] = [
  [takeAsDirected, 4],
  [stopTaking, 2],
  [durationNextSentence, 2],
  [doseChanged, 1],
  [adverseEventExplained, 1],
  [continueDevice, 1],
];
