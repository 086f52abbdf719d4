// Reads a request body with a hard byte limit, so an oversized upload is refused without buffering it,
// and undoes the compression clients apply to large bodies (`Content-Encoding: gzip`).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

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
export async function readSignedBody(req: IncomingMessage, limit: number, authenticate?: (raw: Buffer) => Promise<void>): Promise<Buffer> {
  const raw = await readBody(req, limit);
  await authenticate?.(raw);
  return decodeContentEncoding(raw, req.headers, limit);
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

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain so the connection can answer
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(new RequestAbortedError(err));
      }
    });
  });
}
