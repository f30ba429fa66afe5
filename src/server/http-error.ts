/**
 * Client errors the server answers with: an HTTP status plus a stable machine-readable code (`empty-text`,
 * `body-not-utf8`, ...) and a message for humans. Sent as `{"error": {"code", "message"}}`.
 */
export class HttpError extends Error {
  /** Sent as a `Retry-After` header (503 answers: the server is busy, not broken). */
  retryAfterSeconds?: number;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The answer to a request whose extraction did not finish within `seconds` (--extract-timeout). */
export function extractTimeout(seconds: number): HttpError {
  return new HttpError(
    503,
    'extract-timeout',
    `the extraction did not finish within ${seconds} s (--extract-timeout); send a shorter text or retry later`,
  );
}
