/**
 * Builds one document's text and its annotations together, so that every offset is correct by construction:
 * callers append text piece by piece and mark the pieces that are mentions. Ids are provisional here; `layout.ts`
 * renumbers them in reading order once the text is final.
 */
import type { Entity, Fragment, Relation } from '../types.js';

export class AnnotatedText {
  private chunks: string[] = [];
  private length = 0;
  private nextEntity = 1;
  private nextRelation = 1;
  readonly entities: Entity[] = [];
  readonly relations: Relation[] = [];
  /** Ranges of narrative prose that may be hard-wrapped later (lists and headers are left as written). */
  readonly wrappable: Fragment[] = [];
  private wrapStart: number | undefined;

  get position(): number {
    return this.length;
  }

  /** The text written so far. */
  toString(): string {
    return this.chunks.join('');
  }

  /** Append plain text. */
  write(text: string): this {
    this.chunks.push(text);
    this.length += text.length;
    return this;
  }

  /** Append text and return where it landed, without annotating it (for pieces of a discontinuous mention). */
  span(text: string): Fragment {
    const start = this.length;
    this.write(text);
    return { start, end: this.length };
  }

  /** Append text and annotate it as one entity; returns the entity's id. */
  mention(type: string, text: string): string {
    return this.entity(type, [this.span(text)]);
  }

  /** Annotate already-written fragments (in the order given) as one entity; returns its id. */
  entity(type: string, fragments: Fragment[]): string {
    const text = this.toString();
    for (const f of fragments) {
      if (!(f.start >= 0 && f.end <= text.length && f.start < f.end)) {
        throw new RangeError(`fragment ${f.start}-${f.end} is outside the ${text.length} characters written`);
      }
    }
    const id = `T${this.nextEntity++}`;
    this.entities.push({
      id,
      type,
      fragments: fragments.map((f) => ({ ...f })),
      text: fragments.map((f) => text.slice(f.start, f.end)).join(' '),
    });
    return id;
  }

  /** Link an attribute mention to its drug: type `<AttributeType>-Drug`, Arg1 the attribute, Arg2 the drug. */
  relate(attributeId: string, drugId: string): void {
    const attribute = this.entities.find((e) => e.id === attributeId);
    if (!attribute) throw new RangeError(`no entity ${attributeId}`);
    this.relations.push({
      id: `R${this.nextRelation++}`,
      type: `${attribute.type}-Drug`,
      arg1: attributeId,
      arg2: drugId,
      arg1Role: 'Arg1',
      arg2Role: 'Arg2',
    });
  }

  /** Append an attribute mention and link it to a drug in one go; returns the attribute's id. */
  attribute(type: string, text: string, drugId: string): string {
    const id = this.mention(type, text);
    this.relate(id, drugId);
    return id;
  }

  /** Drop the spaces a sentence writer left at the very end (before a line break); never cuts into a mention. */
  trimEnd(): void {
    const text = this.toString();
    let end = text.length;
    while (end > 0 && text[end - 1] === ' ') end--;
    const lastMentionEnd = Math.max(0, ...this.entities.flatMap((e) => e.fragments.map((f) => f.end)));
    end = Math.max(end, lastMentionEnd);
    this.chunks = [text.slice(0, end)];
    this.length = end;
  }

  /** Start a run of prose that may be hard-wrapped. */
  beginProse(): void {
    this.wrapStart = this.length;
  }

  /** End the current run of prose. */
  endProse(): void {
    if (this.wrapStart !== undefined && this.wrapStart < this.length) {
      this.wrappable.push({ start: this.wrapStart, end: this.length });
    }
    this.wrapStart = undefined;
  }
}
