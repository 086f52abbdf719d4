// Payload compression for REST APIs, as AWS documents it ("Payload compression for REST APIs in API
// Gateway"): request bodies sent with Content-Encoding deflate or gzip are decoded before anything
// reads them (any API: decompression needs no setting), and, on APIs whose deployment froze a
// minimumCompressionSize, integration responses of at least that many bytes are compressed with the
// coding the client's Accept-Encoding prefers (content-coding.ts).
import { promisify } from 'node:util';
import { deflate, gunzip, gzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';
import type { InvocationRequest, InvocationResponse } from './context.js';
import { requestTooLarge, unsupportedContentEncoding } from './errors.js';
import { negotiateCoding, requestCodings, type CompressingCoding } from './content-coding.js';
import { MAX_BODY_BYTES } from './request.js';

type Codec = (input: InputType, options?: ZlibOptions) => Promise<Buffer>;
const gunzipAsync: Codec = promisify(gunzip);
const inflateAsync: Codec = promisify(inflate);
const inflateRawAsync: Codec = promisify(inflateRaw);
const encoders: Record<CompressingCoding, Codec> = { gzip: promisify(gzip), deflate: promisify(deflate) };

/** A header's values as one string (several Content-Encoding lines are one list). */
function joinedHeader(request: InvocationRequest, lower: string): string | undefined {
  const name = request.headerNames.get(lower);
  return name === undefined ? undefined : (request.multiHeaders[name] ?? [request.headers[name]]).join(', ');
}

function dropHeader(request: InvocationRequest, lower: string): void {
  const name = request.headerNames.get(lower);
  if (name === undefined) return;
  delete request.headers[name];
  delete request.multiHeaders[name];
  request.headerNames.delete(lower);
}

/** zlib's error for output beyond maxOutputLength: a body that would inflate past the payload limit. */
const tooLarge = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';

/** HTTP's deflate is zlib-wrapped, but clients often send raw DEFLATE: both are taken. */
async function inflateEither(body: Buffer, options: ZlibOptions): Promise<Buffer> {
  try {
    return await inflateAsync(body, options);
  } catch (e) {
    if (tooLarge(e)) throw e;
    return inflateRawAsync(body, options);
  }
}

/**
 * Decodes a request body sent with Content-Encoding, in place: the body becomes the decoded one, and
 * Content-Encoding goes (Content-Length, when sent, says the decoded length), so mapping templates,
 * validators and every integration see the plain payload. What was sent stays in `received` for the
 * signature check. A coding other than deflate, gzip or identity, or a body not in the coding it
 * claims, is AWS's 415 Unsupported Media Type; a body that would inflate past 10 MB is the 413 an
 * oversized body gets, found without inflating more than that.
 */
export async function decompressRequest(request: InvocationRequest): Promise<void> {
  const contentEncoding = joinedHeader(request, 'content-encoding');
  if (contentEncoding === undefined) return;
  const codings = requestCodings(contentEncoding);
  if (!codings) throw unsupportedContentEncoding(`Content-Encoding ${contentEncoding} is not supported`);
  if (!codings.some((c) => c !== 'identity') || request.body.length === 0) return;
  const options: ZlibOptions = { maxOutputLength: MAX_BODY_BYTES };
  let body = request.body;
  try {
    // Codings are listed in the order they were applied: undo them from the last.
    for (let i = codings.length - 1; i >= 0; i--) {
      if (codings[i] === 'gzip') body = await gunzipAsync(body, options);
      else if (codings[i] === 'deflate') body = await inflateEither(body, options);
    }
  } catch (e) {
    if (tooLarge(e)) throw requestTooLarge();
    throw unsupportedContentEncoding(`The request body is not ${contentEncoding}-encoded: ${(e as Error).message}`);
  }
  const received: Record<string, string> = { 'content-encoding': contentEncoding };
  const length = joinedHeader(request, 'content-length');
  if (length !== undefined) {
    received['content-length'] = length;
    const name = request.headerNames.get('content-length')!;
    request.headers[name] = String(body.length);
    request.multiHeaders[name] = [String(body.length)];
  }
  request.received = { body: request.body, headers: received };
  request.body = body;
  dropHeader(request, 'content-encoding');
}

/**
 * The integration's response compressed for the client, when AWS would: the API has compression on
 * (`minimumSize`, frozen by the deployment), the client's Accept-Encoding prefers gzip or deflate,
 * the body (after response templates) has at least `minimumSize` bytes, and the integration set no
 * Content-Encoding of its own. Streamed responses go out as they come; empty bodies stay empty.
 * A new response is returned: the one given may be shared by the stage cache.
 */
export async function compressResponse(request: InvocationRequest, response: InvocationResponse, minimumSize: number): Promise<InvocationResponse> {
  if (response.stream || response.body.length === 0 || response.body.length < minimumSize) return response;
  const coding = negotiateCoding(joinedHeader(request, 'accept-encoding'));
  if (!coding) return response;
  for (const name in response.headers) if (name.toLowerCase() === 'content-encoding') return response;
  const body = await encoders[coding](response.body);
  return { status: response.status, headers: { ...response.headers, 'Content-Encoding': coding }, body };
}
