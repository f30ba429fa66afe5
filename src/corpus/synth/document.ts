/**
 * One synthetic discharge summary: MIMIC-style headers and de-identification tags, then the sections that carry
 * medications (allergies, history, admission list, hospital course, discharge list, instructions), then the final
 * layout passes (hard wrap of prose, CRLF for a share of documents, ids in reading order).
 */
import type { Document } from '../types.js';
import { AnnotatedText } from './builder.js';
import { INSTRUCTION_SENTENCES } from './instructions.js';
import { hardWrap, numberInReadingOrder, splitFragmentsAtLineBreaks, toCrlf } from './layout.js';
import {
  ALLERGY_DRUGS,
  CHIEF_COMPLAINTS,
  DISPOSITIONS,
  DRUG_CLASSES,
  FILLER_SENTENCES,
  FOLLOWUP_LINES,
  PROBLEMS,
  PROCEDURES,
  SERVICES,
} from './lexicon.js';
import { capitalize, planMedication, type MedPlan, type WriteContext } from './medication.js';
import { writeAdmissionParagraph, writePharmacyItem, writeTerseItem } from './medlists.js';
import { NARRATIVE_SENTENCES, dateTag } from './narrative.js';
import { Rng } from '../../random.js';

/** Share of documents written with CRLF line endings. */
export const CRLF_SHARE = 0.15;

export function generateDocument(id: string, seed: number, index: number): Document {
  const rng = Rng.stream(seed, index);
  const female = rng.chance(0.5);
  const ctx: WriteContext = {
    b: new AnnotatedText(),
    rng,
    pronouns: female ? { subject: 'she', possessive: 'her' } : { subject: 'he', possessive: 'his' },
    year: rng.between(2100, 2190),
    month: rng.between(1, 11),
    day: rng.between(1, 28),
  };
  const shout = rng.chance(0.4);
  const title = (text: string) => `${shout ? text.toUpperCase() : text}:`;

  // The patient's drugs come from a handful of classes, as a real patient's do.
  const classes = rng.sample(DRUG_CLASSES, rng.between(4, 8));
  const fromPatientClasses = () => planMedication(rng, rng.pick(classes));
  const homeMeds = Array.from({ length: rng.between(3, 7) }, fromPatientClasses);

  writeHeader(ctx, female);
  writeAllergies(ctx, title);
  ctx.b.write(`\n${title('Chief Complaint')}\n${rng.pick(CHIEF_COMPLAINTS)}\n\n`);
  ctx.b.write(`${title('Major Surgical or Invasive Procedure')}\n${rng.pick(PROCEDURES)}\n\n`);

  ctx.b.write(`${title('History of Present Illness')}\n`);
  writeProse(ctx, rng.between(1, 3), fromPatientClasses, rng.between(1, 3));
  ctx.b.write(`\n\n${title('Past Medical History')}\n`);
  for (const problem of rng.sample(PROBLEMS, rng.between(2, 5))) ctx.b.write(`- ${problem}\n`);

  ctx.b.write(`\n${title('Medications on Admission')}\n`);
  if (rng.chance(0.5)) writeAdmissionParagraph(ctx, homeMeds);
  else homeMeds.forEach((plan, i) => writeTerseItem(ctx, i + 1, plan));

  ctx.b.write(`\n${title('Brief Hospital Course')}\n`);
  for (const problem of rng.sample(PROBLEMS, rng.between(2, 4))) {
    ctx.b.write(`# ${problem}: `);
    writeProse(ctx, rng.between(1, 3), fromPatientClasses, rng.between(0, 2));
    ctx.b.write('\n');
  }

  ctx.b.write(`\n${title('Discharge Medications')}\n`);
  const dischargeMeds = [
    ...homeMeds.filter(() => rng.chance(0.7)),
    ...Array.from({ length: rng.between(3, 7) }, fromPatientClasses),
  ];
  const pharmacyStyle = rng.chance(0.7);
  dischargeMeds.forEach((plan, i) =>
    pharmacyStyle ? writePharmacyItem(ctx, i + 1, plan) : writeTerseItem(ctx, i + 1, plan),
  );

  ctx.b.write(`\n${title('Discharge Disposition')}\n${rng.pick(DISPOSITIONS)}\n\n`);
  ctx.b.write(`${title('Discharge Diagnosis')}\n${rng.sample(PROBLEMS, 2).join('\n')}\n\n`);

  ctx.b.write(`${title('Discharge Instructions')}\n`);
  ctx.b.beginProse();
  ctx.b.write(`You were admitted to the hospital with ${rng.pick(CHIEF_COMPLAINTS)}. `);
  for (let i = rng.between(2, 4); i > 0; i--) rng.weighted(INSTRUCTION_SENTENCES)(ctx, fromPatientClasses());
  ctx.b.trimEnd();
  ctx.b.write('\n');
  ctx.b.endProse();
  ctx.b.write(`\n${title('Followup Instructions')}\n${rng.pick(FOLLOWUP_LINES)}\n`);

  return finishLayout(
    { id, text: ctx.b.toString(), entities: ctx.b.entities, relations: ctx.b.relations },
    ctx.b.wrappable,
    rng,
  );
}

