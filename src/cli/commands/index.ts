/**
 * The list of CLI verbs. Each module exports `register(program)`, adding one subcommand.
 * Add a line here when you add a verb.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
