// The S3 store's operations on buckets and objects, below the wire: names checked, bytes kept as
// content-addressed blobs (shared by every node of a cluster through the BlobStore), metadata in
// the S3Store. Also the small read interface other modules use (Lambda's S3Bucket/S3Key,
// CloudFormation's TemplateURL): getObject / readObject.
import { createHash, randomBytes } from 'node:crypto';
import { BlobStore } from '../store/blobs.js';
import type { S3Bucket, S3Object, S3Part, S3Store, S3Tag, S3Upload } from '../store/s3-store.js';
import { s3Error } from './errors.js';
import { S3Notifications } from './notifications.js';

/** Stagecraft's limit on one object (S3's is 5 TB, 5 GB per PUT): objects are held in memory while stored. */
export const MAX_OBJECT_BYTES = 256 * 1024 * 1024;
/** S3's limits on multipart parts: at least 5 MiB (but the last), part numbers 1 to 10,000. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;

/** What other modules read objects through. */
export interface S3ObjectReader {
  /** The object's bytes, or undefined when the bucket or the key does not exist. */
  getObject(accountId: string, bucket: string, key: string): Promise<Buffer | undefined>;
  /** The object's bytes, or which of S3's errors a GetObject would answer (NoSuchBucket, NoSuchKey). */
  readObject(accountId: string, bucket: string, key: string): Promise<Buffer | { missing: 'NoSuchBucket' | 'NoSuchKey' }>;
}

/** S3's bucket naming rules (general purpose buckets). */
export function validBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\.|\.-|-\./.test(name) && !/^\d+\.\d+\.\d+\.\d+$/.test(name)
    && !name.startsWith('xn--') && !name.startsWith('sthree-') && !name.endsWith('-s3alias') && !name.endsWith('--ol-s3');
}

/** S3's limits: a key of at most 1024 bytes (UTF-8), user metadata of at most 2 KB (names and values). */
const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;

function checkKeyAndMetadata(key: string, metadata: Record<string, string>): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw s3Error('KeyTooLongError', { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(MAX_KEY_BYTES) });
  const size = Object.entries(metadata).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > MAX_METADATA_BYTES) throw s3Error('MetadataTooLarge', { Size: String(size), MaxSizeAllowed: String(MAX_METADATA_BYTES) });
}

export const md5Hex = (data: Buffer): string => createHash('md5').update(data).digest('hex');

export interface NewObject {
  data: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  checksums: Record<string, string>;
  tags: S3Tag[];
}

/**
 * A new upload ID: its initiation time (fixed-width base 36) then random bytes, so that the uploads
 * of one key in upload ID order (ListMultipartUploads' upload-id-marker) are in initiation order too.
 */
const newUploadId = (nowMs: number): string => `${nowMs.toString(36).padStart(10, '0')}${randomBytes(24).toString('base64url')}`;

export class S3Objects implements S3ObjectReader {
  /** Event notifications: the buckets' configurations and where their events go. */
  readonly notifications: S3Notifications;

  constructor(readonly store: S3Store, readonly blobs: BlobStore) {
    this.notifications = new S3Notifications(store);
  }

  async bucket(accountId: string, name: string): Promise<S3Bucket> {
    const b = await this.store.getBucket(accountId, name);
    if (!b) throw s3Error('NoSuchBucket', { BucketName: name });
    return b;
  }

  async object(accountId: string, bucket: string, key: string): Promise<S3Object> {
    await this.bucket(accountId, bucket);
    const o = await this.store.getObject(accountId, bucket, key);
    if (!o) throw s3Error('NoSuchKey', { Key: key });
    return o;
  }

  bytes(o: S3Object): Promise<Buffer> {
    return this.blobs.readZip(o.blob);
  }

