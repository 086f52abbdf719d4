// Reads a request body with a hard byte limit, so an oversized upload is refused without buffering it,
// and undoes the compression clients apply to large bodies (`Content-Encoding: gzip`).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { BodyLease } from './body-budget.js';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body exceeds ${limit} bytes`);
  }
}

/** The client went away before sending the whole body: nobody is left to answer. */
export class RequestAbortedError extends Error {
  constructor(cause: Error) {
    super(`request aborted: ${cause.message}`);
  }
}

/** The body says it is compressed but is not valid gzip. */
export class MalformedBodyError extends Error {
  constructor() {
    super('The request body could not be decompressed: Content-Encoding is gzip but the body is not valid gzip data.');
  }
}

/**
 * Reads the body, lets `authenticate` check the bytes as sent (a signature covers the compressed
 * body), then decompresses it. botocore and the SDK v3 gzip operations AWS's models mark for
 * request compression (CloudWatch PutMetricData) once the body passes 10 KB.
 */
export async function readSignedBody(req: IncomingMessage, limit: number, authenticate?: (raw: Buffer) => Promise<void>, lease?: BodyLease): Promise<Buffer> {
  const raw = await readBody(req, limit, lease);
  await authenticate?.(raw);
  const decoded = decodeContentEncoding(raw, req.headers, limit);
  // The decompressed copy is held too (the compressed one until the request is answered).
  if (decoded !== raw) lease?.take(decoded.length);
  return decoded;
}

/**
 * Undoes `Content-Encoding: gzip` (codings listed in the order applied, so undone last first);
 * `identity` is nothing to undo. A body with any other coding is left as sent. The decompressed
 * body is held to the same limit.
 */
export function decodeContentEncoding(body: Buffer, headers: IncomingHttpHeaders, limit: number): Buffer {
  const header = headers['content-encoding'];
  if (!header || !body.length) return body;
  const codings = header.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  if (!codings.length || codings.some((c) => c !== 'gzip')) return body;
  let decoded = body;
  for (let i = 0; i < codings.length; i++) {
    try {
      decoded = gunzipSync(decoded, { maxOutputLength: limit });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(limit);
      throw new MalformedBodyError();
    }
  }
  return decoded;
}

/**
 * The whole body, at most `limit` bytes. With a `lease`, its bytes are taken from the server's
 * request memory budget: all at once when Content-Length declares them (a refused body is then
 * never buffered), else as they arrive; past the budget it rejects with BodyBudgetExhaustedError.
 */
export function readBody(req: IncomingMessage, limit: number, lease?: BodyLease): Promise<Buffer> {
  const declaredText = req.headers['content-length'];
  const declared = declaredText === undefined ? NaN : Number(declaredText);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain so the connection can answer
    return Promise.reject(new BodyTooLargeError(limit));
  }
  const known = Number.isSafeInteger(declared) && declared >= 0;
  if (known && lease) {
    try {
      lease.take(declared);
    } catch (e) {
      req.resume();
      return Promise.reject(e);
    }
  }
  return new Promise((resolve, reject) => {
    // A declared length the budget took is read straight into one buffer (no second copy when the
    // chunks are joined); without a budget, memory is only taken as bytes arrive.
    const whole = known && lease && declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (e: Error): void => {
      failed = true;
      chunks.length = 0;
      req.resume();
      reject(e);
    };
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (size + chunk.length > limit || (whole && size + chunk.length > whole.length)) return fail(new BodyTooLargeError(limit));
      if (whole) {
        chunk.copy(whole, size);
      } else {
        if (lease) {
          try {
            lease.take(chunk.length);
          } catch (e) {
            return fail(e as Error);
          }
        }
        chunks.push(chunk);
      }
      size += chunk.length;
    });
    req.on('end', () => {
      if (failed) return;
      if (whole) resolve(size === whole.length ? whole : whole.subarray(0, size));
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        chunks.length = 0;
        reject(new RequestAbortedError(err));
      }
    });
  });
}
