// The signatures of an aws-chunked body signed chunk by chunk (x-amz-content-sha256
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or …-PAYLOAD-TRAILER with signed trailers), as S3 checks
// them: each chunk's `chunk-signature` chains from the one before it, the first from the request's
// own (seed) signature, the final empty chunk included; the trailer's `x-amz-trailer-signature`
// chains from the final chunk's. A body altered in flight, or a chunk dropped, breaks the chain.
import { createHash, createHmac } from 'node:crypto';
import type { ChunkSigning } from '../aws/sigv4-verify.js';
import { sameText } from '../aws/sigv4-verify.js';
import type { ParsedChunks } from './aws-chunked.js';

export const SIGNED_CHUNKS = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const SIGNED_CHUNKS_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

const EMPTY_SHA256 = createHash('sha256').digest('hex');
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** True when every chunk's signature (and, with `trailer`, the trailer's) is the one its bytes give. */
export function chunkSignaturesMatch(body: ParsedChunks, signing: ChunkSigning, trailer: boolean): boolean {
  const sign = (text: string): string => createHmac('sha256', signing.key).update(text, 'utf8').digest('hex');
  let previous = signing.seed;
  for (const chunk of body.chunks) {
    const expected = sign(['AWS4-HMAC-SHA256-PAYLOAD', signing.date, signing.scope, previous, EMPTY_SHA256, sha256(chunk.data)].join('\n'));
    if (chunk.signature === undefined || !sameText(chunk.signature, expected)) return false;
    previous = expected;
  }
  const { 'x-amz-trailer-signature': given, ...trailers } = body.trailers;
  if (!trailer) return given === undefined;
  // The trailing headers as canonical header lines (`name:value\n`, names sorted), hashed.
  const canonical = Object.keys(trailers).sort().map((name) => `${name}:${trailers[name]}\n`).join('');
  const expected = sign(['AWS4-HMAC-SHA256-TRAILER', signing.date, signing.scope, previous, sha256(canonical)].join('\n'));
  return given !== undefined && sameText(given, expected);
}
