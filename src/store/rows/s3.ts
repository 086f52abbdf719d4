// S3Store over SQL, one class for SQLite and PostgreSQL (the dialects agree on these statements;
// keys sort bytewise on both: SQLite's default collation, PostgreSQL's TEXT COLLATE "C").
import type { ListObjectsQuery, ListUploadsQuery, S3Bucket, S3NotificationConfiguration, S3Object, S3Part, S3Store, S3Tag, S3Upload } from '../s3-store.js';
import type { SqlRunner } from './metric-filters.js';

interface BucketRow { name: string; region: string; created_ms: number }
interface ObjectRow {
  key: string; blob: string; size: number; etag: string; content_type: string; metadata: string; checksums: string; last_modified_ms: number; tags: string;
}
interface UploadRow { upload_id: string; bucket: string; key: string; content_type: string; metadata: string; initiated_ms: number; tags: string }
interface PartRow { part_number: number; blob: string; size: number; etag: string; last_modified_ms: number; checksums: string }

const OBJECT_COLUMNS = 'key, blob, size, etag, content_type, metadata, checksums, last_modified_ms, tags';
const UPLOAD_COLUMNS = 'upload_id, bucket, key, content_type, metadata, initiated_ms, tags';

const bucketOf = (r: BucketRow): S3Bucket => ({ name: r.name, region: r.region, createdMs: r.created_ms });
const objectOf = (r: ObjectRow): S3Object => ({
  key: r.key, blob: r.blob, size: r.size, etag: r.etag, contentType: r.content_type,
  metadata: JSON.parse(r.metadata) as Record<string, string>, checksums: JSON.parse(r.checksums) as Record<string, string>, lastModifiedMs: r.last_modified_ms,
  tags: JSON.parse(r.tags) as S3Tag[],
});
const uploadOf = (r: UploadRow): S3Upload => ({
  uploadId: r.upload_id, bucket: r.bucket, key: r.key, contentType: r.content_type, metadata: JSON.parse(r.metadata) as Record<string, string>,
  initiatedMs: r.initiated_ms, tags: JSON.parse(r.tags) as S3Tag[],
});

export class SqlS3Store implements S3Store {
  readonly #sql: SqlRunner;

  constructor(sql: SqlRunner) {
    this.#sql = sql;
  }

  async createBucket(accountId: string, b: S3Bucket): Promise<'created' | 'exists'> {
    const n = await this.#sql.run('INSERT INTO s3_buckets (account_id, name, region, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [accountId, b.name, b.region, b.createdMs]);
    return n ? 'created' : 'exists';
  }

  async getBucket(accountId: string, name: string): Promise<S3Bucket | undefined> {
    const r = await this.#sql.get<BucketRow>('SELECT name, region, created_ms FROM s3_buckets WHERE account_id = ? AND name = ?', [accountId, name]);
    return r && bucketOf(r);
  }

