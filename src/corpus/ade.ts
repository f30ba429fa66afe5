/**
 * Reader for the ADE corpus (Gurulingappa et al. 2012), v2 distribution: `DRUG-AE.rel`, `DRUG-DOSE.rel`,
 * `ADE-NEG.txt` (see ../shared/data/README.md beside the repository and the corpus's README.txt).
 *
 * - One Document per distinct (PMID, sentence); its text is the sentence and its id `PMID-n`, n counting distinct
 *   sentences of that PMID from 1 in order of first appearance across DRUG-AE.rel, DRUG-DOSE.rel, ADE-NEG.txt
 *   (always all three when present, so an id does not depend on the options).
 * - Entity types `Drug`, `Adverse-Effect`, `Dose`; relation types `ADE-Drug` (Arg1 the effect, Arg2 the drug, as
 *   n2c2's ADE-Drug) and `Dose-Drug` (Arg1 the dose, Arg2 the drug). The standard benchmark is DRUG-AE only.
 * - The files give document-level offsets (the annotated document was `PMID\n\nTitle\n\nAbstract`), so each
 *   mention is found in its sentence by its text. When a text occurs several times, the occurrence whose offset
 *   agrees with the sentence's position in the document is chosen: each mention votes for where the sentence
 *   starts (document offset minus position in the sentence), the most-voted start wins. Ambiguous mentions and
 *   mentions that disagree with the winning start are counted.
 * - An entity named by several lines (one line per relation) becomes one entity: same type and same span.
 * - Relations whose two entities overlap (e.g. effect "digoxin toxicity", drug "digoxin") are kept and counted;
 *   published work drops them: use `dropOverlappingRelations`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MedrexError } from '../errors.js';
import { ReportCollector, type ReadReport } from './read-report.js';
import type { Document, Entity, Fragment, Relation } from './types.js';

export const ADE_TYPES = {
  drug: 'Drug',
  effect: 'Adverse-Effect',
  dose: 'Dose',
  adeRelation: 'ADE-Drug',
  doseRelation: 'Dose-Drug',
} as const;

export interface ReadAdeOptions {
  /** Add Dose entities and Dose-Drug relations from DRUG-DOSE.rel (its sentences are all in DRUG-AE.rel). */
  includeDose?: boolean;
  /** Add the sentences of ADE-NEG.txt as documents without annotations. */
  includeNegative?: boolean;
  lenient?: boolean;
}

export interface AdeCorpus {
  documents: Document[];
  /** Ten lists of document ids; all sentences of one article in one fold. */
  folds: string[][];
  report: ReadReport;
}

export const ADE_FOLDS = 10;

/** A mention as a line gives it: text and document-level offsets. */
interface Mention {
  type: string;
  text: string;
  docStart: number;
  line: number;
}

interface PendingRelation {
  type: string;
  arg1: Mention;
  arg2: Mention;
  line: number;
  file: string;
}

interface Sentence {
  pmid: string;
  text: string;
  id: string;
  relations: PendingRelation[];
  /** Included in the output (a DRUG-AE sentence, or a DOSE/NEG one when asked for). */
  included: boolean;
}

export async function readAdeCorpus(dir: string, opts: ReadAdeOptions = {}): Promise<AdeCorpus> {
  const collector = new ReportCollector(opts.lenient ?? false);
  const sentences = new SentenceIndex();
  const aeFile = join(dir, 'DRUG-AE.rel');
  const ae = await readLines(aeFile, true);
  readRelFile(aeFile, ae ?? [], ADE_TYPES.effect, ADE_TYPES.adeRelation, true, sentences, collector);
  const doseFile = join(dir, 'DRUG-DOSE.rel');
  const dose = await readLines(doseFile, opts.includeDose ?? false);
  if (dose)
    readRelFile(
      doseFile,
      dose,
      ADE_TYPES.dose,
      ADE_TYPES.doseRelation,
      opts.includeDose ?? false,
      sentences,
      collector,
    );
  const negFile = join(dir, 'ADE-NEG.txt');
  const neg = await readLines(negFile, opts.includeNegative ?? false);
  if (neg) readNegFile(negFile, neg, opts.includeNegative ?? false, sentences, collector);

  const documents: Document[] = [];
  for (const s of sentences.all()) {
    if (s.included) documents.push(buildDocument(s, collector));
  }
  const overlapping = documents.reduce((n, d) => n + overlappingRelations(d).length, 0);
  if (overlapping > 0) {
    collector.warn({
      rule: 'overlapping-relation',
      file: aeFile,
      message: `${overlapping} relations join entities that overlap each other (kept; see dropOverlappingRelations)`,
    });
    collector.report.countsByRule['overlapping-relation'] = overlapping;
  }
  return { documents, folds: adeFolds(documents, sentences.aePmids), report: collector.report };
}

