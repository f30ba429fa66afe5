/**
 * The viewer's static files (written by `web/build.mjs`) and the model's own files, served from fixed folders.
 * Only plain file names (`[A-Za-z0-9._-]`, no leading dot) are served, which rules out path traversal by
 * construction rather than by normalising paths.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.safetensors': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export interface StaticFile {
  bytes: Buffer;
  contentType: string;
}

/** The file `name` directly inside `dir`, or null when the name is unsafe or the file does not exist. */
export async function readStaticFile(dir: string, name: string): Promise<StaticFile | null> {
  if (!SAFE_NAME.test(name)) return null;
  const path = join(dir, name);
  try {
    if (!(await stat(path)).isFile()) return null;
    const dot = name.lastIndexOf('.');
    const ext = dot >= 0 ? name.slice(dot) : '';
    return { bytes: await readFile(path), contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
