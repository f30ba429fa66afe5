/**
 * Rule `text-mismatch`: an entity whose text field disagreed with the characters at its offsets. The brat reader,
 * in lenient mode, already keeps such an entity with the source characters and reports what was written; this
 * rule turns those reports into cleaning changes. Switched off, the entity keeps the text as it was written, so
 * the output says what the input said.
 */
import type { Document } from '../types.js';
import type { ChangeLog } from './report.js';

/** One disagreement as the lenient reader saw it. */
export interface TextMismatch {
  /** Document id (as in Document.id). */
  document: string;
  /** Entity id. */
  entity: string;
  /** The text field as written in the annotation file. */
  written: string;
  /** The characters at the entity's offsets (joined by one space across fragments). */
  source: string;
  file?: string;
  line?: number;
}

export function applyTextMismatches(
  documents: Document[],
  mismatches: readonly TextMismatch[],
  enabled: boolean,
  log: ChangeLog,
): void {
  const byId = new Map(documents.map((d) => [d.id, d]));
  for (const m of mismatches) {
    const entity = byId.get(m.document)?.entities.find((e) => e.id === m.entity);
    if (!entity) continue;
    if (!enabled) {
      entity.text = m.written;
      continue;
    }
    entity.text = m.source;
    log.add({
      rule: 'text-mismatch',
      action: 'changed',
      document: m.document,
      annotation: m.entity,
      file: m.file,
      line: m.line,
      before: JSON.stringify(m.written),
      after: JSON.stringify(m.source),
    });
  }
}