/** Reads a file's lines; a missing required file is an error, a missing optional one is `undefined`. */
async function readLines(path: string, required: boolean): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (!required) return undefined;
    throw new MedrexError(`${path} not found (expected the ADE corpus: DRUG-AE.rel, DRUG-DOSE.rel, ADE-NEG.txt)`, {
      file: path,
      rule: 'path-not-found',
    });
  }
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Distinct sentences keyed by PMID and text, numbered per PMID in order of first appearance. */
class SentenceIndex {
  private readonly byKey = new Map<string, Sentence>();
  private readonly countByPmid = new Map<string, number>();
  readonly aePmids = new Set<string>();

  get(pmid: string, text: string): Sentence {
    const key = `${pmid}\u0000${text}`;
    let s = this.byKey.get(key);
    if (s === undefined) {
      const n = (this.countByPmid.get(pmid) ?? 0) + 1;
      this.countByPmid.set(pmid, n);
      s = { pmid, text, id: `${pmid}-${n}`, relations: [], included: false };
      this.byKey.set(key, s);
    }
    return s;
  }

  has(pmid: string, text: string): boolean {
    return this.byKey.has(`${pmid}\u0000${text}`);
  }

  all(): Sentence[] {
    return [...this.byKey.values()];
  }
}

function readRelFile(
  file: string,
  lines: string[],
  firstType: string,
  relationType: string,
  include: boolean,
  sentences: SentenceIndex,
  collector: ReportCollector,
): void {
  lines.forEach((raw, i) => {
    const line = i + 1;
    const f = raw.split('|');
    const offsetsOk = [3, 4, 6, 7].every((k) => /^\d+$/.test(f[k] ?? ''));
    if (f.length !== 8 || !/^\d+$/.test(f[0]) || !offsetsOk) {
      // A file read only to number sentences (not included) has its problems ignored: the user did not ask for it.
      if (include)
        collector.fail({
          rule: 'malformed-line',
          file,
          line,
          raw,
          message: 'expected PMID|sentence|mention|begin|end|drug|begin|end',
        });
      return;
    }
    for (const [text, b, e] of [
      [f[2], f[3], f[4]],
      [f[5], f[6], f[7]],
    ]) {
      if (Number(e) - Number(b) !== text.length) {
        if (include)
          collector.fail({
            rule: 'bad-offsets',
            file,
            line,
            raw,
            message: `${JSON.stringify(text)}: offsets ${b}-${e} do not span its length ${text.length}`,
          });
        return;
      }
    }
    const s = sentences.get(f[0], f[1]);
    if (relationType === ADE_TYPES.adeRelation) sentences.aePmids.add(f[0]);
    if (!include) return;
    s.included = true;
    s.relations.push({
      type: relationType,
      arg1: { type: firstType, text: f[2], docStart: Number(f[3]), line },
      arg2: { type: ADE_TYPES.drug, text: f[5], docStart: Number(f[6]), line },
      line,
      file,
    });
  });
}

function readNegFile(
  file: string,
  lines: string[],
  include: boolean,
  sentences: SentenceIndex,
  collector: ReportCollector,
): void {
  lines.forEach((raw, i) => {
    const m = /^(\d+) NEG (.*)$/.exec(raw);
    if (m === null) {
      if (include)
        collector.fail({ rule: 'malformed-line', file, line: i + 1, raw, message: 'expected "PMID NEG sentence"' });
      return;
    }
    if (include && sentences.has(m[1], m[2])) {
      collector.warn({
        rule: 'duplicate-sentence',
        file,
        line: i + 1,
        message: `sentence already read for PMID ${m[1]}`,
      });
    }
    const s = sentences.get(m[1], m[2]);
    if (include) s.included = true;
  });
}

/** All start positions of `needle` in `hay`. */
function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i >= 0 && needle !== ''; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/**
 * Where the sentence starts in its document, voted by its mentions: a mention found k times gives 1/k vote to
 * each start it implies. Ties go to the smaller start (deterministic).
 */
function sentenceStart(mentions: Mention[], found: Map<Mention, number[]>): number | undefined {
  const votes = new Map<number, number>();
  for (const m of mentions) {
    const occ = found.get(m) ?? [];
    for (const o of occ) votes.set(m.docStart - o, (votes.get(m.docStart - o) ?? 0) + 1 / occ.length);
  }
  let best: number | undefined;
  let bestVotes = -1;
  for (const [start, v] of votes) {
    if (v > bestVotes + 1e-9 || (Math.abs(v - bestVotes) <= 1e-9 && start < (best as number))) {
      best = start;
      bestVotes = v;
    }
  }
  return best;
}

