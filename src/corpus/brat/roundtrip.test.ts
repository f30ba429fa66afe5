/**
 * Round trip: reading a valid `.ann` and serialising it must give back the same bytes. The random files are built
 * here as strings, independently of the writer, with the quirks real files have (out-of-order lines and fragments,
 * CRLF or mixed endings, no final newline, blank lines, events, a relation with brat's trailing tab, characters
 * outside the BMP in the text).
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../types.js';
import { parseAnn } from './parse.js';
import { serializeAnn } from './serialize.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['aspirin', '81', 'mg', 'PO', 'daily', 'for', 'pain', 'rash', 'é', '😀', 'x'];

interface Generated {
  text: string;
  ann: string;
  entityCount: number;
  relationCount: number;
}

function randomDocument(seed: number): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (n: number): number => Math.floor(r() * n);

  let text = '';
  const words: { start: number; end: number }[] = []; // code-point offsets
  let cp = 0;
  for (let i = 0, n = 3 + int(30); i < n; i++) {
    const w = pick(WORDS);
    words.push({ start: cp, end: cp + [...w].length });
    text += w;
    cp += [...w].length;
    const sep = pick([' ', ' ', ' ', '\n', '\r\n', ', ']);
    text += sep;
    cp += sep.length;
  }
  const chars = [...text];
  const slice = (s: number, e: number): string => chars.slice(s, e).join('');

  const lines: string[] = [];
  const entityIds: string[] = [];
  for (let i = 0, n = 1 + int(8); i < n; i++) {
    const frags = Array.from({ length: 1 + int(3) }, () => {
      const a = int(words.length);
      const b = Math.min(words.length - 1, a + int(3));
      return { start: words[a].start, end: words[b].end };
    });
    const id = `T${i + 1}`;
    entityIds.push(id);
    const field = frags
      .map((f) => slice(f.start, f.end))
      .join(' ')
      .replace(/[\r\n]/g, ' ');
    const spans = frags.map((f) => `${f.start} ${f.end}`).join(';');
    lines.push(`${id}\t${pick(['Drug', 'Strength', 'ADE'])} ${spans}\t${field}`);
  }
  let relationCount = 0;
  for (let i = 0, n = int(5); i < n; i++) {
    relationCount++;
    const trailing = r() < 0.3 ? '\t' : ''; // some brat versions end relation lines with a tab
    lines.push(`R${i + 1}\tRel-Type Arg1:${pick(entityIds)} Arg2:${pick(entityIds)}${trailing}`);
  }
  if (r() < 0.5) lines.push(`A1\tNegated ${pick(entityIds)}`);
  if (r() < 0.3) lines.push(`A2\tSeverity ${pick(entityIds)} High`);
  if (r() < 0.3) lines.push(`*\tEquiv ${pick(entityIds)} ${pick(entityIds)}`);
  if (r() < 0.3) lines.push(`#1\tAnnotatorNotes ${pick(entityIds)}\tsee 😀 here`);
  if (r() < 0.2) lines.push(`E1\tTreat:${pick(entityIds)}`);
  if (r() < 0.2) lines.push('');
  // Shuffle: brat files do not keep kinds together.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  const style = pick(['lf', 'crlf', 'mixed']);
  let ann = r() < 0.1 ? '\uFEFF' : '';
  lines.forEach((l, i) => {
    const last = i === lines.length - 1;
    const eol = style === 'lf' ? '\n' : style === 'crlf' ? '\r\n' : pick(['\n', '\r\n']);
    ann += l + (last && r() < 0.3 ? '' : eol);
  });
  return { text, ann, entityCount: entityIds.length, relationCount };
}

describe('brat round trip', () => {
  it('reproduces 500 random valid .ann files byte for byte', () => {
    let layoutMattered = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const g = randomDocument(seed);
      const parsed = parseAnn(g.ann, g.text, { file: `seed-${seed}.ann` });
      expect(parsed.entities.length, `seed ${seed}`).toBe(g.entityCount);
      expect(parsed.relations.length, `seed ${seed}`).toBe(g.relationCount);
      const doc: Document = { id: `d${seed}`, text: g.text, ...parsed };
      expect(serializeAnn(doc), `seed ${seed}`).toBe(g.ann);
      if (serializeAnn({ ...doc, annLayout: undefined }) !== g.ann) layoutMattered++;
    }
    // Guard against a generator that only makes canonical files (which would not test the layout at all).
    expect(layoutMattered).toBeGreaterThan(400);
  });

  it('writes an edited annotation from its fields and drops removed ones, keeping the rest as written', () => {
    const text = 'aspirin 81 mg';
    const ann =
      'R1\tStrength-Drug Arg1:T2 Arg2:T1\t\nT1\tDrug 0  7\taspirin\nT2\tStrength 8 13\t81 mg\nA1\tNegated T2\n';
    const doc: Document = { id: 'd', text, ...parseAnn(ann, text) };
    doc.entities[0] = { ...doc.entities[0], type: 'Medication' }; // edited: regenerated canonically
    doc.attributes = []; // removed
    doc.relations.push({ id: 'R2', type: 'Same', arg1: 'T1', arg2: 'T2' }); // added: appended
    expect(serializeAnn(doc)).toBe(
      'R1\tStrength-Drug Arg1:T2 Arg2:T1\t\nT1\tMedication 0 7\taspirin\nT2\tStrength 8 13\t81 mg\nR2\tSame Arg1:T1 Arg2:T2\n',
    );
  });

  it('writes documents built in memory in canonical order: T, R, A, *, #', () => {
    const doc: Document = {
      id: 'p',
      text: 'a\nb c',
      entities: [
        { id: 'T2', type: 'Y', fragments: [{ start: 4, end: 5 }], text: 'c' },
        {
          id: 'T1',
          type: 'X',
          fragments: [
            { start: 2, end: 3 },
            { start: 0, end: 1 },
          ],
          text: 'b a',
        },
        { id: 'T3', type: 'Z', fragments: [{ start: 0, end: 3 }], text: 'a\nb' },
      ],
      relations: [{ id: 'R1', type: 'X-Y', arg1: 'T1', arg2: 'T2', score: 0.9 }],
      notes: [{ id: '#1', type: 'AnnotatorNotes', target: 'T1', text: 'two\nlines' }],
      equivalences: [{ type: 'Equiv', members: ['T1', 'T3'] }],
      attributes: [{ id: 'A1', type: 'Negated', target: 'T2' }],
    };
    expect(serializeAnn(doc)).toBe(
      'T2\tY 4 5\tc\nT1\tX 2 3;0 1\tb a\nT3\tZ 0 3\ta b\nR1\tX-Y Arg1:T1 Arg2:T2\nA1\tNegated T2\n*\tEquiv T1 T3\n#1\tAnnotatorNotes T1\ttwo lines\n',
    );
  });

  it('refuses to write what brat could not read back', () => {
    const base: Document = { id: 'd', text: 'abc', entities: [], relations: [] };
    const entity = { id: 'T1', type: 'X', fragments: [{ start: 0, end: 1 }], text: 'a' };
    expect(() => serializeAnn({ ...base, entities: [{ ...entity, id: 'E1' }] })).toThrow(/not a valid brat id/);
    expect(() => serializeAnn({ ...base, entities: [{ ...entity, type: 'Two words' }] })).toThrow(/whitespace/);
    expect(() => serializeAnn({ ...base, entities: [{ ...entity, fragments: [{ start: 2, end: 9 }] }] })).toThrow(
      /outside the text/,
    );
    expect(() => serializeAnn({ ...base, entities: [entity, entity] })).toThrow(/used twice/);
  });
});