  async #keep(data: Buffer): Promise<string> {
    const info = BlobStore.describe(data);
    await this.blobs.putZip(data, info);
    return info.hash;
  }

  async put(accountId: string, bucket: string, key: string, o: NewObject, etag = `"${md5Hex(o.data)}"`): Promise<S3Object> {
    await this.bucket(accountId, bucket);
    checkKeyAndMetadata(key, o.metadata);
    if (o.data.length > MAX_OBJECT_BYTES) throw s3Error('EntityTooLarge', { ProposedSize: String(o.data.length), MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
    const object: S3Object = {
      key, blob: await this.#keep(o.data), size: o.data.length, etag, contentType: o.contentType, metadata: o.metadata, checksums: o.checksums, lastModifiedMs: Date.now(), tags: o.tags,
    };
    await this.store.putObject(accountId, bucket, object);
    // A DeleteBucket that ran meanwhile (it saw no object yet) must not leave this one behind.
    if (!(await this.store.getBucket(accountId, bucket))) {
      await this.store.deleteObject(accountId, bucket, key);
      throw s3Error('NoSuchBucket', { BucketName: bucket });
    }
    return object;
  }

  async createUpload(accountId: string, bucket: string, key: string, contentType: string, metadata: Record<string, string>, tags: S3Tag[]): Promise<S3Upload> {
    await this.bucket(accountId, bucket);
    checkKeyAndMetadata(key, metadata);
    const now = Date.now();
    const upload: S3Upload = { uploadId: newUploadId(now), bucket, key, contentType, metadata, initiatedMs: now, tags };
    await this.store.createUpload(accountId, upload);
    return upload;
  }

  async upload(accountId: string, bucket: string, key: string, uploadId: string): Promise<S3Upload> {
    await this.bucket(accountId, bucket);
    const u = await this.store.getUpload(accountId, bucket, uploadId);
    if (!u || u.key !== key) throw s3Error('NoSuchUpload', { UploadId: uploadId });
    return u;
  }

  async putPart(accountId: string, bucket: string, key: string, uploadId: string, partNumber: number, data: Buffer, checksums: Record<string, string>): Promise<S3Part> {
    await this.upload(accountId, bucket, key, uploadId);
    if (data.length > MAX_OBJECT_BYTES) throw s3Error('EntityTooLarge', { ProposedSize: String(data.length), MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
    const part: S3Part = { partNumber, blob: await this.#keep(data), size: data.length, etag: `"${md5Hex(data)}"`, lastModifiedMs: Date.now(), checksums };
    await this.store.putPart(uploadId, part);
    // An AbortMultipartUpload (or Complete) that ran meanwhile leaves no part behind.
    if (!(await this.store.getUpload(accountId, bucket, uploadId))) {
      await this.store.deleteUpload(uploadId);
      throw s3Error('NoSuchUpload', { UploadId: uploadId });
    }
    return part;
  }

  /**
   * Joins the listed parts (ascending, each as uploaded) into the object; the ETag is the MD5 of the parts' MD5s, "-N".
   * `hold` is told the bytes the join holds in memory (the parts and the object) before they are read, and may refuse by throwing.
   */
  async complete(accountId: string, bucket: string, key: string, uploadId: string, listed: { partNumber: number; etag: string }[], hold?: (bytes: number) => void): Promise<S3Object> {
    const upload = await this.upload(accountId, bucket, key, uploadId);
    if (!listed.length) throw s3Error('MalformedXML');
    const stored = new Map((await this.store.listParts(uploadId)).map((p) => [p.partNumber, p]));
    const parts: S3Part[] = [];
    for (const [i, l] of listed.entries()) {
      if (i > 0 && l.partNumber <= listed[i - 1].partNumber) throw s3Error('InvalidPartOrder', { UploadId: uploadId });
      const p = stored.get(l.partNumber);
      if (!p || unquote(p.etag) !== unquote(l.etag)) {
        // A completion racing this one may have taken the parts with the upload: that is NoSuchUpload, not InvalidPart.
        await this.upload(accountId, bucket, key, uploadId);
        throw s3Error('InvalidPart', { UploadId: uploadId, PartNumber: String(l.partNumber), ETag: l.etag });
      }
      parts.push(p);
    }
    const small = parts.slice(0, -1).find((p) => p.size < MIN_PART_BYTES);
    if (small) throw s3Error('EntityTooSmall', { ProposedSize: String(small.size), MinSizeAllowed: String(MIN_PART_BYTES), PartNumber: String(small.partNumber), ETag: small.etag });
    const total = parts.reduce((n, p) => n + p.size, 0);
    if (total > MAX_OBJECT_BYTES) throw s3Error('EntityTooLarge', { ProposedSize: String(total), MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
    hold?.(2 * total);
    const data = Buffer.concat(await Promise.all(parts.map((p) => this.blobs.readZip(p.blob))));
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(unquote(p.etag), 'hex')));
    const object = await this.put(accountId, bucket, key, { data, contentType: upload.contentType, metadata: upload.metadata, checksums: {}, tags: upload.tags }, `"${md5Hex(md5s)}-${parts.length}"`);
    await this.store.deleteUpload(uploadId);
    return object;
  }

  async getObject(accountId: string, bucket: string, key: string): Promise<Buffer | undefined> {
    const r = await this.readObject(accountId, bucket, key);
    return Buffer.isBuffer(r) ? r : undefined;
  }

  async readObject(accountId: string, bucket: string, key: string): Promise<Buffer | { missing: 'NoSuchBucket' | 'NoSuchKey' }> {
    if (!(await this.store.getBucket(accountId, bucket))) return { missing: 'NoSuchBucket' };
    const o = await this.store.getObject(accountId, bucket, key);
    return o ? this.bytes(o) : { missing: 'NoSuchKey' };
  }
}

const unquote = (etag: string): string => etag.trim().replace(/^"|"$/g, '').toLowerCase();
