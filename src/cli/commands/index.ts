/**
 * The list of CLI verbs. Each module exports `register(program)`, adding one subcommand.
 * Add a line here when you add a verb.
 */
import type { Command } from 'commander';
import { register as clean } from './clean.js';
import { register as stats } from './stats.js';
import { register as evaluate } from './eval.js';
import { register as synth } from './synth.js';
import { register as train } from './train.js';
import { register as pretrain } from './pretrain.js';
import { register as predict } from './predict.js';
import { register as study } from './study.js';
import { register as serve } from './serve.js';
import { register as worker } from './worker.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [clean, synth, evaluate, stats, pretrain, train, predict, study, serve, worker];
