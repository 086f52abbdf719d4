// Accounts are walls: one account's bucket of the same name, objects, uploads and copy sources are
// invisible to another (a server has one account, so this is checked below the wire, on S3Objects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { sqliteRunner } from '../store/sqlite/logs-store.js';
import { SqlS3Store } from '../store/rows/s3.js';
import { BlobStore } from '../store/blobs.js';
import { S3Objects } from './objects.js';
import { S3Error } from './errors.js';

const code = (name: string) => (e: unknown) => e instanceof S3Error && e.code === name;

test("another account cannot read, list, complete or delete into an account's bucket", async () => {
  const dir = mkdtempSync(join(tmpdir(), 's3-accounts-'));
  const db = openSqlite(dir, allMigrations);
  try {
    const objects = new S3Objects(new SqlS3Store(sqliteRunner(db)), new BlobStore(dir));
    const A = '111111111111';
    const B = '222222222222';
    await objects.store.createBucket(A, { name: 'secret', region: 'us-east-1', createdMs: 1 });
    await objects.put(A, 'secret', 'k', { data: Buffer.from('a-only'), contentType: 'text/plain', metadata: {}, checksums: {}, tags: [] });
    const upload = await objects.createUpload(A, 'secret', 'mp', 'text/plain', {}, []);

    await assert.rejects(objects.object(B, 'secret', 'k'), code('NoSuchBucket'));
    assert.deepEqual(await objects.readObject(B, 'secret', 'k'), { missing: 'NoSuchBucket' });
    await assert.rejects(objects.put(B, 'secret', 'k', { data: Buffer.from('b'), contentType: 'text/plain', metadata: {}, checksums: {}, tags: [] }), code('NoSuchBucket'));
    await assert.rejects(objects.putPart(B, 'secret', 'mp', upload.uploadId, 1, Buffer.from('b'), {}), code('NoSuchBucket'));
    assert.equal(await objects.store.deleteBucket(B, 'secret'), 'missing');
    assert.deepEqual(await objects.store.listBuckets(B), []);

    // B's own bucket of the same name does not reach A's upload or objects.
    await objects.store.createBucket(B, { name: 'secret', region: 'us-east-1', createdMs: 2 });
    await assert.rejects(objects.putPart(B, 'secret', 'mp', upload.uploadId, 1, Buffer.from('b'), {}), code('NoSuchUpload'));
    await assert.rejects(objects.complete(B, 'secret', 'mp', upload.uploadId, [{ partNumber: 1, etag: 'x' }]), code('NoSuchUpload'));
    assert.deepEqual(await objects.readObject(B, 'secret', 'k'), { missing: 'NoSuchKey' });
    assert.deepEqual(await objects.store.listObjects(B, 'secret', { prefix: '', after: '', limit: 10 }), []);
    assert.equal((await objects.getObject(A, 'secret', 'k'))?.toString(), 'a-only', "A's object is untouched");
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
