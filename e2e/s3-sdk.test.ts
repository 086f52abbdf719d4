// S3 through @aws-sdk/client-s3 (forcePathStyle) with its default flexible checksums (CRC32 in an
// aws-chunked trailer on uploads, validated on downloads): objects with metadata, ranges, copies,
// batch deletes, a multipart upload, S3's XML errors, the virtual-host style, and signatures
// checked when credentials are configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, CopyObjectCommand, DeleteObjectsCommand,
  ListObjectsV2Command, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand,
  ListBucketsCommand, DeleteBucketCommand, HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { Agent } from 'node:http';
import type { LookupOptions } from 'node:dns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { testRegion } from '../src/testing/server.js';

const KEY = { accessKeyId: 'AKIAS3TEST000000001', secretAccessKey: 'the-secret' };
const env = useServer({ env: { STAGECRAFT_CREDENTIALS: `${KEY.accessKeyId}:${KEY.secretAccessKey}` } });
const client = (credentials = KEY) => new S3Client({ endpoint: env.url, region: testRegion, credentials, forcePathStyle: true, maxAttempts: 1 });
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

async function rejects(call: Promise<unknown>, name: string, status: number, message?: string): Promise<void> {
  await assert.rejects(call, (e: any) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test('PutObject with the default CRC32 checksum, GetObject validated, metadata, ranges, copies and batch deletes', async () => {
  const s3 = client();
  await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
  const body = 'exports.handler = async () => 42;\n';
  const put = await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'code/a b+c.js', Body: body, ContentType: 'application/javascript', Metadata: { purpose: 'test' } }));
  assert.equal(put.ETag, `"${md5(body)}"`);
  assert.ok(put.ChecksumCRC32, 'the checksum the SDK sent is echoed');

  const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'code/a b+c.js', ChecksumMode: 'ENABLED' }));
  assert.equal(await got.Body!.transformToString(), body);
  assert.equal(got.ContentType, 'application/javascript');
  assert.deepEqual(got.Metadata, { purpose: 'test' });
  assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
  assert.ok(got.LastModified instanceof Date);

  for (const ChecksumAlgorithm of ['CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
    const other = await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: `sums/${ChecksumAlgorithm}`, Body: body, ChecksumAlgorithm }));
    const back = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: `sums/${ChecksumAlgorithm}`, ChecksumMode: 'ENABLED' }));
    assert.equal(await back.Body!.transformToString(), body);
    assert.ok(other[`Checksum${ChecksumAlgorithm}`], `${ChecksumAlgorithm} echoed`);
    assert.equal(back[`Checksum${ChecksumAlgorithm}`], other[`Checksum${ChecksumAlgorithm}`]);
  }
  await s3.send(new DeleteObjectsCommand({ Bucket: 'sdk-bucket', Delete: { Objects: ['CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'].map((a) => ({ Key: `sums/${a}` })) } }));

  const range = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'code/a b+c.js', Range: 'bytes=0-6' }));
  assert.equal(await range.Body!.transformToString(), 'exports');
  assert.equal(range.ContentRange, `bytes 0-6/${body.length}`);
  await rejects(s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'code/a b+c.js', Range: 'bytes=1000-' })), 'InvalidRange', 416, 'The requested range is not satisfiable');

  const copy = await s3.send(new CopyObjectCommand({ Bucket: 'sdk-bucket', Key: 'copy.js', CopySource: 'sdk-bucket/code/a%20b%2Bc.js' }));
  assert.equal(copy.CopyObjectResult?.ETag, put.ETag);
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'copy.js' }));
  assert.equal(head.ContentLength, body.length);
  assert.deepEqual(head.Metadata, { purpose: 'test' });

  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-bucket' }));
  assert.deepEqual(listed.Contents?.map((c) => c.Key), ['code/a b+c.js', 'copy.js']);
  const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: 'sdk-bucket', Delete: { Objects: [{ Key: 'code/a b+c.js' }, { Key: 'copy.js' }] } }));
  assert.deepEqual(deleted.Deleted?.map((d) => d.Key).sort(), ['code/a b+c.js', 'copy.js']);
  assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-bucket' }))).KeyCount, 0);
});

