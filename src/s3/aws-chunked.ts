// aws-chunked request bodies (Content-Encoding: aws-chunked, x-amz-content-sha256 STREAMING-…):
// `hex-size[;chunk-signature=…]\r\n data \r\n` repeated, a zero-size chunk, then trailer lines
// (`x-amz-checksum-crc32:…`, `x-amz-trailer-signature:…`) and an empty line. Chunk and trailer
// signatures are checked where signatures are verified (chunk-signatures.ts); the trailing checksum
// is checked by request.ts.
import { s3Error } from './errors.js';

export interface Chunk {
  /** A view of the body's bytes (the final, empty chunk included). */
  data: Buffer;
  /** Its `chunk-signature=` extension, when sent. */
  signature?: string;
}

export interface ParsedChunks {
  chunks: Chunk[];
  /** Trailer headers, names lower-case. */
  trailers: Record<string, string>;
}

export interface DecodedChunks {
  data: Buffer;
  /** Trailer headers, names lower-case. */
  trailers: Record<string, string>;
}

export function decodeAwsChunked(raw: Buffer): DecodedChunks {
  const { chunks, trailers } = parseAwsChunked(raw);
  return { data: Buffer.concat(chunks.map((c) => c.data)), trailers };
}

/** The framing read without copying the data: each chunk as a view of `raw`, then the trailers. */
export function parseAwsChunked(raw: Buffer): ParsedChunks {
  const parts: Chunk[] = [];
  let at = 0;
  const line = (): string => {
    const end = raw.indexOf('\r\n', at, 'latin1');
    if (end === -1) throw s3Error('IncompleteBody');
    const s = raw.subarray(at, end).toString('latin1');
    at = end + 2;
    return s;
  };
  for (;;) {
    const header = line();
    const [sizeText, ...extensions] = header.split(';');
    const hex = sizeText.trim();
    const signed = extensions.map((e) => e.trim()).find((e) => e.startsWith('chunk-signature='));
    const signature = signed?.slice('chunk-signature='.length);
    // Hex digits only (parseInt would take `1g` as 1 and `-5` as negative); 16 digits at most.
    const size = /^[0-9a-f]{1,16}$/i.test(hex) ? parseInt(hex, 16) : NaN;
    if (!Number.isSafeInteger(size)) throw s3Error('InvalidArgument', {}, 'Invalid chunk size in aws-chunked body');
    if (size === 0) {
      parts.push({ data: raw.subarray(at, at), signature });
      break;
    }
    if (at + size > raw.length) throw s3Error('IncompleteBody');
    parts.push({ data: raw.subarray(at, at + size), signature });
    at += size;
    if (raw.subarray(at, at + 2).toString('latin1') !== '\r\n') throw s3Error('IncompleteBody');
    at += 2;
  }
  const trailers: Record<string, string> = {};
  while (at < raw.length) {
    const l = line();
    if (l === '') break;
    const colon = l.indexOf(':');
    const name = l.slice(0, colon).trim().toLowerCase();
    // A line without a name, or a trailer sent twice, is not a trailer S3 takes.
    if (colon <= 0 || !name || name in trailers) throw s3Error('MalformedTrailerError');
    trailers[name] = l.slice(colon + 1).trim();
  }
  return { chunks: parts, trailers };
}
