// S3 through the AWS CLI v2 (path style with --endpoint-url): `aws s3 mb/cp/ls/rb` — a small file
// in one PUT and a 20 MB file in a multipart upload, each with the CLI's default CRC checksums in
// aws-chunked trailers — and `aws s3api` head/list/delete, S3's errors, and persistence across a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
const dir = mkdtempSync(join(tmpdir(), 's3-cli-'));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
// (no progress lines from the s3 commands)
const cli = (...args: string[]) => awsCli(env.url, args[0] === 's3' && ['cp', 'rm'].includes(args[1]) ? [...args, '--only-show-errors'] : args, { cwd: dir });

test('aws s3 mb, cp (small and multipart), ls, and the objects read back byte for byte', async () => {
  assert.equal((await cli('s3', 'mb', 's3://artifacts')).code, 0);
  const small = Buffer.from('hello from s3\n');
  const big = randomBytes(20 * 1024 * 1024);
  writeFileSync(join(dir, 'small.txt'), small);
  writeFileSync(join(dir, 'big.bin'), big);
  let r = await cli('s3', 'cp', 'small.txt', 's3://artifacts/dir/small.txt');
  assert.equal(r.code, 0, r.stderr);
  r = await cli('s3', 'cp', 'big.bin', 's3://artifacts/big.bin');
  assert.equal(r.code, 0, r.stderr);

  const head = (await cli('s3api', 'head-object', '--bucket', 'artifacts', '--key', 'big.bin')).json();
  assert.equal(head.ContentLength, big.length);
  // 8 MiB parts (the CLI's default chunk size): 3 parts, ETag md5-of-md5s-3.
  const parts = [big.subarray(0, 8 << 20), big.subarray(8 << 20, 16 << 20), big.subarray(16 << 20)];
  const expected = md5(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())));
  assert.equal(head.ETag, `"${expected}-3"`);
  const smallHead = (await cli('s3api', 'head-object', '--bucket', 'artifacts', '--key', 'dir/small.txt')).json();
  assert.equal(smallHead.ETag, `"${md5(small)}"`);
  assert.equal(smallHead.ContentType, 'text/plain');

  r = await cli('s3', 'cp', 's3://artifacts/big.bin', 'back.bin');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(readFileSync(join(dir, 'back.bin')).equals(big), 'the multipart object reads back as uploaded');

  r = await cli('s3', 'ls', 's3://artifacts');
  assert.match(r.stdout, /PRE dir\//);
  assert.match(r.stdout, /20971520 big\.bin/);
  assert.doesNotMatch(r.stdout, /small\.txt/, 'rolled up under dir/');
  r = await cli('s3', 'ls', 's3://artifacts/dir/');
  assert.match(r.stdout, /14 small\.txt/);
  r = await cli('s3', 'ls');
  assert.match(r.stdout, /artifacts/);
});

test('aws s3api list-objects-v2 (and list-objects) pages with max-keys, prefix and delimiter', async () => {
  for (const key of ['p/a', 'p/b', 'p/c/d', 'q']) assert.equal((await cli('s3api', 'put-object', '--bucket', 'artifacts', '--key', key)).code, 0);
  const page = (await cli('s3api', 'list-objects-v2', '--bucket', 'artifacts', '--prefix', 'p/', '--delimiter', '/', '--max-items', '10')).json();
  assert.deepEqual(page.Contents.map((c: { Key: string }) => c.Key), ['p/a', 'p/b']);
  assert.deepEqual(page.CommonPrefixes, [{ Prefix: 'p/c/' }]);
  const raw = (await cli('s3api', 'list-objects-v2', '--bucket', 'artifacts', '--prefix', 'p/', '--max-keys', '2', '--no-paginate')).json();
  assert.equal(raw.IsTruncated, true);
  assert.equal(raw.KeyCount, 2);
  const next = (await cli('s3api', 'list-objects-v2', '--bucket', 'artifacts', '--prefix', 'p/', '--no-paginate', '--continuation-token', raw.NextContinuationToken)).json();
  assert.deepEqual(next.Contents.map((c: { Key: string }) => c.Key), ['p/c/d']);
  const v1 = (await cli('s3api', 'list-objects', '--bucket', 'artifacts', '--prefix', 'p/', '--delimiter', '/', '--max-keys', '2', '--no-paginate')).json();
  assert.deepEqual([v1.Contents.map((c: { Key: string }) => c.Key), v1.IsTruncated, v1.NextMarker], [['p/a', 'p/b'], true, 'p/b'], 'ListObjects (v1)');
  const v1next = (await cli('s3api', 'list-objects', '--bucket', 'artifacts', '--prefix', 'p/', '--delimiter', '/', '--no-paginate', '--marker', 'p/b')).json();
  assert.deepEqual(v1next.CommonPrefixes, [{ Prefix: 'p/c/' }]);
  const after = (await cli('s3api', 'list-objects-v2', '--bucket', 'artifacts', '--start-after', 'p/c/d')).json();
  assert.deepEqual(after.Contents.map((c: { Key: string }) => c.Key), ['q']);
});

