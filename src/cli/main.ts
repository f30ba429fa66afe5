#!/usr/bin/env node
/**
 * The `medrex` command line: a thin shell over the library. Each verb lives in `commands/<verb>.ts` and exports
 * `register(program)`; this file only wires them up and turns user errors into one-line messages of one shape,
 * `medrex: error: [file[:line]: ]message [rule]`, whether the arguments are wrong (commander's errors, reported here
 * instead of by commander) or the input is (MedrexError). A mistyped option is reported as unknown before any
 * required option is reported missing, since the typo is usually why the required one is missing.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { MedrexError } from '../errors.js';
import { fsError } from '../fs-errors.js';
import { COMMANDS } from './commands/index.js';
import { describeInternalError } from './internal-error.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('medrex')
    .description('Clinical medication extraction: corpora, NER + relation models, and the parameter-sharing study.')
    .version('0.1.0')
    // Before registering verbs: subcommands copy these settings when they are created, so that a bad flag value
    // throws a CommanderError (exit code kept) instead of calling process.exit in the middle of a test run, and
    // its message reaches the user once, in main's shape, instead of commander's.
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    checkUnknownOptions(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0 and their output already written.
      if (err.exitCode === 0 || err.code === 'commander.help' || err.code === 'commander.helpDisplayed') return err.exitCode;
      process.stderr.write(`medrex: error: ${argumentError(err, program, argv).describe()}\n`);
      return err.exitCode;
    }
    // A file-system error no verb caught (a full disk, a folder made read-only meanwhile) is one line too.
    const user = fsError(err);
    if (user instanceof MedrexError) {
      process.stderr.write(`medrex: error: ${user.describe()}\n`);
      return 1;
    }
    throw err;
  }
}

/** Rules for commander's error codes (`commander.unknownOption` -> `unknown-option`, and so on). */
const ARGUMENT_RULES: Record<string, string> = {
  'commander.missingMandatoryOptionValue': 'missing-option',
  'commander.optionMissingArgument': 'missing-value',
};

/** A commander error as a MedrexError: its message without commander's "error: ", a rule, and where to look. */
function argumentError(err: CommanderError, program: Command, argv: readonly string[]): MedrexError {
  const verb = program.commands.find((c) => c.name() === argv[0]);
  const rule = ARGUMENT_RULES[err.code] ?? err.code.replace(/^commander\./, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const message = err.message.replace(/^error: /, '').replace(/\n+/g, ' ').trim();
  return new MedrexError(`${message} (run medrex ${verb ? `${verb.name()} ` : ''}--help for usage)`, { rule });
}

/**
 * Commander reports a missing required option before an unknown one, so `--output x` (for `--out`) would say that
 * `--out` is missing. Check the verb's options first: the first token that looks like an option and is none of the
 * verb's is reported as unknown, with the nearest option's name when one is close.
 */
function checkUnknownOptions(program: Command, argv: readonly string[]): void {
  const verb = program.commands.find((c) => c.name() === argv[0]);
  if (!verb) return;
  const known = new Map<string, boolean>(); // flag -> takes a value
  for (const o of verb.options) for (const flag of [o.long, o.short]) if (flag) known.set(flag, o.required || o.optional);
  known.set('--help', false).set('-h', false);
  for (let i = 1; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') return;
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) continue;
    const flag = token.includes('=') ? token.slice(0, token.indexOf('=')) : token;
    const takesValue = known.get(flag);
    if (takesValue === undefined) {
      const near = nearest(flag, [...known.keys()].filter((k) => k.startsWith('--')));
      throw new CommanderError(1, 'commander.unknownOption', `unknown option '${flag}'${near ? `; did you mean ${near}?` : ''}`);
    }
    if (takesValue && !token.includes('=')) i += 1; // its value may itself start with "-"
  }
}

/** The flag closest to `typed` (a prefix either way, or at most 2 edits), if any. */
function nearest(typed: string, flags: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length];
  };
  const scored = flags
    .map((flag) => ({ flag, d: typed.startsWith(flag) || flag.startsWith(typed) ? 0 : distance(typed, flag) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d || a.flag.length - b.flag.length);
  return scored[0]?.flag;
}

// Run only when executed as a script, not when imported by tests.
// (npm's bin links are symlinks, hence realpath.)
const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${describeInternalError(err)}\n`);
      process.exitCode = 2;
    },
  );
}
