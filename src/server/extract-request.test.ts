import { describe, expect, it } from 'vitest';
import { responseFormat, textOfBody } from './extract-request.js';
import { HttpError } from './http-error.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

function codeOf(body: () => unknown): string {
  try {
    body();
  } catch (err) {
    if (err instanceof HttpError) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'no error';
}

describe('textOfBody', () => {
  it('decodes UTF-8 and drops a byte order mark', () => {
    expect(textOfBody('text/plain', utf8('\uFEFFaspirin'))).toBe('aspirin');
    expect(textOfBody('Text/Plain; Charset="UTF-8"', utf8('naïve'))).toBe('naïve');
  });

  it('rejects truncated multi-byte sequences', () => {
    // "é" is C3 A9 in UTF-8; a lone C3 is invalid.
    expect(codeOf(() => textOfBody('text/plain', new Uint8Array([0x61, 0xc3])))).toBe('400 body-not-utf8');
  });

  it('reads {"text"} from JSON, keeping the text exactly', () => {
    expect(textOfBody('application/json', utf8('{"text": " a\\r\\nb "}'))).toBe(' a\r\nb ');
  });

  it('requires a content type', () => {
    expect(codeOf(() => textOfBody(undefined, utf8('x')))).toBe('415 missing-content-type');
  });
});

describe('responseFormat', () => {
  it('prefers ?format over Accept', () => {
    expect(responseFormat('ann', 'application/json')).toBe('ann');
    expect(responseFormat('json', 'text/x-brat-ann')).toBe('json');
  });

  it('reads Accept in the client\'s order', () => {
    expect(responseFormat(undefined, undefined)).toBe('json');
    expect(responseFormat(undefined, '*/*')).toBe('json');
    expect(responseFormat(undefined, 'text/x-brat-ann, application/json;q=0.5')).toBe('ann');
    expect(responseFormat(undefined, 'text/html, application/json')).toBe('json');
    expect(codeOf(() => responseFormat(undefined, 'text/html'))).toBe('406 not-acceptable');
  });
});
