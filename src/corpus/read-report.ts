/**
 * What a corpus reader found wrong. In strict mode (the default) the first error is thrown as a MedrexError; in
 * lenient mode it is recorded here and the bad line or document skipped, so a cleaning step can see exactly what was
 * dropped or repaired. Harmless oddities (blank lines, skipped event lines) are recorded in both modes.
 */
import { MedrexError } from '../errors.js';

export interface ReadWarning {
  /** Rule name, e.g. `text-mismatch`, `duplicate-id`, `blank-line`. */
  rule: string;
  file: string;
  /** 1-based line number in `file`, when the problem is on one line. */
  line?: number;
  message: string;
  /** The offending line as written, for skipped lines. */
  raw?: string;
  /** For `text-mismatch`: the entity, its text field as written, and the source characters it was given instead. */
  entityId?: string;
  written?: string;
  source?: string;
}

export interface ReadReport {
  warnings: ReadWarning[];
  countsByRule: Record<string, number>;
}

export function emptyReport(): ReadReport {
  return { warnings: [], countsByRule: {} };
}

/** Collects warnings; `fail` throws unless lenient. */
export class ReportCollector {
  readonly report: ReadReport = emptyReport();

  constructor(readonly lenient: boolean) {}

  /** Records something harmless (in both modes). */
  warn(w: ReadWarning): void {
    this.report.warnings.push(w);
    this.report.countsByRule[w.rule] = (this.report.countsByRule[w.rule] ?? 0) + 1;
  }

  /** An error in the input: thrown in strict mode, recorded in lenient mode (the caller then skips the item). */
  fail(w: ReadWarning): void {
    if (!this.lenient) throw new MedrexError(w.message, { file: w.file, line: w.line, rule: w.rule });
    this.warn(w);
  }

  merge(other: ReadReport): void {
    for (const w of other.warnings) this.warn(w);
  }
}
