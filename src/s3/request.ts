// One S3 request as the operations see it: bucket and key from the path (path style) or the Host
// (virtual-host style, `{bucket}.s3.localhost`), the query, and the body once read, decoded from
// aws-chunked and checked against the checksums it names.
import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../aws/request-context.js';
import { BodyTooLargeError, readBody } from '../aws/body.js';
import { AwsError } from '../core/errors.js';
import { decodeAwsChunked } from './aws-chunked.js';
import { CHECKSUM_ALGORITHMS, checksum } from './checksums.js';
import { s3Error } from './errors.js';
import { MAX_OBJECT_BYTES, type S3Objects } from './objects.js';
import type { S3Bucket } from '../store/s3-store.js';

/** `{bucket}.s3.localhost`, `{bucket}.s3.{region}.localhost` (any port). */
const VIRTUAL_HOST = /^([a-z0-9][a-z0-9.-]*)\.s3(?:\.[a-z0-9-]+)?\.localhost(?::\d+)?$/i;

export const isVirtualHost = (host: string | undefined): boolean => VIRTUAL_HOST.test(host ?? '');

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  query: URLSearchParams;
  header(name: string): string | undefined;
}

export function parseRequest(req: IncomingMessage): S3Request {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
  // A NUL is refused with invalid UTF-8: PostgreSQL's text cannot hold it, so both stores answer alike.
  const decode = (s: string): string => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      throw s3Error('InvalidURI');
    }
    if (decoded.includes('\0')) throw s3Error('InvalidURI');
    return decoded;
  };
  for (const v of query.values()) if (v.includes('\0')) throw s3Error('InvalidURI');
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const host = VIRTUAL_HOST.exec(header('host') ?? '');
  if (host) return { method: req.method ?? 'GET', bucket: host[1], key: decode(path.slice(1)), query, header };
  const rest = path.slice(1);
  const slash = rest.indexOf('/');
  return {
    method: req.method ?? 'GET',
    bucket: decode(slash === -1 ? rest : rest.slice(0, slash)),
    key: slash === -1 ? '' : decode(rest.slice(slash + 1)),
    query,
    header,
  };
}

export interface Payload {
  data: Buffer;
  /** Checksums the client sent and that matched (x-amz-checksum-crc32 → value). */
  checksums: Record<string, string>;
}

/** S3's request documents (CompleteMultipartUpload of 10,000 parts, Delete of 1,000 keys) fit well within this. */
export const MAX_XML_BYTES = 4 * 1024 * 1024;

