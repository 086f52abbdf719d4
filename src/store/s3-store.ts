// S3 buckets, objects and multipart uploads (src/s3): the metadata. Object bytes are content-
// addressed blobs in the BlobStore (by SHA-256: on disk embedded, in the database in a cluster).
/** One tag of a bucket's or object's tag set, in the order given. */
export interface S3Tag {
  key: string;
  value: string;
}

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
  tags: S3Tag[];
}

export interface S3Upload {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiatedMs: number;
  /** x-amz-tagging given on CreateMultipartUpload: the object's tags once completed. */
  tags: S3Tag[];
}

export interface S3Part {
  partNumber: number;
  blob: string;
  size: number;
  etag: string;
  lastModifiedMs: number;
  /** Checksum headers sent with the part (x-amz-checksum-crc32 → value). */
  checksums: Record<string, string>;
}

/** Where a configuration sends its events. */
export type NotificationDestinationKind = 'lambda' | 'queue' | 'topic';

export interface S3NotificationTarget {
  kind: NotificationDestinationKind;
  id: string;
  /** The function's, queue's or topic's ARN. */
  arn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

export interface S3NotificationConfiguration {
  targets: S3NotificationTarget[];
  /** EventBridgeConfiguration present: stored and answered (events are not sent to EventBridge). */
  eventBridge: boolean;
}

export interface ListObjectsQuery {
  prefix: string;
  /** Keys strictly after this one. */
  after: string;
  limit: number;
}

export interface ListUploadsQuery {
  prefix: string;
  /** Uploads of keys strictly after this one … */
  afterKey: string;
  /** … or, when given, of afterKey itself with an upload ID strictly after this one. */
  afterUploadId?: string;
  limit: number;
}

export interface S3Store {
  createBucket(accountId: string, bucket: S3Bucket): Promise<'created' | 'exists'>;
  getBucket(accountId: string, name: string): Promise<S3Bucket | undefined>;
  listBuckets(accountId: string): Promise<S3Bucket[]>;
  /** The bucket's tag set, undefined when it has none (or no such bucket). */
  getBucketTags(accountId: string, name: string): Promise<S3Tag[] | undefined>;
  /** Replaces (undefined: removes) the tag set; false when the bucket does not exist. */
  setBucketTags(accountId: string, name: string, tags: S3Tag[] | undefined): Promise<boolean>;
  /** The bucket's notification configuration, undefined when never set (or no such bucket). */
  getBucketNotification(accountId: string, name: string): Promise<S3NotificationConfiguration | undefined>;
  /** Replaces the notification configuration; false when the bucket does not exist. */
  setBucketNotification(accountId: string, name: string, configuration: S3NotificationConfiguration): Promise<boolean>;
  /** 'not-empty' while objects remain. */
  deleteBucket(accountId: string, name: string): Promise<'deleted' | 'missing' | 'not-empty'>;
  putObject(accountId: string, bucket: string, object: S3Object): Promise<void>;
  getObject(accountId: string, bucket: string, key: string): Promise<S3Object | undefined>;
  deleteObject(accountId: string, bucket: string, key: string): Promise<void>;
  /** Replaces the object's tag set; false when the object does not exist. */
  setObjectTags(accountId: string, bucket: string, key: string, tags: S3Tag[]): Promise<boolean>;
  /** Objects in key order (binary), at most `limit`. */
  listObjects(accountId: string, bucket: string, query: ListObjectsQuery): Promise<S3Object[]>;
  createUpload(accountId: string, upload: S3Upload): Promise<void>;
  getUpload(accountId: string, bucket: string, uploadId: string): Promise<S3Upload | undefined>;
  /** The bucket's uploads in progress by key (binary), then upload ID, at most `limit`. */
  listUploads(accountId: string, bucket: string, query: ListUploadsQuery): Promise<S3Upload[]>;
  putPart(uploadId: string, part: S3Part): Promise<void>;
  listParts(uploadId: string): Promise<S3Part[]>;
  /** Removes the upload and its parts. */
  deleteUpload(uploadId: string): Promise<void>;
}
