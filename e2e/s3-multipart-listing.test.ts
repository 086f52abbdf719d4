// ListParts and ListMultipartUploads through @aws-sdk/client-s3 (forcePathStyle), on SQLite and on
// PostgreSQL: parts in order with their checksums, paged by max-parts and part-number-marker (and
// the SDK's paginator); uploads in key then initiation order, prefixes, delimiters rolled up into
// CommonPrefixes, paged by the two markers, URL encoding; S3's errors; ListObjectsV2 unaffected.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  S3Client, CreateBucketCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand,
  ListPartsCommand, ListMultipartUploadsCommand, PutObjectCommand, ListObjectsV2Command, ListObjectsCommand,
  type ListMultipartUploadsCommandOutput,
} from '@aws-sdk/client-s3';
import { TestServer } from '../src/testing/fixture.js';
import { awsCli, s3Client } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

const rejects = (call: Promise<unknown>, name: string, status: number, message?: string) => expectAwsError(call, name, message, status);

async function listParts(s3: S3Client, url: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: 'parts' }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'parts', Key: 'dir/big.zip' }));
  const bodies = ['one', 'two', 'three'].map((s) => Buffer.from(s.repeat(100)));
  const sent: { ETag?: string; ChecksumCRC32?: string }[] = [];
  // Uploaded out of order; part 2 twice (the second one stays).
  for (const n of [3, 2, 1, 2]) sent[n] = await s3.send(new UploadPartCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId, PartNumber: n, Body: bodies[n - 1] }));

  const all = await s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId }));
  assert.equal(all.Bucket, 'parts');
  assert.equal(all.Key, 'dir/big.zip');
  assert.equal(all.UploadId, UploadId);
  assert.equal(all.IsTruncated, false);
  assert.equal(all.MaxParts, 1000, 'the default');
  assert.equal(Number(all.PartNumberMarker), 0);
  assert.equal(Number(all.NextPartNumberMarker), 3);
  assert.equal(all.StorageClass, 'STANDARD');
  assert.ok(all.Initiator?.ID && all.Owner?.ID);
  assert.deepEqual(all.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), bodies.map((b, i) => [i + 1, `"${md5(b)}"`, b.length]));
  for (const p of all.Parts ?? []) {
    assert.ok(p.LastModified instanceof Date && Math.abs(p.LastModified.getTime() - Date.now()) < 60_000);
    assert.ok(p.ChecksumCRC32, 'the checksum the SDK sent with the part');
    assert.equal(p.ChecksumCRC32, sent[p.PartNumber!].ChecksumCRC32);
  }

  const first = await s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId, MaxParts: 2 }));
  assert.equal(first.IsTruncated, true);
  assert.equal(first.MaxParts, 2);
  assert.deepEqual(first.Parts?.map((p) => p.PartNumber), [1, 2]);
  assert.equal(Number(first.NextPartNumberMarker), 2);
  const rest = await s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId, MaxParts: 2, PartNumberMarker: first.NextPartNumberMarker }));
  assert.equal(rest.IsTruncated, false);
  assert.deepEqual(rest.Parts?.map((p) => p.PartNumber), [3]);
  assert.equal(Number(rest.PartNumberMarker), 2);
  const past = await s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId, PartNumberMarker: '3' }));
  assert.deepEqual(past.Parts ?? [], []);
  assert.equal(past.IsTruncated, false);
  assert.equal(Number(past.NextPartNumberMarker), 0, 'S3 sends 0 past the last part');

  // The AWS CLI's paginator (botocore's: NextPartNumberMarker while IsTruncated), a part a page.
  const cli = await awsCli(url, ['s3api', 'list-parts', '--bucket', 'parts', '--key', 'dir/big.zip', '--upload-id', UploadId!, '--page-size', '1']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(cli.json().Parts.map((p: { PartNumber: number }) => p.PartNumber), [1, 2, 3]);
  const cliMissing = await awsCli(url, ['s3api', 'list-parts', '--bucket', 'parts', '--key', 'dir/big.zip', '--upload-id', 'nope']);
  assert.notEqual(cliMissing.code, 0);
  assert.match(cliMissing.stderr, /NoSuchUpload/);

  await rejects(s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId: 'no-such-upload' })), 'NoSuchUpload', 404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  await rejects(s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'other.zip', UploadId })), 'NoSuchUpload', 404);
  await rejects(s3.send(new ListPartsCommand({ Bucket: 'no-such-bucket', Key: 'dir/big.zip', UploadId })), 'NoSuchBucket', 404);
  await rejects(s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId, MaxParts: -1 })), 'InvalidArgument', 400,
    'Argument max-parts must be an integer between 0 and 2147483647');
  const bad = await fetch(`${url}/parts/dir/big.zip?uploadId=${UploadId}&max-parts=many`, { headers: { authorization: AUTH } });
  assert.equal(bad.status, 400);
  const text = await bad.text();
  assert.match(text, /<Code>InvalidArgument<\/Code><Message>Provided max-parts not an integer or within integer range<\/Message><ArgumentName>max-parts<\/ArgumentName><ArgumentValue>many<\/ArgumentValue>/);

  // Completed, the upload is gone: ListParts answers NoSuchUpload.
  await assert.rejects(s3.send(new CompleteMultipartUploadCommand({
    Bucket: 'parts', Key: 'dir/big.zip', UploadId, MultipartUpload: { Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: sent[n].ETag })) },
  })), (e: any) => e.name === 'EntityTooSmall', 'small parts: not completed');
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 3, ETag: sent[3].ETag }] } }));
  await rejects(s3.send(new ListPartsCommand({ Bucket: 'parts', Key: 'dir/big.zip', UploadId })), 'NoSuchUpload', 404);
}

