/**
 * Turns a raw `POST /extract` request (content type, body bytes, Accept header, `?format=`) into the text to
 * analyse and the response format, or an HttpError saying exactly what is wrong.
 */
import { HttpError } from './http-error.js';

export type ResponseFormat = 'json' | 'ann';

export const ANN_MEDIA_TYPE = 'text/x-brat-ann';

/** The media type without parameters, lower-cased (`Text/Plain; charset=utf-8` -> `text/plain`). */
function mediaType(header: string): string {
  return header.split(';')[0].trim().toLowerCase();
}

/** The `charset` parameter of a content type, lower-cased, if any. */
function charsetOf(header: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header);
  return match?.[1].toLowerCase();
}

/** Strict UTF-8 decoding: any invalid byte sequence is an error, never a silent U+FFFD. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    // ignoreBOM false (the default) drops a leading byte order mark, which is not part of the text.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'body-not-utf8', 'request body is not valid UTF-8');
  }
}

/** The text of an extraction request body. */
export function textOfBody(contentType: string | undefined, body: Uint8Array | undefined): string {
  if (contentType === undefined || contentType.trim() === '') {
    throw new HttpError(415, 'missing-content-type', 'send Content-Type: text/plain or application/json');
  }
  const type = mediaType(contentType);
  if (type !== 'text/plain' && type !== 'application/json') {
    throw new HttpError(415, 'unsupported-content-type', `cannot read a ${type} body: send text/plain or application/json`);
  }
  const charset = charsetOf(contentType);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, 'unsupported-charset', `charset ${charset} is not supported: send UTF-8`);
  }
  const decoded = decodeUtf8(body ?? new Uint8Array());
  let text: string;
  if (type === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(decoded);
    } catch (err) {
      throw new HttpError(400, 'bad-json', `request body is not valid JSON: ${(err as Error).message}`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json) || !('text' in json)) {
      throw new HttpError(400, 'bad-json', 'JSON body must be an object with a "text" string: {"text": "..."}');
    }
    const value = (json as { text: unknown }).text;
    if (typeof value !== 'string') throw new HttpError(400, 'bad-json', '"text" must be a string');
    text = value;
  } else {
    text = decoded;
  }
  if (text.trim() === '') throw new HttpError(400, 'empty-text', 'the text to analyse is empty');
  return text;
}

/**
 * The response format: `?format=json|ann` wins; otherwise the Accept header (`text/x-brat-ann` -> ann;
 * `application/json`, `*\/*`, `application/*` or no header -> json; anything else -> 406).
 */
export function responseFormat(format: string | undefined, accept: string | undefined): ResponseFormat {
  if (format !== undefined) {
    if (format === 'json' || format === 'ann') return format;
    throw new HttpError(400, 'bad-format', `format must be json or ann, got ${JSON.stringify(format)}`);
  }
  if (accept === undefined || accept.trim() === '') return 'json';
  // Honour the client's order of preference (q-values are rare here; the first acceptable type wins).
  for (const part of accept.split(',')) {
    const type = mediaType(part);
    if (type === ANN_MEDIA_TYPE) return 'ann';
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'json';
    if (type === 'text/*') return 'ann';
  }
  throw new HttpError(406, 'not-acceptable', `cannot answer with ${accept}: accept application/json or ${ANN_MEDIA_TYPE}`);
}