  async listBuckets(accountId: string): Promise<S3Bucket[]> {
    return (await this.#sql.all<BucketRow>('SELECT name, region, created_ms FROM s3_buckets WHERE account_id = ? ORDER BY name', [accountId])).map(bucketOf);
  }

  async getBucketTags(accountId: string, name: string): Promise<S3Tag[] | undefined> {
    const r = await this.#sql.get<{ tags: string | null }>('SELECT tags FROM s3_buckets WHERE account_id = ? AND name = ?', [accountId, name]);
    return r?.tags ? JSON.parse(r.tags) as S3Tag[] : undefined;
  }

  async setBucketTags(accountId: string, name: string, tags: S3Tag[] | undefined): Promise<boolean> {
    const n = await this.#sql.run('UPDATE s3_buckets SET tags = ? WHERE account_id = ? AND name = ?', [tags ? JSON.stringify(tags) : null, accountId, name]);
    return n > 0;
  }

  async getBucketNotification(accountId: string, name: string): Promise<S3NotificationConfiguration | undefined> {
    const r = await this.#sql.get<{ notification: string | null }>('SELECT notification FROM s3_buckets WHERE account_id = ? AND name = ?', [accountId, name]);
    return r?.notification ? JSON.parse(r.notification) as S3NotificationConfiguration : undefined;
  }

  async setBucketNotification(accountId: string, name: string, configuration: S3NotificationConfiguration): Promise<boolean> {
    const n = await this.#sql.run('UPDATE s3_buckets SET notification = ? WHERE account_id = ? AND name = ?', [JSON.stringify(configuration), accountId, name]);
    return n > 0;
  }

  async deleteBucket(accountId: string, name: string): Promise<'deleted' | 'missing' | 'not-empty'> {
    // One statement: an object written meanwhile keeps the bucket.
    const n = await this.#sql.run(
      `DELETE FROM s3_buckets WHERE account_id = ? AND name = ?
         AND NOT EXISTS (SELECT 1 FROM s3_objects WHERE account_id = ? AND bucket = ?)
         AND NOT EXISTS (SELECT 1 FROM s3_uploads WHERE account_id = ? AND bucket = ?)`,
      [accountId, name, accountId, name, accountId, name],
    );
    if (!n) return (await this.getBucket(accountId, name)) ? 'not-empty' : 'missing';
    // A PutObject whose insert this DELETE did not see yet (PostgreSQL, read committed) is removed,
    // unless the bucket was created again meanwhile: no object outlives its bucket.
    await this.#sql.run(
      'DELETE FROM s3_objects WHERE account_id = ? AND bucket = ? AND NOT EXISTS (SELECT 1 FROM s3_buckets WHERE account_id = ? AND name = ?)',
      [accountId, name, accountId, name],
    );
    return 'deleted';
  }

  async putObject(accountId: string, bucket: string, o: S3Object): Promise<void> {
    await this.#sql.run(
      `INSERT INTO s3_objects (account_id, bucket, ${OBJECT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, bucket, key) DO UPDATE SET blob = excluded.blob, size = excluded.size, etag = excluded.etag,
         content_type = excluded.content_type, metadata = excluded.metadata, checksums = excluded.checksums, last_modified_ms = excluded.last_modified_ms,
         tags = excluded.tags`,
      [accountId, bucket, o.key, o.blob, o.size, o.etag, o.contentType, JSON.stringify(o.metadata), JSON.stringify(o.checksums), o.lastModifiedMs, JSON.stringify(o.tags)],
    );
  }

  async getObject(accountId: string, bucket: string, key: string): Promise<S3Object | undefined> {
    const r = await this.#sql.get<ObjectRow>(`SELECT ${OBJECT_COLUMNS} FROM s3_objects WHERE account_id = ? AND bucket = ? AND key = ?`, [accountId, bucket, key]);
    return r && objectOf(r);
  }

  async deleteObject(accountId: string, bucket: string, key: string): Promise<void> {
    await this.#sql.run('DELETE FROM s3_objects WHERE account_id = ? AND bucket = ? AND key = ?', [accountId, bucket, key]);
  }

  async setObjectTags(accountId: string, bucket: string, key: string, tags: S3Tag[]): Promise<boolean> {
    const n = await this.#sql.run('UPDATE s3_objects SET tags = ? WHERE account_id = ? AND bucket = ? AND key = ?', [JSON.stringify(tags), accountId, bucket, key]);
    return n > 0;
  }

  async listObjects(accountId: string, bucket: string, q: ListObjectsQuery): Promise<S3Object[]> {
    // The prefix's range by comparison (no LIKE: its wildcards and collation differ between the engines).
    const rows = await this.#sql.all<ObjectRow>(
      `SELECT ${OBJECT_COLUMNS} FROM s3_objects WHERE account_id = ? AND bucket = ? AND key > ? AND key >= ? ORDER BY key LIMIT ?`,
      [accountId, bucket, q.after, q.prefix, q.limit],
    );
    return rows.filter((r) => r.key.startsWith(q.prefix)).map(objectOf);
  }

  async createUpload(accountId: string, u: S3Upload): Promise<void> {
    await this.#sql.run(
      'INSERT INTO s3_uploads (upload_id, account_id, bucket, key, content_type, metadata, initiated_ms, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [u.uploadId, accountId, u.bucket, u.key, u.contentType, JSON.stringify(u.metadata), u.initiatedMs, JSON.stringify(u.tags)],
    );
  }

  async getUpload(accountId: string, bucket: string, uploadId: string): Promise<S3Upload | undefined> {
    const r = await this.#sql.get<UploadRow>(`SELECT ${UPLOAD_COLUMNS} FROM s3_uploads WHERE upload_id = ? AND account_id = ? AND bucket = ?`, [uploadId, accountId, bucket]);
    return r && uploadOf(r);
  }

  async listUploads(accountId: string, bucket: string, q: ListUploadsQuery): Promise<S3Upload[]> {
    // As listObjects: the prefix's range by comparison, then filtered.
    const after = q.afterUploadId === undefined ? 'key > ?' : '(key > ? OR (key = ? AND upload_id > ?))';
    const rows = await this.#sql.all<UploadRow>(
      `SELECT ${UPLOAD_COLUMNS} FROM s3_uploads WHERE account_id = ? AND bucket = ? AND ${after} AND key >= ? ORDER BY key, upload_id LIMIT ?`,
      [accountId, bucket, ...(q.afterUploadId === undefined ? [q.afterKey] : [q.afterKey, q.afterKey, q.afterUploadId]), q.prefix, q.limit],
    );
    return rows.filter((r) => r.key.startsWith(q.prefix)).map(uploadOf);
  }

  async putPart(uploadId: string, p: S3Part): Promise<void> {
    await this.#sql.run(
      `INSERT INTO s3_parts (upload_id, part_number, blob, size, etag, last_modified_ms, checksums) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET blob = excluded.blob, size = excluded.size, etag = excluded.etag,
         last_modified_ms = excluded.last_modified_ms, checksums = excluded.checksums`,
      [uploadId, p.partNumber, p.blob, p.size, p.etag, p.lastModifiedMs, JSON.stringify(p.checksums)],
    );
  }

  async listParts(uploadId: string): Promise<S3Part[]> {
    const rows = await this.#sql.all<PartRow>('SELECT part_number, blob, size, etag, last_modified_ms, checksums FROM s3_parts WHERE upload_id = ? ORDER BY part_number', [uploadId]);
    return rows.map((r) => ({
      partNumber: r.part_number, blob: r.blob, size: r.size, etag: r.etag, lastModifiedMs: Number(r.last_modified_ms), checksums: JSON.parse(r.checksums) as Record<string, string>,
    }));
  }

  async deleteUpload(uploadId: string): Promise<void> {
    // The upload first: whoever then misses a part finds the upload gone too (NoSuchUpload, not InvalidPart).
    await this.#sql.run('DELETE FROM s3_uploads WHERE upload_id = ?', [uploadId]);
    await this.#sql.run('DELETE FROM s3_parts WHERE upload_id = ?', [uploadId]);
  }
}
