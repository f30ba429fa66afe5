/**
 * The study corpus travels through Redis, not a shared file system: the study stores its JSON corpus once under
 * the SHA-256 of its bytes; a worker fetches it the first time it needs it, checks the hash, and keeps it in a local
 * cache directory, so later jobs on the same corpus read the disk.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { corpusKey } from './keys.js';

/** Stored corpora expire a week after their last upload (each study start uploads again if missing). */
const CORPUS_TTL_SECONDS = 7 * 24 * 3600;

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Store the corpus bytes unless already stored; returns the content hash that names it. */
export async function uploadCorpus(redis: Redis, bytes: Buffer): Promise<string> {
  const hash = sha256Hex(bytes);
  const key = corpusKey(hash);
  // NX: a second study (or a second call) does not rewrite megabytes; EXPIRE refreshes the lifetime either way.
  await redis.set(key, bytes, 'EX', CORPUS_TTL_SECONDS, 'NX');
  await redis.expire(key, CORPUS_TTL_SECONDS);
  return hash;
}

/** A problem with the stored corpus that retrying on this worker will not fix by itself. */
export class CorpusUnavailableError extends Error {}

/**
 * Path of the corpus file in `cacheDir`, downloading it from Redis when not cached. Both the download and a cached
 * file are checked against the hash, so a corrupt cache is fetched again rather than trained on.
 */
export async function fetchCorpus(redis: Redis, hash: string, cacheDir: string): Promise<string> {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new CorpusUnavailableError(`corpus hash ${JSON.stringify(hash)} is not a SHA-256 hex digest`);
  const path = join(cacheDir, `${hash}.json`);
  if (existsSync(path) && sha256Hex(readFileSync(path)) === hash) return path;
  const bytes = await redis.getBuffer(corpusKey(hash));
  if (bytes === null) {
    throw new CorpusUnavailableError(
      `corpus ${hash.slice(0, 12)} is not stored in Redis (expired, or Redis lost its data); start the study again to upload it`,
    );
  }
  const got = sha256Hex(bytes);
  if (got !== hash) {
    throw new CorpusUnavailableError(`corpus ${hash.slice(0, 12)} fetched from Redis hashes to ${got.slice(0, 12)}: refusing to train on it`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
  return path;
}
