import { describe, expect, it } from 'vitest';
import { outerSpan, textOfFragments, type Document, type Entity } from '../types.js';
import { countAnnotations, generateCorpus, splitTrainTest } from './index.js';

const ENTITY_TYPES = ['Drug', 'Strength', 'Dosage', 'Duration', 'Frequency', 'Form', 'Route', 'Reason', 'ADE'];
const RELATION_TYPES = ENTITY_TYPES.filter((t) => t !== 'Drug').map((t) => `${t}-Drug`);

// Most checks run on short notes (fast; the same phenomena); the long default is checked below.
const corpus = generateCorpus({ docs: 20, seed: 13, length: 'short' });

function byId(doc: Document): Map<string, Entity> {
  return new Map(doc.entities.map((e) => [e.id, e]));
}

/** Text strictly between two entities' outer spans (empty if they overlap). */
function gapBetween(doc: Document, a: Entity, b: Entity): string {
  const [x, y] = [outerSpan(a), outerSpan(b)].sort((p, q) => p.start - q.start);
  return x.end < y.start ? doc.text.slice(x.end, y.start) : '';
}

describe('generateCorpus: determinism', () => {
  it('gives byte-identical output for the same seed', () => {
    expect(JSON.stringify(generateCorpus({ docs: 20, seed: 13, length: 'short' }))).toBe(JSON.stringify(corpus));
  });

  it('gives different text for another seed', () => {
    const other = generateCorpus({ docs: 20, seed: 14, length: 'short' });
    expect(other.map((d) => d.text)).not.toEqual(corpus.map((d) => d.text));
  });

  it('makes a smaller corpus a prefix of a larger one (document i depends only on seed and i)', () => {
    expect(JSON.stringify(generateCorpus({ docs: 5, seed: 13, length: 'short' }))).toBe(JSON.stringify(corpus.slice(0, 5)));
  });

  it('rejects a non-integer size', () => {
    expect(() => generateCorpus({ docs: 2.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateCorpus({ docs: -1, seed: 1 })).toThrow(RangeError);
  });
});

describe('generateCorpus: length', () => {
  const long = generateCorpus({ docs: 6, seed: 13 });

  it('short keeps the notes of earlier versions (200 documents, seed 13: 21,960 entities, 16,792 relations)', () => {
    const counts = countAnnotations(generateCorpus({ docs: 200, seed: 13, length: 'short' }));
    expect([counts.entities, counts.relations]).toEqual([21960, 16792]);
  });

  it('long is the default: discharge-summary length, medication lists and narrative, 100+ entities a note', () => {
    expect(JSON.stringify(generateCorpus({ docs: 6, seed: 13, length: 'long' }))).toBe(JSON.stringify(long));
    expect(JSON.stringify(generateCorpus({ docs: 2, seed: 13 }))).toBe(JSON.stringify(long.slice(0, 2)));
    for (const doc of long) {
      const words = doc.text.split(/\s+/).filter((w) => w.length > 0).length;
      expect(words).toBeGreaterThan(1500); // ~2,900 medrex tokens (punctuation split off)
      expect(doc.entities.length).toBeGreaterThan(200);
      expect(doc.text).toMatch(/Pertinent Results:|PERTINENT RESULTS:/);
      expect(doc.text).toMatch(/Discharge Medications:|DISCHARGE MEDICATIONS:/);
      expect(doc.text).toMatch(/Brief Hospital Course:|BRIEF HOSPITAL COURSE:/);
      for (const e of doc.entities) expect(e.text).toBe(textOfFragments(doc.text, e.fragments));
      const ids = new Set(doc.entities.map((e) => e.id));
      for (const r of doc.relations) expect(ids.has(r.arg1) && ids.has(r.arg2)).toBe(true);
    }
  });
});

describe('generateCorpus: annotations are consistent with the text', () => {
  it("every entity's text equals its fragments' characters joined by one space; no fragment crosses a line", () => {
    let checked = 0;
    for (const doc of corpus) {
      for (const e of doc.entities) {
        expect(e.text).toBe(textOfFragments(doc.text, e.fragments));
        for (const f of e.fragments) {
          const piece = doc.text.slice(f.start, f.end);
          expect(piece.length).toBeGreaterThan(0);
          expect(piece).not.toMatch(/[\r\n]/);
          expect(piece).toBe(piece.trim());
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('numbers entities T1..Tn and relations R1..Rm, and every relation argument exists', () => {
    for (const doc of corpus) {
      expect(doc.entities.map((e) => e.id)).toEqual(doc.entities.map((_, i) => `T${i + 1}`));
      expect(doc.relations.map((r) => r.id)).toEqual(doc.relations.map((_, i) => `R${i + 1}`));
      const ids = byId(doc);
      for (const r of doc.relations) {
        expect(ids.has(r.arg1)).toBe(true);
        expect(ids.has(r.arg2)).toBe(true);
      }
    }
  });

  it('types each relation <Arg1 type>-Drug with a Drug as Arg2', () => {
    for (const doc of corpus) {
      const ids = byId(doc);
      for (const r of doc.relations) {
        const [arg1, arg2] = [ids.get(r.arg1)!, ids.get(r.arg2)!];
        expect(arg2.type).toBe('Drug');
        expect(r.type).toBe(`${arg1.type}-Drug`);
      }
    }
  });
});

describe('generateCorpus: coverage of the phenomena of the task', () => {
  it('has all nine entity types and all eight relation types, at least 20 of each', () => {
    const counts = countAnnotations(corpus);
    for (const t of ENTITY_TYPES) expect(counts.entitiesByType[t] ?? 0).toBeGreaterThanOrEqual(20);
    for (const t of RELATION_TYPES) expect(counts.relationsByType[t] ?? 0).toBeGreaterThanOrEqual(20);
    expect(Object.keys(counts.entitiesByType).sort()).toEqual([...ENTITY_TYPES].sort());
    expect(Object.keys(counts.relationsByType).sort()).toEqual([...RELATION_TYPES].sort());
  });

  it('keeps 15 to 40 drug mentions per note', () => {
    for (const doc of corpus) {
      const drugs = doc.entities.filter((e) => e.type === 'Drug').length;
      expect(drugs).toBeGreaterThanOrEqual(15);
      expect(drugs).toBeLessThanOrEqual(40);
    }
  });

  it('has relations across a line break and relations across a sentence boundary', () => {
    let acrossLines = 0;
    let acrossSentences = 0;
    for (const doc of corpus) {
      const ids = byId(doc);
      for (const r of doc.relations) {
        const gap = gapBetween(doc, ids.get(r.arg1)!, ids.get(r.arg2)!);
        if (/\n/.test(gap)) acrossLines++;
        if (/[a-z\])]\. +[A-Z]/.test(gap)) acrossSentences++;
      }
    }
    expect(acrossLines).toBeGreaterThan(20);
    expect(acrossSentences).toBeGreaterThan(5);
  });

  it('has discontinuous mentions, including ones whose gap is not just a line break (e.g. `20 or 40 mg`)', () => {
    const discontinuous = corpus.flatMap((doc) =>
      doc.entities.filter((e) => e.fragments.length > 1).map((e) => ({ doc, e })),
    );
    expect(discontinuous.length).toBeGreaterThan(10);
    const genuine = discontinuous.filter(({ doc, e }) =>
      e.fragments.slice(1).some((f, i) => /\S/.test(doc.text.slice(e.fragments[i].end, f.start))),
    );
    const types = new Set(genuine.map(({ e }) => e.type));
    expect(types.has('Strength')).toBe(true);
    expect(types.has('Frequency')).toBe(true);
  });

  it('has overlapping mentions: a Drug inside a Drug, a Reason inside a Drug, a Drug inside an ADE', () => {
    const kinds = new Set<string>();
    for (const doc of corpus) {
      for (const inner of doc.entities) {
        for (const outer of doc.entities) {
          if (inner === outer) continue;
          const [i, o] = [outerSpan(inner), outerSpan(outer)];
          if (o.start <= i.start && i.end <= o.end && o.end - o.start > i.end - i.start) {
            kinds.add(`${inner.type} in ${outer.type}`);
          }
        }
      }
    }
    expect(kinds).toContain('Drug in Drug');
    expect(kinds).toContain('Reason in Drug');
    expect(kinds).toContain('Drug in ADE');
  });

  it('has one drug with several attributes and one attribute shared by several drugs', () => {
    let drugWithFivePlus = 0;
    let sharedAttributes = 0;
    for (const doc of corpus) {
      const perDrug = new Map<string, number>();
      const perAttribute = new Map<string, number>();
      for (const r of doc.relations) {
        perDrug.set(r.arg2, (perDrug.get(r.arg2) ?? 0) + 1);
        perAttribute.set(r.arg1, (perAttribute.get(r.arg1) ?? 0) + 1);
      }
      drugWithFivePlus += [...perDrug.values()].filter((n) => n >= 5).length;
      sharedAttributes += [...perAttribute.values()].filter((n) => n >= 2).length;
    }
    expect(drugWithFivePlus).toBeGreaterThan(20);
    expect(sharedAttributes).toBeGreaterThan(3);
  });

  it('has drugs with no relation at all (allergies, held or stopped drugs)', () => {
    const lonely = corpus.flatMap((doc) => {
      const related = new Set(doc.relations.flatMap((r) => [r.arg1, r.arg2]));
      return doc.entities.filter((e) => e.type === 'Drug' && !related.has(e.id));
    });
    expect(lonely.length).toBeGreaterThan(20);
  });

  it('uses the same words as Reason in one place and ADE in another', () => {
    const reasons = new Set(corpus.flatMap((d) => d.entities.filter((e) => e.type === 'Reason').map((e) => e.text.toLowerCase())));
    const ades = new Set(corpus.flatMap((d) => d.entities.filter((e) => e.type === 'ADE').map((e) => e.text.toLowerCase())));
    const both = [...ades].filter((t) => reasons.has(t));
    expect(both.length).toBeGreaterThanOrEqual(3);
  });

  it('writes some documents with CRLF line endings and the rest with LF only', () => {
    const crlf = corpus.filter((d) => d.text.includes('\r\n'));
    expect(crlf.length).toBeGreaterThan(0);
    expect(crlf.length).toBeLessThan(corpus.length);
    // A CRLF document has no bare LF, an LF document no CR at all.
    for (const d of crlf) expect(d.text).not.toMatch(/[^\r]\n/);
    for (const d of corpus.filter((x) => !crlf.includes(x))) expect(d.text).not.toContain('\r');
  });

  it('carries the discharge-summary layout and some noisy drug names', () => {
    for (const doc of corpus) {
      expect(doc.text).toMatch(/^Admission Date: {2}\[\*\*\d{4}-\d{1,2}-\d{1,2}\*\*\]/);
      expect(doc.text).toMatch(/discharge medications:\r?\n1\. /i);
      expect(doc.text).toMatch(/brief hospital course:/i);
      expect(doc.text).toMatch(/discharge instructions:/i);
    }
    const drugNames = corpus.flatMap((d) => d.entities.filter((e) => e.type === 'Drug').map((e) => e.text));
    expect(drugNames.some((n) => n.length > 4 && n === n.toUpperCase() && /[A-Z]{5}/.test(n))).toBe(true);
    expect(new Set(drugNames.map((n) => n.toLowerCase())).size).toBeGreaterThan(150);
  });
});

describe('splitTrainTest', () => {
  it('cuts at 80% by position', () => {
    const { train, test } = splitTrainTest([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(train).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(test).toEqual([9, 10]);
  });
});
