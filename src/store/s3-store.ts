// S3 buckets, objects and multipart uploads (src/s3): the metadata. Object bytes are content-
// addressed blobs in the BlobStore (by SHA-256: on disk embedded, in the database in a cluster).
export interface S3Bucket {
  name: string;
  region: string;
  createdMs: number;
}

export interface S3Object {
  key: string;
  /** Hex SHA-256 of the bytes: their blob. */
  blob: string;
  size: number;
  /** With its quotes, as S3 sends it. */
  etag: string;
  contentType: string;
  /** x-amz-meta-* (names lower-case, without the prefix), and other stored headers. */
  metadata: Record<string, string>;
  /** Stored checksum headers (x-amz-checksum-crc32 → value) echoed on reads. */
  checksums: Record<string, string>;
  lastModifiedMs: number;
}

export interface S3Upload {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiatedMs: number;
}

export interface S3Part {
  partNumber: number;
  blob: string;
  size: number;
  etag: string;
}

export interface ListObjectsQuery {
  prefix: string;
  /** Keys strictly after this one. */
  after: string;
  limit: number;
}

export interface S3Store {
  createBucket(accountId: string, bucket: S3Bucket): Promise<'created' | 'exists'>;
  getBucket(accountId: string, name: string): Promise<S3Bucket | undefined>;
  listBuckets(accountId: string): Promise<S3Bucket[]>;
  /** 'not-empty' while objects remain. */
  deleteBucket(accountId: string, name: string): Promise<'deleted' | 'missing' | 'not-empty'>;
  putObject(accountId: string, bucket: string, object: S3Object): Promise<void>;
  getObject(accountId: string, bucket: string, key: string): Promise<S3Object | undefined>;
  deleteObject(accountId: string, bucket: string, key: string): Promise<void>;
  /** Objects in key order (binary), at most `limit`. */
  listObjects(accountId: string, bucket: string, query: ListObjectsQuery): Promise<S3Object[]>;
  createUpload(accountId: string, upload: S3Upload): Promise<void>;
  getUpload(accountId: string, bucket: string, uploadId: string): Promise<S3Upload | undefined>;
  putPart(uploadId: string, part: S3Part): Promise<void>;
  listParts(uploadId: string): Promise<S3Part[]>;
  /** Removes the upload and its parts. */
  deleteUpload(uploadId: string): Promise<void>;
}
