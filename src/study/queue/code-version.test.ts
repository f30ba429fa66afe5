import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeFingerprint, distDirectory, hashTree } from './code-version.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'medrex-code-version-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('code fingerprint', () => {
  it('hashes paths and contents, not file order or source maps', () => {
    const a = tree({ 'cli/main.js': 'x', 'engine/k.js': 'y', 'engine/k.js.map': '{"sources":["/home/a"]}' });
    const b = tree({ 'engine/k.js': 'y', 'cli/main.js': 'x', 'engine/k.js.map': '{"sources":["/home/b"]}' });
    expect(hashTree(a)).toBe(hashTree(b));
    expect(hashTree(a)).toMatch(/^[0-9a-f]{64}$/);
    // One changed byte, or the same content under another name, is other code.
    expect(hashTree(tree({ 'cli/main.js': 'X', 'engine/k.js': 'y' }))).not.toBe(hashTree(a));
    expect(hashTree(tree({ 'cli/main2.js': 'x', 'engine/k.js': 'y' }))).not.toBe(hashTree(a));
  });

  it('covers dist/ and the WebAssembly kernels in build/ next to it', () => {
    const root = tree({ 'dist/cli/main.js': 'x', 'build/kernels.wasm': 'w1' });
    const first = codeFingerprint(join(root, 'dist'));
    expect(first).toMatch(/^\d+\.\d+\.\d+[^+]*\+dist\.[0-9a-f]{12}$/);
    const other = tree({ 'dist/cli/main.js': 'x', 'build/kernels.wasm': 'w2' });
    expect(codeFingerprint(join(other, 'dist'))).not.toBe(first);
  });

  it('finds dist/ from the sources and from the built code', () => {
    expect(distDirectory(pathToFileURL('/repo/src/study/queue/code-version.ts').href)).toBe('/repo/dist');
    expect(distDirectory(pathToFileURL('/repo/dist/study/queue/code-version.js').href)).toBe('/repo/dist');
  });

  it('a missing dist/ is a user error that says to build', () => {
    expect(() => codeFingerprint(join(tmpdir(), 'no-such-medrex-dir', 'dist'))).toThrow(/npm run build/);
  });
});
