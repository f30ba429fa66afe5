#!/usr/bin/env node
/**
 * The `medrex` command line: a thin shell over the library. Each verb lives in `commands/<verb>.ts` and exports
 * `register(program)`; this file only wires them up and turns user errors into one-line messages.
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
    .showHelpAfterError('(run with --help for usage)')
    // Before registering verbs: subcommands copy this setting when they are created, so that a bad flag value
    // throws a CommanderError (exit code kept) instead of calling process.exit in the middle of a test run.
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (unknown option, missing argument, --help, --version).
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
