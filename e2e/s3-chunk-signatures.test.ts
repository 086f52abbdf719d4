// aws-chunked bodies signed chunk by chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD and …-TRAILER) on a
// server that verifies signatures: each chunk's signature chains from the headers' (seed) one and
// the trailer's from the last chunk's; a body, a chunk signature, a trailer or a trailer signature
// changed in flight is 403 SignatureDoesNotMatch and stores nothing. The AWS CLI and the SDK (which
// send unsigned-payload trailers) keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { testCredentials, testRegion } from '../src/testing/server.js';

const env = useServer({ env: { STAGECRAFT_CREDENTIALS: `${testCredentials.accessKeyId}:${testCredentials.secretAccessKey}` } });
const signer = new SignatureV4({ credentials: testCredentials, region: testRegion, service: 's3', sha256: Sha256, uriEscapePath: false });
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const EMPTY = sha256('');

interface Tamper { dataByte?: boolean; chunkSignature?: boolean; trailerValue?: boolean; trailerSignature?: boolean | 'missing' }

/**
 * PUTs `data` in 64 KiB chunks signed as S3's sigv4-streaming describes (with a CRC32 trailer and
 * its signature when `trailer`), then alters the body as `tamper` says.
 */
async function signedChunkedPut(key: string, data: Buffer, trailer: boolean, tamper: Tamper = {}): Promise<Response> {
  const url = new URL(`/chunks/${key}`, env.url);
  const signingDate = new Date();
  const signed = await signer.sign({
    method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {},
    headers: {
      host: url.host, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length),
      'x-amz-content-sha256': trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      ...(trailer ? { 'x-amz-trailer': 'x-amz-checksum-crc32' } : {}),
    },
  }, { signingDate });
  const headers = signed.headers as Record<string, string>;
  const date = headers['x-amz-date'];
  const scope = `${date.slice(0, 8)}/${testRegion}/s3/aws4_request`;
  let previous = /Signature=([0-9a-f]{64})/.exec(headers.authorization)![1];
  const parts: Buffer[] = [];
  const sizes: number[] = [];
  for (let at = 0; at < data.length; at += 65536) sizes.push(Math.min(65536, data.length - at));
  sizes.push(0);
  let at = 0;
  for (const [i, size] of sizes.entries()) {
    const chunk = data.subarray(at, at + size);
    at += size;
    previous = await signer.sign(['AWS4-HMAC-SHA256-PAYLOAD', date, scope, previous, EMPTY, sha256(chunk)].join('\n'), { signingDate });
    const signature = tamper.chunkSignature && i === 1 ? previous.replace(/^./, (c) => (c === '0' ? '1' : '0')) : previous;
    // (the final, empty chunk is followed by the trailers, or by the empty line that ends the body)
    parts.push(Buffer.from(`${size.toString(16)};chunk-signature=${signature}\r\n`), chunk, Buffer.from(size ? '\r\n' : ''));
  }
  if (trailer) {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(data));
    const line = `x-amz-checksum-crc32:${crc.toString('base64')}`;
    const signature = await signer.sign(['AWS4-HMAC-SHA256-TRAILER', date, scope, previous, sha256(`${line}\n`)].join('\n'), { signingDate });
    const sent = tamper.trailerValue ? 'x-amz-checksum-crc32:AAAAAA==' : line;
    const signatureLine = tamper.trailerSignature === 'missing' ? '' : `x-amz-trailer-signature:${tamper.trailerSignature ? signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')) : signature}\r\n`;
    parts.push(Buffer.from(`${sent}\r\n${signatureLine}\r\n`));
  } else {
    parts.push(Buffer.from('\r\n'));
  }
  const body = Buffer.concat(parts);
  if (tamper.dataByte) body[body.indexOf('\r\n') + 2 + 70000 % 65536] ^= 1;
  return fetch(url, { method: 'PUT', headers, body });
}

async function refused(res: Response): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 403, text);
  assert.match(text, /<Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match the signature you provided\. Check your key and signing method\.<\/Message>/);
}

async function stored(key: string): Promise<Buffer | undefined> {
  const url = new URL(`/chunks/${key}`, env.url);
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, 'x-amz-content-sha256': EMPTY } });
  const res = await fetch(url, { headers: signed.headers as Record<string, string> });
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

test('signed chunks (with and without a signed trailer) are stored; a chain broken anywhere is SignatureDoesNotMatch and stores nothing', async () => {
  const url = new URL('/chunks', env.url);
  const made = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, 'x-amz-content-sha256': EMPTY } });
  assert.equal((await fetch(url, { method: 'PUT', headers: made.headers as Record<string, string> })).status, 200);

  const data = randomBytes(150_000);
  const plain = await signedChunkedPut('plain', data, false);
  assert.equal(plain.status, 200, await plain.clone().text());
  assert.equal(md5((await stored('plain'))!), md5(data));
  const trailed = await signedChunkedPut('trailed', data, true);
  assert.equal(trailed.status, 200, await trailed.clone().text());
  assert.equal(md5((await stored('trailed'))!), md5(data));

  const cases: [string, boolean, Tamper][] = [
    ['byte', false, { dataByte: true }],
    ['byte-trailed', true, { dataByte: true }],
    ['chunk-signature', false, { chunkSignature: true }],
    ['chunk-signature-trailed', true, { chunkSignature: true }],
    ['trailer', true, { trailerValue: true }],
    ['trailer-signature', true, { trailerSignature: true }],
    ['no-trailer-signature', true, { trailerSignature: 'missing' }],
  ];
  for (const [key, trailer, tamper] of cases) {
    await refused(await signedChunkedPut(key, data, trailer, tamper));
    assert.equal(await stored(key), undefined, `${key}: nothing stored`);
  }
});

test('the AWS CLI (a small file and one past its multipart threshold) and the SDK still upload with verified signatures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 's3-chunks-'));
  const small = Buffer.from('signed and small\n');
  const big = randomBytes(10 * 1024 * 1024);
  writeFileSync(join(dir, 'small.txt'), small);
  writeFileSync(join(dir, 'big.bin'), big);
  for (const [file, body] of [['small.txt', small], ['big.bin', big]] as const) {
    const r = await awsCli(env.url, ['s3', 'cp', file, `s3://chunks/cli/${file}`, '--only-show-errors'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(md5((await stored(`cli/${file}`))!), md5(body));
  }
  const s3 = new S3Client({ endpoint: env.url, region: testRegion, credentials: testCredentials, forcePathStyle: true, maxAttempts: 1 });
  const data = randomBytes(200_000);
  await s3.send(new PutObjectCommand({ Bucket: 'chunks', Key: 'sdk/stream', Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length }));
  await s3.send(new PutObjectCommand({ Bucket: 'chunks', Key: 'sdk/buffer', Body: data }));
  for (const key of ['sdk/stream', 'sdk/buffer']) {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'chunks', Key: key }));
    assert.equal(md5(Buffer.from(await got.Body!.transformToByteArray())), md5(data));
  }
  s3.destroy();
});
