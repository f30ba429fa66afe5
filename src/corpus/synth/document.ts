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

/**
 * How long a note is. `long` (the default) resembles a real discharge summary: thousands of tokens, long medication
 * lists and a hospital course of many problems, 200-400 entities. `short` is the compact note of earlier versions
 * (~570 tokens, ~110 entities), byte for byte: fast tests use it.
 */
export type SynthLength = 'long' | 'short';
export const SYNTH_LENGTHS: readonly SynthLength[] = ['long', 'short'];

/** Ranges [min, max] of the generator's counts, per length. `short` keeps the draws of earlier versions exactly. */
const SIZES: Record<SynthLength, Record<string, [number, number]>> = {
  short: {
    classes: [4, 8],
    homeMeds: [3, 7],
    hpiMeds: [1, 3],
    hpiFillers: [1, 3],
    history: [2, 5],
    problems: [2, 4],
    problemMeds: [1, 3],
    problemFillers: [0, 2],
    newMeds: [3, 7],
    instructions: [2, 4],
  },
  long: {
    classes: [8, 14],
    homeMeds: [8, 14],
    hpiMeds: [4, 7],
    hpiFillers: [4, 8],
    history: [6, 12],
    problems: [10, 15],
    problemMeds: [3, 5],
    problemFillers: [3, 6],
    newMeds: [6, 12],
    instructions: [6, 10],
  },
};

export function generateDocument(id: string, seed: number, index: number, length: SynthLength = 'long'): Document {
  const rng = Rng.stream(seed, index);
  const size = SIZES[length];
  const draw = (what: string): number => rng.between(size[what][0], size[what][1]);
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
  const classes = rng.sample(DRUG_CLASSES, draw('classes'));
  const fromPatientClasses = () => planMedication(rng, rng.pick(classes));
  const homeMeds = Array.from({ length: draw('homeMeds') }, fromPatientClasses);

  writeHeader(ctx, female);
  writeAllergies(ctx, title);
  ctx.b.write(`\n${title('Chief Complaint')}\n${rng.pick(CHIEF_COMPLAINTS)}\n\n`);
  ctx.b.write(`${title('Major Surgical or Invasive Procedure')}\n${rng.pick(PROCEDURES)}\n\n`);

  ctx.b.write(`${title('History of Present Illness')}\n`);
  writeProse(ctx, draw('hpiMeds'), fromPatientClasses, draw('hpiFillers'));
  ctx.b.write(`\n\n${title('Past Medical History')}\n`);
  for (const problem of rng.sample(PROBLEMS, draw('history'))) ctx.b.write(`- ${problem}\n`);

  if (length === 'long') writeResults(ctx, title, rng.between(30, 60));

  ctx.b.write(`\n${title('Medications on Admission')}\n`);
  if (rng.chance(0.5)) writeAdmissionParagraph(ctx, homeMeds);
  else homeMeds.forEach((plan, i) => writeTerseItem(ctx, i + 1, plan));

  ctx.b.write(`\n${title('Brief Hospital Course')}\n`);
  for (const problem of rng.sample(PROBLEMS, draw('problems'))) {
    ctx.b.write(`# ${problem}: `);
    writeProse(ctx, draw('problemMeds'), fromPatientClasses, draw('problemFillers'));
    ctx.b.write('\n');
  }

  ctx.b.write(`\n${title('Discharge Medications')}\n`);
  const dischargeMeds = [
    ...homeMeds.filter(() => rng.chance(0.7)),
    ...Array.from({ length: draw('newMeds') }, fromPatientClasses),
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
  for (let i = draw('instructions'); i > 0; i--) rng.weighted(INSTRUCTION_SENTENCES)(ctx, fromPatientClasses());
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

/** Lab panels, one line per draw time: tokens without mentions, as in real discharge summaries. */
const LAB_PANELS: [string, number, number][][] = [
  [['WBC', 3, 15], ['RBC', 3, 5.5], ['Hgb', 8, 16], ['Hct', 25, 48], ['MCV', 78, 102], ['Plt Ct', 90, 450]],
  [['Glucose', 70, 250], ['UreaN', 6, 60], ['Creat', 0.5, 3.5], ['Na', 128, 148], ['K', 3, 5.6], ['Cl', 92, 110], ['HCO3', 18, 32]],
  [['ALT', 8, 120], ['AST', 10, 140], ['AlkPhos', 40, 200], ['TotBili', 0.2, 2.5], ['Albumin', 2.4, 4.8]],
  [['PT', 10, 25], ['PTT', 22, 60], ['INR(PT)', 0.9, 3.5]],
  [['Calcium', 7.8, 10.6], ['Phos', 2.2, 5.4], ['Mg', 1.5, 2.6]],
];

function writeResults(ctx: WriteContext, title: (text: string) => string, lines: number): void {
  const { b, rng } = ctx;
  b.write(`\n${title('Pertinent Results')}\n`);
  for (let i = 0; i < lines; i++) {
    const hour = rng.between(0, 11);
    const minute = rng.between(0, 59);
    const time = `${String(hour === 0 ? 12 : hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}${rng.chance(0.5) ? 'AM' : 'PM'}`;
    const panel = rng.pick(LAB_PANELS)
      .map(([name, lo, hi]) => {
        const value = lo + rng.next() * (hi - lo);
        const flag = value < lo + 0.1 * (hi - lo) || value > hi - 0.1 * (hi - lo) ? '*' : '';
        return `${name}-${value.toFixed(hi < 10 ? 1 : 0)}${flag}`;
      })
      .join(' ');
    b.write(`${dateTag(ctx, rng.between(0, 10))} ${time} BLOOD ${panel}\n`);
  }
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
