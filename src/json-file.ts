/**
 * Reading JSON config files for users: one place that turns a missing file, bad JSON or a non-object into a
 * MedrexError naming the file and line, and finds the line of a key so that validation errors can point at it.
 * Used by the model config (`src/models/config.ts`) and the study config (`src/study/config.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { MedrexError } from './errors.js';

/**
 * Reads `path` as a JSON object. `what` names the file in messages (`config`, `study config`); errors carry the
 * rules `${rulePrefix}-missing` and `${rulePrefix}-json`. Returns the parsed object and the source text.
 */
export function readJsonObjectFile(
  path: string,
  what: string,
  rulePrefix: string,
): { json: Record<string, unknown>; text: string } {
  if (!existsSync(path)) throw new MedrexError(`${what} file not found`, { file: path, rule: `${rulePrefix}-missing` });
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MedrexError(`${what} is not valid JSON: ${(err as Error).message}`, {
      file: path,
      line: 1,
      rule: `${rulePrefix}-json`,
    });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new MedrexError(`${what} must be a JSON object`, { file: path, line: 1, rule: `${rulePrefix}-json` });
  }
  return { json: json as Record<string, unknown>, text };
}

/** 1-based line where `"key"` first appears in a JSON text, or undefined. */
export function lineOfKey(text: string | undefined, key: string): number | undefined {
  if (text === undefined || key === '') return undefined;
  const at = text.indexOf(`"${key}"`);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
