// ListParts (`GET /{bucket}/{key}?uploadId=`) and ListMultipartUploads (`GET /{bucket}?uploads`):
// the parts of one upload in part number order, the uploads in progress in key order (then upload
// ID, which is initiation order), rolled up into CommonPrefixes by a delimiter, paged by markers.
import type { S3Store, S3Upload, ListUploadsQuery } from '../store/s3-store.js';
import { s3Error } from './errors.js';
import type { XmlObject } from './xml.js';
import type { S3Objects } from './objects.js';
import { keyEncoder, PAST, urlEncoding } from './listing.js';

/** S3's page size and the most it answers at once (a larger max-parts or max-uploads is capped). */
const MAX_PAGE = 1000;
const INT_MAX = 2147483647;
const BATCH = 1000;

/** A non-negative integer query parameter, refused as S3 refuses it (InvalidArgument). */
export function integerParameter(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n > INT_MAX || n < -INT_MAX - 1) {
    throw s3Error('InvalidArgument', { ArgumentName: name, ArgumentValue: text }, `Provided ${name} not an integer or within integer range`);
  }
  if (n < 0) throw s3Error('InvalidArgument', { ArgumentName: name, ArgumentValue: text }, `Argument ${name} must be an integer between 0 and ${INT_MAX}`);
  return n;
}

/** The Initiator and Owner of an upload: the account (Stagecraft keeps no other principal for it). */
const principal = (accountId: string): XmlObject => ({ ID: accountId, DisplayName: 'stagecraft' });

/** `x-amz-checksum-crc64nvme` → `ChecksumCRC64NVME`. */
const checksumElement = (header: string): string => `Checksum${header.slice('x-amz-checksum-'.length).toUpperCase()}`;

export async function listParts(objects: S3Objects, accountId: string, bucket: string, key: string, uploadId: string, query: URLSearchParams): Promise<XmlObject> {
  const maxParts = Math.min(integerParameter(query, 'max-parts', MAX_PAGE), MAX_PAGE);
  const marker = integerParameter(query, 'part-number-marker', 0);
  const upload = await objects.upload(accountId, bucket, key, uploadId);
  const after = (await objects.store.listParts(uploadId)).filter((p) => p.partNumber > marker);
  const page = after.slice(0, maxParts);
  const last = page[page.length - 1];
  return {
    Bucket: bucket,
    Key: key,
    UploadId: uploadId,
    PartNumberMarker: marker,
    // Always sent, the last part listed or 0, as S3 does (paginators must stop on IsTruncated).
    NextPartNumberMarker: last?.partNumber ?? 0,
    MaxParts: maxParts,
    IsTruncated: after.length > page.length,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      // (parts stored before their time was kept answer the upload's)
      LastModified: new Date(p.lastModifiedMs || upload.initiatedMs).toISOString(),
      ETag: p.etag,
      Size: p.size,
      ...Object.fromEntries(Object.entries(p.checksums).map(([h, v]) => [checksumElement(h), v])),
    })),
    Initiator: principal(accountId),
    Owner: principal(accountId),
    StorageClass: 'STANDARD',
  };
}

interface UploadsPage {
  uploads: S3Upload[];
  prefixes: string[];
  truncated: boolean;
  /** The last upload or common prefix answered (where the next page starts). */
  next: { key: string; uploadId: string };
}

/**
 * Up to `max` uploads and common prefixes after the markers. A common prefix equal to the key
 * marker was answered on an earlier page (its NextKeyMarker), so it is not answered again.
 */
async function scanUploads(store: S3Store, accountId: string, bucket: string, prefix: string, delimiter: string, max: number, start: Omit<ListUploadsQuery, 'prefix' | 'limit'>): Promise<UploadsPage> {
  const uploads: S3Upload[] = [];
  const prefixes: string[] = [];
  let position = start;
  let next = { key: '', uploadId: '' };
  scan: for (;;) {
    const batch = await store.listUploads(accountId, bucket, { prefix, ...position, limit: BATCH });
    for (const u of batch) {
      const cut = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
      const common = cut === -1 ? undefined : u.key.slice(0, cut + delimiter.length);
      if (common === start.afterKey) {
        position = { afterKey: common + PAST };
        continue scan;
      }
      if (uploads.length + prefixes.length >= max) return { uploads, prefixes, truncated: true, next };
      if (common !== undefined) {
        prefixes.push(common);
        next = { key: common, uploadId: '' };
        position = { afterKey: common + PAST };
        continue scan;
      }
      uploads.push(u);
      next = { key: u.key, uploadId: u.uploadId };
      position = { afterKey: u.key, afterUploadId: u.uploadId };
    }
    if (batch.length < BATCH) return { uploads, prefixes, truncated: false, next };
  }
}

export async function listMultipartUploads(objects: S3Objects, accountId: string, bucket: string, query: URLSearchParams): Promise<XmlObject> {
  const maxUploads = Math.min(integerParameter(query, 'max-uploads', MAX_PAGE), MAX_PAGE);
  const enc = keyEncoder(urlEncoding(query));
  await objects.bucket(accountId, bucket);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const keyMarker = query.get('key-marker') ?? '';
  // Without a key marker the upload ID marker is ignored, as S3 documents.
  const uploadIdMarker = keyMarker ? query.get('upload-id-marker') || undefined : undefined;
  const page = await scanUploads(objects.store, accountId, bucket, prefix, delimiter, maxUploads, { afterKey: keyMarker, afterUploadId: uploadIdMarker });
  // (S3 sends both next markers, empty when nothing was listed.)
  return {
    Bucket: bucket,
    KeyMarker: enc(keyMarker),
    UploadIdMarker: uploadIdMarker ?? '',
    NextKeyMarker: enc(page.next.key),
    Prefix: prefix ? enc(prefix) : undefined,
    Delimiter: delimiter ? enc(delimiter) : undefined,
    NextUploadIdMarker: page.next.uploadId,
    MaxUploads: maxUploads,
    IsTruncated: page.truncated,
    Upload: page.uploads.map((u) => ({
      Key: enc(u.key),
      UploadId: u.uploadId,
      Initiator: principal(accountId),
      Owner: principal(accountId),
      StorageClass: 'STANDARD',
      Initiated: new Date(u.initiatedMs).toISOString(),
    })),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
    EncodingType: query.get('encoding-type') === 'url' ? 'url' : undefined,
  };
}
