// S3 on the wire, below what SDKs let a caller get wrong: aws-chunked bodies with trailing
// checksums (right and wrong), Content-MD5 and x-amz-content-sha256 that don't match the body, a
// body over the size limit, and subresources Stagecraft does not serve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { crc32 } from 'node:zlib';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
// Signatures are not verified by this server; the scope routes the request to S3.
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
const s3 = (path: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) =>
  fetch(`${env.url}${path}`, { method: init.method ?? 'GET', headers: { authorization: AUTH, ...init.headers }, body: init.body });
const codeOf = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
const crc32Base64 = (data: Buffer) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data));
  return b.toString('base64');
};

/** `data` as an aws-chunked body of two chunks with an x-amz-checksum-crc32 trailer. */
function chunked(data: Buffer, checksum: string): Buffer {
  const half = Math.floor(data.length / 2);
  const chunk = (c: Buffer) => Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]);
  return Buffer.concat([chunk(data.subarray(0, half)), chunk(data.subarray(half)), Buffer.from(`0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`)]);
}

const chunkedHeaders = (data: Buffer) => ({
  'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32',
  'x-amz-decoded-content-length': String(data.length),
});

test('an aws-chunked body is decoded and its trailing CRC32 checked and echoed; a wrong one is BadDigest', async () => {
  assert.equal((await s3('/wire', { method: 'PUT' })).status, 200);
  const data = Buffer.from('0123456789abcdefghij');
  const ok = await s3('/wire/chunked.txt', { method: 'PUT', headers: chunkedHeaders(data), body: chunked(data, crc32Base64(data)) });
  assert.equal(ok.status, 200, await ok.text());
  assert.equal(ok.headers.get('x-amz-checksum-crc32'), crc32Base64(data));
  assert.equal(ok.headers.get('etag'), `"${createHash('md5').update(data).digest('hex')}"`);
  assert.equal(await (await s3('/wire/chunked.txt')).text(), data.toString());

  const bad = await s3('/wire/bad.txt', { method: 'PUT', headers: chunkedHeaders(data), body: chunked(data, 'AAAAAA==') });
  assert.equal(bad.status, 400);
  assert.equal(await codeOf(bad), 'BadDigest');
  assert.equal((await s3('/wire/bad.txt', { method: 'HEAD' })).status, 404, 'nothing was stored');
});

test('Content-MD5 and x-amz-content-sha256 must match the body', async () => {
  const wrongMd5 = await s3('/wire/md5.txt', { method: 'PUT', headers: { 'content-md5': createHash('md5').update('other').digest('base64') }, body: 'body' });
  assert.equal(wrongMd5.status, 400);
  assert.equal(await codeOf(wrongMd5), 'BadDigest');
  const wrongSha = await s3('/wire/sha.txt', { method: 'PUT', headers: { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, body: 'body' });
  assert.equal(wrongSha.status, 400);
  assert.equal(await codeOf(wrongSha), 'XAmzContentSHA256Mismatch');
  const right = await s3('/wire/sha.txt', { method: 'PUT', headers: { 'x-amz-content-sha256': createHash('sha256').update('body').digest('hex') }, body: 'body' });
  assert.equal(right.status, 200);
});

test('limits: a body over 256 MiB (before it is read), a key over 1024 bytes, metadata over 2 KB; unserved subresources are NotImplemented', async () => {
  const url = new URL(`${env.url}/wire/huge.bin`);
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { authorization: AUTH, 'content-length': String(300 * 1024 * 1024) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.write(Buffer.alloc(1024));
  });
  assert.equal(answer.status, 400);
  assert.match(answer.body, /<Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message>/);
  const longKey = await s3(`/wire/${'k'.repeat(1025)}`, { method: 'PUT', body: 'x' });
  assert.equal(longKey.status, 400);
  assert.equal(await codeOf(longKey), 'KeyTooLongError');
  const bigMeta = await s3('/wire/meta', { method: 'PUT', headers: { 'x-amz-meta-big': 'm'.repeat(2100) }, body: 'x' });
  assert.equal(bigMeta.status, 400);
  assert.equal(await codeOf(bigMeta), 'MetadataTooLarge');
  const retention = await s3('/wire/sha.txt?retention');
  assert.equal(retention.status, 501);
  assert.equal(await codeOf(retention), 'NotImplemented');
  // Configurations are read (as for a bucket never configured), not written.
  const versioning = await s3('/wire?versioning', { method: 'PUT', body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' });
  assert.equal(versioning.status, 501);
  assert.match(await versioning.text(), /<Code>NotImplemented<\/Code><Message>Stagecraft&apos;s S3 does not implement the versioning subresource<\/Message>/);
  const inventory = await s3('/wire?inventory&id=x');
  assert.equal(inventory.status, 501);
});