async function listUploads(s3: S3Client, url: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
  const create = async (Key: string) => (await s3.send(new CreateMultipartUploadCommand({ Bucket: 'uploads', Key }))).UploadId!;
  const ids: Record<string, string[]> = {};
  for (const key of ['d', 'a/1', 'b/x/1', 'a/2', 'c', 'a/1', 'sp ace/é+']) {
    (ids[key] ??= []).push(await create(key));
    await new Promise((r) => setTimeout(r, 2)); // initiation times apart
  }
  await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'a/object', Body: 'x' }));

  const all = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads' }));
  assert.equal(all.Bucket, 'uploads');
  assert.equal(all.MaxUploads, 1000, 'the default');
  assert.equal(all.IsTruncated, false);
  assert.equal(all.KeyMarker ?? '', '');
  assert.deepEqual(all.Uploads?.map((u) => [u.Key, u.UploadId]), [
    ['a/1', ids['a/1'][0]], ['a/1', ids['a/1'][1]], ['a/2', ids['a/2'][0]], ['b/x/1', ids['b/x/1'][0]], ['c', ids.c[0]], ['d', ids.d[0]], ['sp ace/é+', ids['sp ace/é+'][0]],
  ], 'by key, then in initiation order; objects are not uploads');
  const u = all.Uploads![0];
  assert.equal(u.StorageClass, 'STANDARD');
  assert.ok(u.Initiated instanceof Date && Math.abs(u.Initiated.getTime() - Date.now()) < 60_000);
  assert.ok(u.Initiator?.ID && u.Owner?.ID);
  assert.equal(all.NextKeyMarker, 'sp ace/é+');

  const prefixed = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', Prefix: 'a/' }));
  assert.equal(prefixed.Prefix, 'a/');
  assert.deepEqual(prefixed.Uploads?.map((x) => x.Key), ['a/1', 'a/1', 'a/2']);

  const rolled = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', Delimiter: '/' }));
  assert.equal(rolled.Delimiter, '/');
  assert.deepEqual(rolled.Uploads?.map((x) => x.Key), ['c', 'd']);
  assert.deepEqual(rolled.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'b/', 'sp ace/']);
  const nested = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', Delimiter: '/', Prefix: 'b/' }));
  assert.deepEqual(nested.CommonPrefixes?.map((p) => p.Prefix), ['b/x/']);
  assert.deepEqual(nested.Uploads ?? [], []);

  // Paged one at a time by the next markers, uploads and common prefixes together: each once.
  const seen: string[] = [];
  let page: ListMultipartUploadsCommandOutput | undefined;
  do {
    page = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', Delimiter: '/', MaxUploads: 1, KeyMarker: page?.NextKeyMarker, UploadIdMarker: page?.NextUploadIdMarker }));
    seen.push(...(page.Uploads ?? []).map((x) => x.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    assert.ok((page.Uploads?.length ?? 0) + (page.CommonPrefixes?.length ?? 0) <= 1);
  } while (page.IsTruncated);
  assert.deepEqual(seen, ['a/', 'b/', 'c', 'd', 'sp ace/']);

  const two = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', MaxUploads: 2 }));
  assert.equal(two.IsTruncated, true);
  assert.deepEqual(two.Uploads?.map((x) => x.UploadId), ids['a/1']);
  assert.equal(two.NextKeyMarker, 'a/1');
  assert.equal(two.NextUploadIdMarker, ids['a/1'][1]);
  const within = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', MaxUploads: 2, KeyMarker: 'a/1', UploadIdMarker: ids['a/1'][0] }));
  assert.deepEqual(within.Uploads?.map((x) => x.UploadId), [ids['a/1'][1], ids['a/2'][0]], 'the key marker\'s later uploads, then the next keys');
  assert.equal(within.UploadIdMarker, ids['a/1'][0]);
  const byKey = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', KeyMarker: 'a/1' }));
  assert.deepEqual(byKey.Uploads?.map((x) => x.Key), ['a/2', 'b/x/1', 'c', 'd', 'sp ace/é+'], 'without an upload ID marker: keys after the key marker');
  const ignored = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', UploadIdMarker: ids['a/1'][0] }));
  assert.equal(ignored.Uploads?.length, 7, 'an upload ID marker without a key marker is ignored');

  // encoding-type=url: keys, prefixes and markers URL-encoded (SDK v3 hands them over as sent).
  const raw = await fetch(`${url}/uploads?uploads&encoding-type=url&prefix=sp%20ace/`, { headers: { authorization: AUTH } });
  const xml = await raw.text();
  assert.match(xml, /<Prefix>sp%20ace\/<\/Prefix>/);
  assert.match(xml, /<Key>sp%20ace\/%C3%A9%2B<\/Key>/);
  assert.match(xml, /<EncodingType>url<\/EncodingType>/);
  const encoded = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', EncodingType: 'url', Prefix: 'sp ace/' }));
  assert.deepEqual(encoded.Uploads?.map((x) => x.Key), ['sp%20ace/%C3%A9%2B']);
  assert.equal(encoded.EncodingType, 'url');

  await rejects(s3.send(new ListMultipartUploadsCommand({ Bucket: 'no-such-bucket' })), 'NoSuchBucket', 404, 'The specified bucket does not exist');
  await rejects(s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', MaxUploads: -5 })), 'InvalidArgument', 400, 'Argument max-uploads must be an integer between 0 and 2147483647');
  const badEncoding = await fetch(`${url}/uploads?uploads&encoding-type=base64`, { headers: { authorization: AUTH } });
  assert.equal(badEncoding.status, 400);
  assert.match(await badEncoding.text(), /Invalid Encoding Method specified in Request/);

  // Aborted, an upload is no longer listed.
  await s3.send(new AbortMultipartUploadCommand({ Bucket: 'uploads', Key: 'c', UploadId: ids.c[0] }));
  const afterAbort = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', Prefix: 'c' }));
  assert.deepEqual(afterAbort.Uploads ?? [], []);

  // Listing objects is unaffected by uploads in progress.
  const v2 = await s3.send(new ListObjectsV2Command({ Bucket: 'uploads', Delimiter: '/' }));
  assert.deepEqual(v2.CommonPrefixes?.map((p) => p.Prefix), ['a/']);
  assert.deepEqual(v2.Contents ?? [], []);
  const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'uploads' }));
  assert.deepEqual(v1.Contents?.map((c) => c.Key), ['a/object']);

  // ListObjects (v1) paged by NextMarker with a delimiter: a page ending with a common prefix
  // resumes past its keys (the prefix is not answered again).
  for (const Key of ['a/other', 'b/1', 'b/2', 'c.txt']) await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key, Body: 'x' }));
  const listed: string[] = [];
  let marker: string | undefined;
  for (let i = 0; i < 10; i++) {
    const v1Page = await s3.send(new ListObjectsCommand({ Bucket: 'uploads', Delimiter: '/', MaxKeys: 1, Marker: marker }));
    listed.push(...(v1Page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(v1Page.Contents ?? []).map((c) => c.Key!));
    if (!v1Page.IsTruncated) break;
    marker = v1Page.NextMarker;
  }
  assert.deepEqual(listed, ['a/', 'b/', 'c.txt']);
}

async function suite(server: TestServer): Promise<void> {
  try {
    const s3 = s3Client(server.url);
    await listParts(s3, server.url);
    await listUploads(s3, server.url);
  } finally {
    await server.stop();
  }
}

test('SQLite: ListParts and ListMultipartUploads', async () => {
  await suite(await TestServer.start());
});

test('PostgreSQL: ListParts and ListMultipartUploads', async () => {
  db = await createTestDatabase();
  await suite(await TestServer.start({ args: ['--database', db.url] }));
});
