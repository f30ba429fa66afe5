/**
 * Every error the command prints has one shape, `medrex: error: [file[:line]: ]message [rule]`: argument errors
 * (commander's) as much as the tool's own, and a mistyped option is reported before the option it failed to give.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './test-helpers/run-cli.js';

const SHAPE = /^medrex: error: [^\n]+ \[[a-z0-9-]+\]\n$/;

describe('medrex errors', () => {
  it('reports a mistyped option as unknown, naming the nearest one, before a required option is missing', async () => {
    const { code, stderr } = await runCli(['predict', '--model', 'm', '--in', 'i', '--output', 'x']);
    expect(code).toBe(1);
    expect(stderr).toBe("medrex: error: unknown option '--output'; did you mean --out? (run medrex predict --help for usage) [unknown-option]\n");
  });

  it.each([
    [['predict', '--model', 'm', '--in', 'i'], /required option '--out <dir>' not specified .*\[missing-option\]/],
    [['synth', '--out', 'x', '--docs'], /option '--docs <n>' argument missing .*\[missing-value\]/],
    [['eval', 'gold'], /missing required argument 'pred_dir' .*\[missing-argument\]/],
    [['frobnicate'], /unknown command 'frobnicate' \(run medrex --help for usage\) \[unknown-command\]/],
    [['train', '--data', 'x', '--model', 'joint', '--out', 'y', '--threads', '99'], /--threads must be .* \[train-bad-flag\]/],
  ])('gives argument errors and the tool\'s own errors one shape: %j', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(1);
    expect(stderr).toMatch(SHAPE);
    expect(stderr).toMatch(message);
  });

  it('lets an option value start with a dash, and leaves --help alone', async () => {
    const negative = await runCli(['synth', '--out', 'x', '--seed', '-5', '--docs', 'many']);
    expect(negative.stderr).not.toMatch(/unknown option/);
    const help = await runCli(['predict', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: medrex predict');
    expect(help.stderr).toBe('');
  });
});
