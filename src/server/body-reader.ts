/**
 * Reading request bodies under two limits: each body's own (`--body-limit`, 413) and the bytes held by ALL bodies
 * still arriving (`--max-unfinished-bytes`, 503): a thousand clients that each send most of a body and then stall
 * would otherwise hold a thousand bodies in memory until they time out. A body counts against the shared budget
 * from its first byte until it is complete (or its connection is gone); then it belongs to the extraction queue,
 * which has its own bound.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { HttpError } from './http-error.js';

/** Bytes held by unfinished request bodies, across all connections, and the readers still waiting for theirs. */
export class BodyBudget {
  held = 0;
  readonly readers = new Set<(err: Error) => void>();
  constructor(readonly limit: number) {}

  /** Ends every body still arriving with `err` (at shutdown: their requests cannot be answered in time anyway). */
  abortAll(err: () => Error): void {
    for (const abort of [...this.readers]) abort(err());
  }

  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held -= bytes;
  }
}

export const RETRY_AFTER_SECONDS = 5;

/** The whole body in `request`, or an HttpError (413 over `limit`, 503 when the shared budget is spent). */
export function readBody(request: Readable, headers: IncomingHttpHeaders, limit: number, budget: BodyBudget): Promise<Buffer> {
  const declared = headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      budget.release(received);
      budget.readers.delete(finish);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      request.off('error', onClose);
      // Keep draining (and dropping) whatever still arrives: the answer closes the connection.
      if (err) request.on('data', () => {}).on('error', () => {});
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer): void => {
      if (received + chunk.length > limit) return finish(tooLarge(limit));
      if (!budget.take(chunk.length)) {
        const err = new HttpError(
          503,
          'server-busy',
          'the server is holding too many request bodies that are still arriving; retry in a few seconds',
        );
        err.retryAfterSeconds = RETRY_AFTER_SECONDS;
        return finish(err);
      }
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(null);
    const onClose = (): void => finish(new HttpError(400, 'body-aborted', 'the connection closed before the body was complete'));
    budget.readers.add(finish);
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
    request.on('error', onClose);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body-too-large', `request body is larger than the limit of ${limit} bytes (see --body-limit)`);
}
