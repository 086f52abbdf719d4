// The S3Store contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { S3Object, S3Upload } from '../s3-store.js';

const object = (key: string, extra: Partial<S3Object> = {}): S3Object => ({
  key, blob: `blob-${key}`, size: key.length, etag: '"etag"', contentType: 'text/plain', metadata: { who: 'test' }, checksums: {}, lastModifiedMs: 1_700_000_000_000, tags: [], ...extra,
});

const part = (partNumber: number, blob: string, size: number, etag: string) => ({ partNumber, blob, size, etag, lastModifiedMs: 7, checksums: {} });
const upload = (uploadId: string, key: string): S3Upload => ({ uploadId, bucket: 'b', key, contentType: 'x/y', metadata: {}, initiatedMs: 5, tags: [] });

export function s3StoreContract(backend: StoreBackend): void {
  test(`${backend.name}: s3: buckets per account, objects in bytewise key order, prefixes, uploads, kept across a reopen`, async () => {
    const opened = await backend.open();
    const store = opened.s3;
    assert.equal(await store.createBucket('111', { name: 'b', region: 'eu-west-1', createdMs: 1 }), 'created');
    assert.equal(await store.createBucket('111', { name: 'b', region: 'us-east-1', createdMs: 2 }), 'exists');
    assert.equal(await store.createBucket('222', { name: 'b', region: 'us-east-1', createdMs: 3 }), 'created', 'names are per account');
    assert.deepEqual(await store.getBucket('111', 'b'), { name: 'b', region: 'eu-west-1', createdMs: 1 });

    for (const key of ['a/2', 'a/1', 'B', 'é', 'z', 'a/10']) await store.putObject('111', 'b', object(key));
    await store.putObject('111', 'b', object('z', { size: 99, metadata: {} }));
    const keys = async (prefix: string, after = '', limit = 100) => (await store.listObjects('111', 'b', { prefix, after, limit })).map((o) => o.key);
    assert.deepEqual(await keys(''), ['B', 'a/1', 'a/10', 'a/2', 'z', 'é'], 'bytewise (UTF-8) order');
    assert.deepEqual(await keys('a/'), ['a/1', 'a/10', 'a/2']);
    assert.deepEqual(await keys('a/', 'a/1'), ['a/10', 'a/2']);
    assert.deepEqual(await keys('', '', 2), ['B', 'a/1']);
    assert.deepEqual(await store.getObject('111', 'b', 'z'), object('z', { size: 99, metadata: {} }), 'replaced');
    assert.equal(await store.getObject('222', 'b', 'z'), undefined);
    assert.equal(await store.deleteBucket('111', 'b'), 'not-empty');
    assert.equal(await store.deleteBucket('111', 'missing'), 'missing');

    await store.createUpload('111', { uploadId: 'u1', bucket: 'b', key: 'big', contentType: 'x/y', metadata: {}, initiatedMs: 5, tags: [] });
    await store.putPart('u1', part(2, 'p2', 2, '"2"'));
    await store.putPart('u1', part(1, 'p1', 1, '"1"'));
    await store.putPart('u1', part(1, 'p1b', 3, '"1b"'));
    assert.deepEqual((await store.listParts('u1')).map((p) => [p.partNumber, p.blob]), [[1, 'p1b'], [2, 'p2']]);
    assert.equal(await store.getUpload('222', 'b', 'u1'), undefined, 'another account sees no upload');

    await opened.close({ keep: true });
    const reopened = await backend.open(opened.location);
    try {
      const s3 = reopened.s3;
      assert.equal((await s3.getUpload('111', 'b', 'u1'))?.key, 'big');
      for (const key of ['a/2', 'a/1', 'B', 'é', 'z', 'a/10']) await s3.deleteObject('111', 'b', key);
      assert.equal(await s3.deleteBucket('111', 'b'), 'not-empty', 'an upload in progress keeps the bucket');
      await s3.deleteUpload('u1');
      assert.deepEqual(await s3.listParts('u1'), []);
      assert.equal(await s3.deleteBucket('111', 'b'), 'deleted');
      assert.deepEqual((await s3.listBuckets('111')).map((b) => b.name), []);
      assert.deepEqual((await s3.listBuckets('222')).map((b) => b.name), ['b']);
    } finally {
      await reopened.close();
    }
  });

  test(`${backend.name}: s3: uploads listed by key then upload ID, part times and checksums, bucket and object tag sets`, async () => {
    const opened = await backend.open();
    try {
      const store = opened.s3;
      await store.createBucket('111', { name: 'b', region: 'us-east-1', createdMs: 1 });
      for (const [id, key] of [['u2', 'a/x'], ['u1', 'a/x'], ['u3', 'B'], ['u4', 'é'], ['u5', 'a/y']]) await store.createUpload('111', upload(id, key));
      await store.createUpload('222', { ...upload('u9', 'a/x') });
      const ids = async (q: Partial<Parameters<typeof store.listUploads>[2]>) =>
        (await store.listUploads('111', 'b', { prefix: '', afterKey: '', limit: 100, ...q })).map((u) => u.uploadId);
      assert.deepEqual(await ids({}), ['u3', 'u1', 'u2', 'u5', 'u4'], 'bytewise keys, then upload IDs');
      assert.deepEqual(await ids({ prefix: 'a/' }), ['u1', 'u2', 'u5']);
      assert.deepEqual(await ids({ afterKey: 'a/x' }), ['u5', 'u4']);
      assert.deepEqual(await ids({ afterKey: 'a/x', afterUploadId: 'u1' }), ['u2', 'u5', 'u4']);
      assert.deepEqual(await ids({ limit: 2 }), ['u3', 'u1']);

      await store.putPart('u1', { ...part(1, 'p', 4, '"e"'), lastModifiedMs: 1_700_000_000_123, checksums: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
      assert.deepEqual(await store.listParts('u1'), [{ ...part(1, 'p', 4, '"e"'), lastModifiedMs: 1_700_000_000_123, checksums: { 'x-amz-checksum-crc32': 'AAAAAA==' } }]);

      assert.equal(await store.getBucketTags('111', 'b'), undefined, 'no tag set');
      assert.equal(await store.setBucketTags('111', 'b', [{ key: 'z', value: '' }, { key: 'a', value: 'v' }]), true);
      assert.deepEqual(await store.getBucketTags('111', 'b'), [{ key: 'z', value: '' }, { key: 'a', value: 'v' }], 'in the order given');
      assert.equal(await store.setBucketTags('111', 'missing', []), false);
      await store.setBucketTags('111', 'b', undefined);
      assert.equal(await store.getBucketTags('111', 'b'), undefined);

      await store.putObject('111', 'b', object('k', { tags: [{ key: 't', value: '1' }] }));
      assert.deepEqual((await store.getObject('111', 'b', 'k'))?.tags, [{ key: 't', value: '1' }]);
      assert.equal(await store.setObjectTags('111', 'b', 'k', []), true);
      assert.deepEqual((await store.getObject('111', 'b', 'k'))?.tags, []);
      assert.equal(await store.setObjectTags('111', 'b', 'gone', []), false);
      await store.putObject('111', 'b', object('k', { tags: [{ key: 'new', value: '' }] }));
      assert.deepEqual((await store.getObject('111', 'b', 'k'))?.tags, [{ key: 'new', value: '' }], 'a new write replaces the tags');
    } finally {
      await opened.close();
    }
  });

  test(`${backend.name}: s3: a bucket's notification configuration, replaced, kept across a reopen, gone with the bucket`, async () => {
    const opened = await backend.open();
    const configuration = {
      targets: [
        { kind: 'lambda' as const, id: 'on-put', arn: 'arn:aws:lambda:us-east-1:111111111111:function:f', events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.csv' },
        { kind: 'queue' as const, id: 'q', arn: 'arn:aws:sqs:us-east-1:111111111111:q', events: ['s3:ObjectRemoved:Delete'] },
      ],
      eventBridge: true,
    };
    await opened.s3.createBucket('111', { name: 'nb', region: 'us-east-1', createdMs: 1 });
    assert.equal(await opened.s3.getBucketNotification('111', 'nb'), undefined, 'never set');
    assert.equal(await opened.s3.setBucketNotification('111', 'missing', configuration), false);
    assert.equal(await opened.s3.setBucketNotification('111', 'nb', { targets: [], eventBridge: false }), true);
    assert.equal(await opened.s3.setBucketNotification('111', 'nb', configuration), true);
    await opened.close({ keep: true });
    const reopened = await backend.open(opened.location);
    try {
      const s3 = reopened.s3;
      assert.deepEqual(await s3.getBucketNotification('111', 'nb'), configuration);
      assert.equal(await s3.getBucketNotification('222', 'nb'), undefined, 'per account');
      assert.equal(await s3.deleteBucket('111', 'nb'), 'deleted');
      await s3.createBucket('111', { name: 'nb', region: 'us-east-1', createdMs: 2 });
      assert.equal(await s3.getBucketNotification('111', 'nb'), undefined, 'a bucket created again starts without one');
    } finally {
      await reopened.close();
    }
  });
}
