/**
 * Errors that a user can act on: bad input files, bad flags, missing paths.
 *
 * The CLI prints these as one line (`file:line: message [rule]`) and exits non-zero; anything else is a bug and
 * keeps its stack trace. Every module that validates user input throws a MedrexError.
 */
export class MedrexError extends Error {
  /** File the problem is in, if there is one. */
  readonly file?: string;
  /** 1-based line number inside `file`, if known. */
  readonly line?: number;
  /** Short name of the rule the input broke, e.g. `entity-offsets-past-end`. */
  readonly rule?: string;
  /** What gets past it (a command or a flag), printed after the message on the same line. */
  readonly hint?: string;

  constructor(message: string, where: { file?: string; line?: number; rule?: string; hint?: string } = {}) {
    super(message);
    this.name = 'MedrexError';
    this.file = where.file;
    this.line = where.line;
    this.rule = where.rule;
    this.hint = where.hint;
  }

  /** One-line description for humans: `path/to/x.ann:12: message [rule]; hint`. */
  describe(): string {
    const place = this.file ? `${this.file}${this.line !== undefined ? `:${this.line}` : ''}: ` : '';
    const rule = this.rule ? ` [${this.rule}]` : '';
    const hint = this.hint ? `; ${this.hint}` : '';
    return `${place}${this.message}${rule}${hint}`;
  }
}