/** The request body: read, authenticated, decoded and checked. `xml`: a request document, held to MAX_XML_BYTES. */
export async function readPayload(req: IncomingMessage, r: S3Request, ctx: RequestContext, xml = false): Promise<Payload> {
  const length = Number(r.header('x-amz-decoded-content-length') ?? r.header('content-length') ?? 0);
  if (xml && length > MAX_XML_BYTES) {
    req.resume();
    throw s3Error('MaxMessageLengthExceeded');
  }
  if (length > MAX_OBJECT_BYTES) {
    req.resume();
    throw s3Error('EntityTooLarge', { ProposedSize: String(length), MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
  }
  let raw: Buffer;
  try {
    // (aws-chunked framing adds a little per chunk)
    raw = await readBody(req, xml ? MAX_XML_BYTES + 64 * 1024 : MAX_OBJECT_BYTES + 4 * 1024 * 1024, ctx.bodyLease);
  } catch (e) {
    if (e instanceof BodyTooLargeError && xml) throw s3Error('MaxMessageLengthExceeded');
    if (e instanceof BodyTooLargeError) throw s3Error('EntityTooLarge', { MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
    throw e;
  }
  const claimed = r.header('x-amz-content-sha256');
  if (claimed && /^[0-9a-f]{64}$/i.test(claimed) && createHash('sha256').update(raw).digest('hex') !== claimed.toLowerCase()) {
    throw s3Error('XAmzContentSHA256Mismatch', { ClientComputedContentSHA256: claimed, S3ComputedContentSHA256: createHash('sha256').update(raw).digest('hex') });
  }
  await authenticate(ctx, raw);
  const chunked = (claimed ?? '').startsWith('STREAMING-') || /aws-chunked/i.test(r.header('content-encoding') ?? '');
  const decodedLength = r.header('x-amz-decoded-content-length');
  // The decoded copy is held beside the body as sent until the request is answered.
  if (chunked) ctx.bodyLease?.take(Number(decodedLength) || 0);
  const { data, trailers } = chunked ? decodeAwsChunked(raw) : { data: raw, trailers: {} as Record<string, string> };
  // The decoded length the client declared must be the length it sent (a lying one is refused, not trusted).
  if (chunked && decodedLength !== undefined && Number(decodedLength) !== data.length) throw s3Error('IncompleteBody');
  const md5 = r.header('content-md5');
  if (md5 !== undefined) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw s3Error('InvalidDigest', { 'Content-MD5': md5 });
    if (createHash('md5').update(data).digest('base64') !== md5) throw s3Error('BadDigest', { ExpectedDigest: Buffer.from(md5, 'base64').toString('hex') });
  }
  if (chunked) checkTrailers(trailers, r.header('x-amz-trailer'));
  const checksums: Record<string, string> = {};
  for (const alg of CHECKSUM_ALGORITHMS) {
    const name = `x-amz-checksum-${alg}`;
    const given = trailers[name] ?? r.header(name);
    if (given === undefined) continue;
    if (checksum(alg, data) !== given) {
      throw s3Error('BadDigest', {}, `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`);
    }
    checksums[name] = given;
  }
  return { data, checksums };
}

const KNOWN_TRAILERS = new Set([...CHECKSUM_ALGORITHMS.map((a) => `x-amz-checksum-${a}`), 'x-amz-trailer-signature']);

/** The checksum trailers sent must be the ones `x-amz-trailer` declares, each a checksum S3 knows (else MalformedTrailerError, as S3 answers). */
function checkTrailers(trailers: Record<string, string>, declaredHeader: string | undefined): void {
  const declared = (declaredHeader ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const sent = Object.keys(trailers).filter((t) => t !== 'x-amz-trailer-signature');
  if (Object.keys(trailers).some((t) => !KNOWN_TRAILERS.has(t))) throw s3Error('MalformedTrailerError');
  if (sent.length !== declared.length || sent.some((t) => !declared.includes(t))) throw s3Error('MalformedTrailerError');
}

/** Checks the signature (when the server verifies them), answering in S3's error codes. */
export async function authenticate(ctx: RequestContext, raw: Buffer): Promise<void> {
  if (!ctx.authenticate) return;
  try {
    await ctx.authenticate(raw);
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    if (e.code === 'UnrecognizedClientException') throw s3Error('InvalidAccessKeyId');
    if (e.code === 'IncompleteSignatureException') {
      if (/'X-Amz-Date' or a 'Date' header/.test(e.message)) throw s3Error('AccessDenied', {}, 'AWS authentication requires a valid Date or x-amz-date header');
      throw s3Error('AuthorizationHeaderMalformed', {}, e.message);
    }
    if (e.code === 'MissingAuthenticationTokenException') throw s3Error('AccessDenied');
    if (/^Signature (expired|not yet current)/.test(e.message)) throw s3Error('RequestTimeTooSkewed');
    throw s3Error('SignatureDoesNotMatch');
  }
}

/** x-amz-meta-* headers (names lower-case, without the prefix). */
export function userMetadata(headers: IncomingMessage['headers']): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) meta[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return meta;
}

/** Refuses a subresource (query parameter) outside `served`, e.g. ?tagging or ?acl: Stagecraft does not serve it. */
export function refuseUnserved(req: IncomingMessage, r: S3Request, served: ReadonlySet<string>): void {
  const unserved = [...r.query.keys()].find((k) => !served.has(k) && !k.startsWith('X-Amz-'));
  if (unserved === undefined) return;
  req.resume();
  throw s3Error('NotImplemented', {}, `Stagecraft's S3 does not implement the ${unserved} subresource`);
}

/** A request without a body on an existing bucket (GET, DELETE of a subresource): authenticated, the bucket found. */
export async function bodylessBucketRequest(req: IncomingMessage, r: S3Request, objects: S3Objects, ctx: RequestContext): Promise<S3Bucket> {
  req.resume();
  await authenticate(ctx, Buffer.alloc(0));
  return objects.bucket(ctx.accountId, r.bucket);
}