test('a multipart upload: parts joined in order, the md5-of-md5s ETag, and its errors', async () => {
  const s3 = client();
  const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1234)];
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big.zip' }));
  const etags: string[] = [];
  for (const [i, p] of parts.entries()) etags.push((await s3.send(new UploadPartCommand({ Bucket: 'sdk-bucket', Key: 'big.zip', UploadId, PartNumber: i + 1, Body: p }))).ETag!);
  assert.deepEqual(etags, parts.map((p) => `"${md5(p)}"`));
  await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] } })), 'InvalidPart', 400);
  await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: etags[1] }, { PartNumber: 1, ETag: etags[0] }] } })), 'InvalidPartOrder', 400);
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big.zip', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }));
  assert.equal(done.ETag, `"${md5(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))}-2"`);
  const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'big.zip' }))).Body!.transformToByteArray());
  assert.ok(got.equals(Buffer.concat(parts)));
  await rejects(s3.send(new UploadPartCommand({ Bucket: 'sdk-bucket', Key: 'big.zip', UploadId, PartNumber: 3, Body: 'x' })), 'NoSuchUpload', 404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');

  const small = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'small.zip' }));
  const tiny = await s3.send(new UploadPartCommand({ Bucket: 'sdk-bucket', Key: 'small.zip', UploadId: small.UploadId, PartNumber: 1, Body: 'tiny' }));
  const last = await s3.send(new UploadPartCommand({ Bucket: 'sdk-bucket', Key: 'small.zip', UploadId: small.UploadId, PartNumber: 2, Body: 'last' }));
  await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'small.zip', UploadId: small.UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: tiny.ETag }, { PartNumber: 2, ETag: last.ETag }] } })), 'EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.');
  await s3.send(new AbortMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'small.zip', UploadId: small.UploadId }));
  await rejects(s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'small.zip' })), 'NotFound', 404);
});

test("S3's errors as the SDK names them", async () => {
  const s3 = client();
  await rejects(s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'nope' })), 'NoSuchKey', 404, 'The specified key does not exist.');
  await rejects(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })), 'NoSuchBucket', 404, 'The specified bucket does not exist');
  await rejects(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })), 'NotFound', 404);
  await rejects(s3.send(new DeleteBucketCommand({ Bucket: 'sdk-bucket' })), 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty');
  await rejects(s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), 'BucketAlreadyOwnedByYou', 409);
  assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['sdk-bucket']);
});

test('signatures are checked: a wrong secret is SignatureDoesNotMatch, an unknown key InvalidAccessKeyId, also on aws-chunked uploads', async () => {
  await rejects(client({ ...KEY, secretAccessKey: 'wrong' }).send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'k', Body: 'x' })), 'SignatureDoesNotMatch', 403);
  await rejects(client({ ...KEY, secretAccessKey: 'wrong' }).send(new ListObjectsV2Command({ Bucket: 'sdk-bucket' })), 'SignatureDoesNotMatch', 403);
  await rejects(client({ accessKeyId: 'AKIAUNKNOWN00000000', secretAccessKey: 'x' }).send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'big.zip' })), 'InvalidAccessKeyId', 403,
    'The AWS Access Key Id you provided does not exist in our records.');
  // Signed for S3 but without the request's time.
  const undated = await fetch(`${env.url}/sdk-bucket/big.zip`, {
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20250101/${testRegion}/s3/aws4_request, SignedHeaders=host, Signature=00` },
  });
  assert.equal(undated.status, 403);
  assert.match(await undated.text(), /<Code>AccessDenied<\/Code><Message>AWS authentication requires a valid Date or x-amz-date header<\/Message>/);
});

test('a presigned GET URL is accepted while it is valid; a changed one is SignatureDoesNotMatch', async () => {
  const url = new URL(env.url);
  const signer = new SignatureV4({ service: 's3', region: testRegion, credentials: KEY, sha256: Sha256, uriEscapePath: false });
  const presigned = await signer.presign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/sdk-bucket/big.zip', headers: { host: url.host }, query: {} },
    { expiresIn: 60, unsignableHeaders: new Set(['x-amz-content-sha256']) });
  const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
  const good = await fetch(`${env.url}/sdk-bucket/big.zip?${query}`);
  assert.equal(good.status, 200);
  assert.equal((await good.arrayBuffer()).byteLength, 5 * 1024 * 1024 + 1234);
  const cli = await awsCli(env.url, ['s3', 'presign', 's3://sdk-bucket/big.zip'], { env: { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey } });
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal((await fetch(cli.stdout.trim())).status, 200, 'aws s3 presign (UNSIGNED-PAYLOAD) too');
  const changed = await fetch(`${env.url}/sdk-bucket/other.zip?${query}`);
  assert.equal(changed.status, 403);
  assert.match(await changed.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
});

test('the virtual-host style: {bucket}.s3.localhost', async () => {
  const port = new URL(env.url).port;
  // (*.localhost names are resolved here to the loopback address, as browsers and systemd-resolved do)
  const httpAgent = new Agent({ lookup: ((_host: string, options: LookupOptions, done: (...args: unknown[]) => void) =>
    options.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)) as never });
  const s3 = new S3Client({ endpoint: `http://s3.localhost:${port}`, region: testRegion, credentials: KEY, maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpAgent }) });
  await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'vhost.txt', Body: 'virtual' }));
  assert.equal(await (await client().send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'vhost.txt' }))).Body!.transformToString(), 'virtual');
});
