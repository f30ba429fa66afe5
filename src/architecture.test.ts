/**
 * The import boundaries of ARCHITECTURE.md are a lint rule (eslint/boundaries.js), and `npm test` lints first.
 * These tests lint deliberate violations with the project's own configuration and expect them to fail.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('import boundaries (eslint/boundaries.js)', () => {
  it.each([
    ['the engine importing models', 'src/engine/violation.ts', "import { train } from '../models/train.js';\n"],
    ['the corpus importing text', 'src/corpus/violation.ts', "import { tokenize } from '../text/tokenize.js';\n"],
    ['text importing the engine', 'src/text/violation.ts', "import { Graph } from '../engine/tensor.js';\n"],
    ['models importing the study', 'src/models/violation.ts', "import { runStudy } from '../study/study.js';\n"],
    ['the api importing the server', 'src/api/violation.ts', "const server = await import('../server/app.js');\n"],
    ['the engine importing the bench in a test', 'src/engine/violation.test.ts', "import { PEER_TAGGER } from '../bench/tagger-step.js';\n"],
    ['library code importing a test helper', 'src/text/violation.ts', "import { noteWith } from './test-helpers/notes.js';\n"],
  ])('fails %s', async (_what, file, code) => {
    expect(await ruleIds(file, `${code}export const x = 1;\n`)).toContain('medrex/boundaries');
  });

  it('fails a barrel: only src/index.ts re-exports', async () => {
    expect(await ruleIds('src/models/index.ts', "export { train } from './train.js';\n")).toContain('medrex/no-reexports');
    expect(await ruleIds('src/index.ts', "export { train } from './models/train.js';\n")).toEqual([]);
  });

  it('passes imports that go down the layers', async () => {
    const code = "import { MedrexError } from '../errors.js';\nimport { tokenize } from '../text/tokenize.js';\n" +
      "import type { Document } from '../corpus/types.js';\nexport const x = [MedrexError, tokenize] as const;\nexport type D = Document;\n";
    expect(await ruleIds('src/models/fine.ts', code)).toEqual([]);
  });
});
