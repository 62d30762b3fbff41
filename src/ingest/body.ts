import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { TributaryError } from '../errors/index.ts';
import { LIMITS } from './schema.ts';


/**
 * Raw request bytes → parsed JSON. Accepts JSON whatever the Content-Type (RudderStack labels gzip
 * JSON `application/x-www-form-urlencoded`, the browser SDK sends `text/plain`).
 * Throws TributaryError with a status-bearing code for anything that can never succeed.
 */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): unknown {
  let bytes = raw;
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: maxBytes + 1 });
    } catch (err) {
      if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new TributaryError('payload_too_large', `body: larger than ${maxBytes} bytes once decompressed`);
      }
      throw new TributaryError('invalid_encoding', 'body: Content-Encoding is gzip but the body is not valid gzip data');
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    throw new TributaryError('unsupported_media_type', `Content-Encoding "${encoding}" is not supported (use gzip or none)`);
  }
  if (bytes.length > maxBytes) {
    throw new TributaryError('payload_too_large', `body: ${bytes.length} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  if (bytes.length === 0) throw new TributaryError('invalid_json', 'body: is empty (expected a JSON object)');
  if (!isUtf8(bytes)) throw new TributaryError('invalid_encoding', 'body: is not valid UTF-8');
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TributaryError('invalid_json', `body: is not valid JSON (${(err as Error).message})`);
  }
}

/** Byte limit of a request body for an endpoint. */
export function bodyLimitFor(kind: 'batch' | 'single'): number {
  return kind === 'batch' ? LIMITS.batchBytes : LIMITS.messageBytes;
}
