/**
 * Pretrained word vectors in the common text format: one `word v1 v2 ... vd` per line (GloVe), optionally after a
 * `count dim` header line (word2vec text). Malformed lines are errors naming file and line, since a silently
 * skipped line would leave a word at a random vector.
 */
import { existsSync, readFileSync } from 'node:fs';
import { MedrexError } from '../errors.js';

export interface WordVectors {
  dim: number;
  vectors: Map<string, Float32Array>;
}

export function readWordVectors(path: string): WordVectors {
  if (!existsSync(path)) throw new MedrexError('word vectors file not found', { file: path, rule: 'vectors-missing' });
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const vectors = new Map<string, Float32Array>();
  let dim = 0;
  lines.forEach((line, index) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 1 && parts[0] === '') return;
    if (index === 0 && parts.length === 2 && parts.every((p) => /^\d+$/.test(p))) return; // word2vec header
    const values = parts.slice(1).map(Number);
    if (dim === 0) dim = values.length;
    if (values.length !== dim || values.length === 0 || values.some((v) => !Number.isFinite(v))) {
      throw new MedrexError(`expected a word and ${dim || 'some'} numbers`, {
        file: path,
        line: index + 1,
        rule: 'vectors-format',
      });
    }
    // The first occurrence wins, as in most loaders.
    if (!vectors.has(parts[0])) vectors.set(parts[0], Float32Array.from(values));
  });
  if (dim === 0) throw new MedrexError('no vectors in file', { file: path, rule: 'vectors-format' });
  return { dim, vectors };
}
