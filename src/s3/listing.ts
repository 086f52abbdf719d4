// ListObjectsV2 (and v1): keys in binary order after start-after or the continuation token, rolled up
// into CommonPrefixes by the delimiter, at most max-keys of both together.
import type { S3Object, S3Store } from '../store/s3-store.js';
import { s3Error } from './errors.js';
import type { XmlObject } from './xml.js';

/** Sorts after every key that starts with what precedes it (U+10FFFF is UTF-8's greatest). */
export const PAST = '\u{10FFFF}';
const BATCH = 1000;

export interface ListInput {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  startAfter: string;
  continuationToken?: string;
  encodeUrl: boolean;
}

export function listInput(query: URLSearchParams): ListInput {
  const maxText = query.get('max-keys');
  const maxKeys = maxText === null ? 1000 : Number(maxText);
  if (!/^\d+$/.test(maxText ?? '0')) throw s3Error('InvalidArgument', { ArgumentName: 'max-keys', ArgumentValue: maxText ?? '' }, 'Provided max-keys not an integer or within integer range');
  return {
    prefix: query.get('prefix') ?? '', delimiter: query.get('delimiter') ?? '', maxKeys: Math.min(maxKeys, 1000), startAfter: query.get('start-after') ?? '',
    continuationToken: query.get('continuation-token') ?? undefined, encodeUrl: urlEncoding(query),
  };
}

/** `encoding-type=url` (the only method S3 knows): keys answered URL-encoded. */
export function urlEncoding(query: URLSearchParams): boolean {
  const encoding = query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw s3Error('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: encoding }, 'Invalid Encoding Method specified in Request');
  return encoding === 'url';
}

/** Encodes as S3 does for encoding-type=url: every character but unreserved ones and `/`. */
export const keyEncoder = (encodeUrl: boolean) => (s: string): string => (encodeUrl ? encodeURIComponent(s).replace(/%2F/g, '/') : s);

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('k:') || text.includes('\0')) throw s3Error('InvalidArgument', { ArgumentName: 'continuation-token', ArgumentValue: token }, 'The continuation token provided is incorrect');
  return text.slice(2);
}

interface Page {
  contents: S3Object[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned (past it, the next page starts). */
  last: string;
}

/** Up to maxKeys keys and common prefixes after `after`. */
async function scanPage(store: S3Store, accountId: string, bucket: string, prefix: string, delimiter: string, maxKeys: number, after: string): Promise<Page> {
  const contents: S3Object[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last = after;
  scan: for (;;) {
    const batch = await store.listObjects(accountId, bucket, { prefix, after, limit: BATCH });
    if (!batch.length) break;
    for (const o of batch) {
      const cut = delimiter ? o.key.indexOf(delimiter, prefix.length) : -1;
      const common = cut === -1 ? undefined : o.key.slice(0, cut + delimiter.length);
      if (common !== undefined && prefixes[prefixes.length - 1] === common) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break scan;
      }
      if (common !== undefined) {
        prefixes.push(common);
        last = common;
        after = common + PAST;
        continue scan;
      }
      contents.push(o);
      last = after = o.key;
    }
    if (batch.length < BATCH) break;
  }
  return { contents, prefixes, truncated, last };
}

const entries = (contents: S3Object[], enc: (s: string) => string) => contents.map((o) => ({
  Key: enc(o.key), LastModified: new Date(o.lastModifiedMs).toISOString(), ETag: o.etag, Size: o.size, StorageClass: 'STANDARD',
}));

const encoder = (input: ListInput) => keyEncoder(input.encodeUrl);

/** What both versions answer about a page. */
function pageFields(bucket: string, input: ListInput, page: Page): XmlObject {
  const enc = encoder(input);
  return {
    IsTruncated: page.truncated,
    Contents: entries(page.contents, enc),
    Name: bucket,
    Prefix: enc(input.prefix),
    Delimiter: input.delimiter ? enc(input.delimiter) : undefined,
    MaxKeys: input.maxKeys,
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
    EncodingType: input.encodeUrl ? 'url' : undefined,
  };
}

export async function listObjectsV2(store: S3Store, accountId: string, bucket: string, input: ListInput): Promise<XmlObject> {
  const { prefix, delimiter, maxKeys } = input;
  const after = input.continuationToken !== undefined ? decodeToken(input.continuationToken) : input.startAfter;
  const page = await scanPage(store, accountId, bucket, prefix, delimiter, maxKeys, after);
  // The token resumes after the last key, or past every key of the last common prefix.
  const resume = page.prefixes[page.prefixes.length - 1] === page.last ? page.last + PAST : page.last;
  const enc = encoder(input);
  return {
    ...pageFields(bucket, input, page),
    KeyCount: page.contents.length + page.prefixes.length,
    ContinuationToken: input.continuationToken,
    NextContinuationToken: page.truncated ? Buffer.from(`k:${resume}`, 'utf8').toString('base64url') : undefined,
    StartAfter: input.startAfter ? enc(input.startAfter) : undefined,
  };
}

/** ListObjects (v1): `marker` instead of tokens; NextMarker only with a delimiter, as S3 sends it. */
export async function listObjectsV1(store: S3Store, accountId: string, bucket: string, input: ListInput, marker: string): Promise<XmlObject> {
  const { prefix, delimiter, maxKeys } = input;
  // A marker that is a common prefix (the NextMarker of a page that ended with one) resumes past
  // all its keys: the prefix was answered already.
  const cut = delimiter && marker.startsWith(prefix) ? marker.indexOf(delimiter, prefix.length) : -1;
  const after = cut !== -1 && cut + delimiter.length === marker.length ? marker + PAST : marker;
  const page = await scanPage(store, accountId, bucket, prefix, delimiter, maxKeys, after);
  const enc = encoder(input);
  return {
    ...pageFields(bucket, input, page),
    Marker: enc(marker),
    NextMarker: page.truncated && delimiter ? enc(page.last) : undefined,
  };
}