function buildDocument(s: Sentence, collector: ReportCollector): Document {
  const mentions = s.relations.flatMap((r) => [r.arg1, r.arg2]);
  const found = new Map(mentions.map((m) => [m, occurrences(s.text, m.text)] as const));
  const start = sentenceStart(mentions, found);

  const entities = new Map<string, Entity>();
  const entityFor = (m: Mention, file: string): Entity | undefined => {
    const occ = found.get(m) ?? [];
    if (occ.length === 0) {
      collector.fail({
        rule: 'mention-not-found',
        file,
        line: m.line,
        message: `${JSON.stringify(m.text)} does not occur in its sentence (document ${s.id})`,
      });
      return undefined;
    }
    // Pick the occurrence whose implied sentence start is closest to the voted one (equal when they agree).
    const pick = occ.reduce((a, b) =>
      Math.abs(m.docStart - b - (start ?? 0)) < Math.abs(m.docStart - a - (start ?? 0)) ? b : a,
    );
    if (occ.length > 1)
      collector.warn({
        rule: 'ambiguous-mention',
        file,
        line: m.line,
        message: `${JSON.stringify(m.text)} occurs ${occ.length} times in document ${s.id}; chose offset ${pick}`,
      });
    if (m.docStart - pick !== start) {
      collector.warn({
        rule: 'offset-disagreement',
        file,
        line: m.line,
        message: `${JSON.stringify(m.text)} in document ${s.id}: its document offset ${m.docStart} disagrees with the other mentions`,
      });
    }
    const key = `${m.type}\u0000${pick}`;
    let e = entities.get(key);
    if (e === undefined) {
      e = { id: '', type: m.type, fragments: [{ start: pick, end: pick + m.text.length }], text: m.text };
      entities.set(key, e);
    }
    return e;
  };

  const resolved: { type: string; arg1: Entity; arg2: Entity; file: string; line: number }[] = [];
  for (const r of s.relations) {
    const a1 = entityFor(r.arg1, r.file);
    const a2 = entityFor(r.arg2, r.file);
    if (a1 && a2) resolved.push({ type: r.type, arg1: a1, arg2: a2, file: r.file, line: r.line });
  }
  // Ids by position so they are stable whatever the line order: T1 is the leftmost entity.
  const ordered = [...entities.values()].sort(
    (a, b) =>
      a.fragments[0].start - b.fragments[0].start ||
      a.fragments[0].end - b.fragments[0].end ||
      (a.type < b.type ? -1 : 1),
  );
  ordered.forEach((e, i) => (e.id = `T${i + 1}`));

  const relations: Relation[] = [];
  const seen = new Set<string>();
  for (const r of resolved) {
    const key = `${r.type}\u0000${r.arg1.id}\u0000${r.arg2.id}`;
    if (seen.has(key)) {
      collector.warn({
        rule: 'duplicate-relation',
        file: r.file,
        line: r.line,
        message: `same relation already read for document ${s.id}`,
      });
      continue;
    }
    seen.add(key);
    relations.push({ id: `R${relations.length + 1}`, type: r.type, arg1: r.arg1.id, arg2: r.arg2.id });
  }
  return { id: s.id, text: s.text, entities: ordered, relations };
}

/** The PubMed article of an ADE document id (`PMID-n`): the unit its folds keep together. */
export function adeArticleOf(id: string): string {
  const dash = id.lastIndexOf('-');
  return dash > 0 ? id.slice(0, dash) : id;
}

/** Folds by article: DRUG-AE PMIDs sorted numerically, rank r to fold r mod 10; other PMIDs continue the ranks. */
function adeFolds(documents: Document[], aePmids: Set<string>): string[][] {
  const pmidOf = adeArticleOf;
  const numeric = (a: string, b: string): number => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  const others = new Set(documents.map((d) => pmidOf(d.id)).filter((p) => !aePmids.has(p)));
  const rank = new Map<string, number>();
  for (const p of [...[...aePmids].sort(numeric), ...[...others].sort(numeric)]) rank.set(p, rank.size);
  const folds: string[][] = Array.from({ length: ADE_FOLDS }, () => []);
  for (const d of documents) folds[(rank.get(pmidOf(d.id)) as number) % ADE_FOLDS].push(d.id);
  return folds;
}

function overlaps(a: Fragment[], b: Fragment[]): boolean {
  return a.some((x) => b.some((y) => x.start < y.end && y.start < x.end));
}

/** Relations of `doc` whose two argument entities share at least one character. */
export function overlappingRelations(doc: Document): Relation[] {
  const byId = new Map(doc.entities.map((e) => [e.id, e]));
  return doc.relations.filter((r) => {
    const a = byId.get(r.arg1);
    const b = byId.get(r.arg2);
    return a !== undefined && b !== undefined && overlaps(a.fragments, b.fragments);
  });
}

/**
 * The benchmark convention (Li et al. 2017 and later): drop relations whose entities overlap. Entities that took
 * part only in dropped relations are dropped too, unless `keepEntities`. Returns new documents; the input is not
 * modified.
 */
export function dropOverlappingRelations(docs: readonly Document[], opts: { keepEntities?: boolean } = {}): Document[] {
  return docs.map((d) => {
    const dropped = overlappingRelations(d);
    if (dropped.length === 0) return d;
    const relations = d.relations.filter((r) => !dropped.includes(r));
    if (opts.keepEntities) return { ...d, relations };
    const stillUsed = new Set(relations.flatMap((r) => [r.arg1, r.arg2]));
    const orphaned = new Set(dropped.flatMap((r) => [r.arg1, r.arg2]).filter((id) => !stillUsed.has(id)));
    return { ...d, relations, entities: d.entities.filter((e) => !orphaned.has(e.id)) };
  });
}