test("S3's errors: NoSuchKey, NoSuchBucket, BucketNotEmpty, InvalidBucketName, BucketAlreadyOwnedByYou", async () => {
  let r = await cli('s3api', 'get-object', '--bucket', 'artifacts', '--key', 'missing', 'out');
  assert.match(r.stderr, /\(NoSuchKey\) when calling the GetObject operation(?: \(reached max retries: \d+\))?: The specified key does not exist\./);
  r = await cli('s3api', 'head-object', '--bucket', 'artifacts', '--key', 'missing');
  assert.match(r.stderr, /\(404\) when calling the HeadObject operation(?: \(reached max retries: \d+\))?: Not Found/);
  r = await cli('s3api', 'list-objects-v2', '--bucket', 'nobucket');
  assert.match(r.stderr, /\(NoSuchBucket\) when calling the ListObjectsV2 operation(?: \(reached max retries: \d+\))?: The specified bucket does not exist/);
  r = await cli('s3', 'rb', 's3://artifacts');
  assert.match(r.stderr, /\(BucketNotEmpty\) when calling the DeleteBucket operation(?: \(reached max retries: \d+\))?: The bucket you tried to delete is not empty/);
  r = await cli('s3api', 'create-bucket', '--bucket', 'Bad_Name');
  assert.match(r.stderr, /InvalidBucketName|Invalid bucket name/);
  r = await cli('s3api', 'create-bucket', '--bucket', 'eu-artifacts', '--create-bucket-configuration', 'LocationConstraint=eu-west-1');
  assert.equal(r.code, 0, r.stderr);
  r = await cli('s3api', 'create-bucket', '--bucket', 'eu-artifacts', '--create-bucket-configuration', 'LocationConstraint=eu-west-1');
  assert.match(r.stderr, /\(BucketAlreadyOwnedByYou\) when calling the CreateBucket operation(?: \(reached max retries: \d+\))?: Your previous request to create the named bucket succeeded and you already own it\./);
  assert.equal((await cli('s3api', 'get-bucket-location', '--bucket', 'eu-artifacts')).json().LocationConstraint, 'eu-west-1');
});

test('objects survive a restart; delete-object and rb empty the bucket', async () => {
  await env.restart();
  const head = (await cli('s3api', 'head-object', '--bucket', 'artifacts', '--key', 'dir/small.txt')).json();
  assert.equal(head.ContentLength, 14);
  let r = await cli('s3', 'cp', 's3://artifacts/dir/small.txt', '-');
  assert.equal(r.stdout, 'hello from s3\n');
  for (const key of ['p/a', 'p/b', 'p/c/d', 'q', 'big.bin']) assert.equal((await cli('s3api', 'delete-object', '--bucket', 'artifacts', '--key', key)).code, 0);
  r = await cli('s3', 'rm', 's3://artifacts/dir/small.txt');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await cli('s3api', 'list-objects-v2', '--bucket', 'artifacts')).stdout.trim(), '', 'no objects left');
  assert.equal((await cli('s3', 'rb', 's3://artifacts')).code, 0);
  r = await cli('s3api', 'head-bucket', '--bucket', 'artifacts');
  assert.match(r.stderr, /\(404\)/);
});
