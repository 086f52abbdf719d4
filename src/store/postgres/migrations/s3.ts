// Twins of src/store/sqlite/migrations/s3.ts.
// S3 buckets, objects and multipart uploads (src/store/rows/s3.ts); object bytes are blobs.
import type { Migration } from '../database.js';

export const s3Migrations: Migration[] = [
  {
    id: 's3-001-buckets-objects',
    sql: `
      CREATE TABLE s3_buckets (
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        PRIMARY KEY (account_id, name)
      );
      CREATE TABLE s3_objects (
        account_id TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        blob TEXT NOT NULL,
        size BIGINT NOT NULL,
        etag TEXT NOT NULL,
        content_type TEXT NOT NULL,
        metadata TEXT NOT NULL,
        checksums TEXT NOT NULL,
        last_modified_ms BIGINT NOT NULL,
        PRIMARY KEY (account_id, bucket, key)
      );
      CREATE TABLE s3_uploads (
        upload_id TEXT NOT NULL PRIMARY KEY,
        account_id TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        content_type TEXT NOT NULL,
        metadata TEXT NOT NULL,
        initiated_ms BIGINT NOT NULL
      );
      CREATE INDEX s3_uploads_bucket ON s3_uploads (account_id, bucket);
      CREATE TABLE s3_parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        blob TEXT NOT NULL,
        size BIGINT NOT NULL,
        etag TEXT NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      );
    `,
  },
  {
    // ListParts' LastModified and checksums, ListMultipartUploads' order (key, then upload ID, which
    // begins with its initiation time), bucket and object tag sets (NULL: no bucket tag set).
    id: 's3-002-listing-tagging',
    sql: `
      ALTER TABLE s3_parts ADD COLUMN last_modified_ms BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE s3_parts ADD COLUMN checksums TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE s3_uploads ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      CREATE INDEX s3_uploads_listing ON s3_uploads (account_id, bucket, key, upload_id);
      ALTER TABLE s3_buckets ADD COLUMN tags TEXT;
      ALTER TABLE s3_objects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    // The bucket's notification configuration (JSON; NULL: never set), gone with its row.
    id: 's3-003-notification',
    sql: `
      ALTER TABLE s3_buckets ADD COLUMN notification TEXT;
    `,
  },
];