function writeHeader(ctx: WriteContext, female: boolean): void {
  const { b, rng } = ctx;
  const stay = rng.between(2, 14);
  const birthYear = ctx.year - rng.between(25, 95);
  b.write(`Admission Date:  ${dateTag(ctx)}              Discharge Date:   ${dateTag(ctx, stay)}\n\n`);
  b.write(`Date of Birth:  [**${birthYear}-${rng.between(1, 12)}-${rng.between(1, 28)}**]             Sex:   ${female ? 'F' : 'M'}\n\n`);
  b.write(`Service: ${rng.pick(SERVICES)}\n\n`);
}

/** Allergy lines name drugs with no attributes: Drug mentions that must get no relation. */
function writeAllergies(ctx: WriteContext, title: (text: string) => string): void {
  const { b, rng } = ctx;
  b.write(`${title('Allergies')}\n`);
  const count = rng.weighted([
    [0, 3],
    [1, 4],
    [2, 2],
    [3, 1],
  ] as const);
  if (count === 0) {
    b.write('Patient recorded as having No Known Allergies to Drugs\n');
  } else {
    rng.sample(ALLERGY_DRUGS, count).forEach((name, i) => {
      if (i > 0) b.write(' / ');
      b.mention('Drug', name);
    });
    b.write('\n');
  }
  b.write(`\nAttending:[**First Name3 (LF) ${rng.between(100, 9999)}**].\n`);
}

/** A paragraph of prose: medication sentences mixed with filler, wrapped later. */
function writeProse(ctx: WriteContext, medicationSentences: number, plan: () => MedPlan, fillers: number): void {
  const { b, rng } = ctx;
  const slots = [...Array<boolean>(medicationSentences).fill(true), ...Array<boolean>(fillers).fill(false)];
  const fillerSentences = rng.sample(FILLER_SENTENCES, fillers);
  b.beginProse();
  for (const isMedication of rng.sample(slots, slots.length)) {
    if (isMedication) rng.weighted(NARRATIVE_SENTENCES)(ctx, plan(), plan());
    else b.write(`${withPronouns(fillerSentences.pop() ?? '', ctx)} `);
  }
  b.trimEnd();
  b.endProse();
}

function withPronouns(sentence: string, ctx: WriteContext): string {
  const { subject, possessive } = ctx.pronouns;
  return sentence.replace('{He}', capitalize(subject)).replace('{His}', capitalize(possessive));
}

/** Hard-wrap prose, split mentions the wrap broke, maybe switch to CRLF, and number ids in reading order. */
function finishLayout(draft: Document, prose: AnnotatedText['wrappable'], rng: Rng): Document {
  const text = hardWrap(draft.text, prose, rng.between(60, 80));
  let doc: Document = {
    ...draft,
    text,
    entities: draft.entities.map((e) => splitFragmentsAtLineBreaks(text, e)),
  };
  if (rng.chance(CRLF_SHARE)) doc = toCrlf(doc);
  return numberInReadingOrder(doc);
}
