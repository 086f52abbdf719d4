// The server-wide request memory budget (--max-request-memory 40, in MiB) with S3: uploads,
// downloads, copies and multipart joins beyond it are refused with S3's 503 SlowDown (which the SDK retries until they fit),
// Lambda's control plane answers 429 TooManyRequestsException, a request alone may pass the budget,
// the server keeps serving, and every reservation — aborted uploads included — is given back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { useServer } from '../src/testing/fixture.js';
import { testCredentials, testRegion } from '../src/testing/server.js';

const env = useServer({ args: ['--max-request-memory', '40'] });
const MiB = 1024 * 1024;
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function inFlight(): Promise<number> {
  const health = await (await fetch(`${env.url}/_stagecraft/health`)).json() as { requestMemory: { inFlightBytes: number; limitBytes: number } };
  assert.equal(health.requestMemory.limitBytes, 40 * MiB);
  return health.requestMemory.inFlightBytes;
}

/** Polls the budget until it holds `bytes` (reservations are given back when a response closes). */
async function settles(bytes: number): Promise<void> {
  const deadline = Date.now() + 5000;
  let now = await inFlight();
  while (now !== bytes && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    now = await inFlight();
  }
  assert.equal(now, bytes, 'bytes reserved by requests in flight');
}

/** A request on a raw socket: its head sent, its body sent only as far as the test says. */
interface Upload { socket: Socket; response: Promise<string>; send(data: Buffer): void }
function upload(head: string): Upload {
  const { port } = new URL(env.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(head.replace(/\n/g, '\r\n') + '\r\n');
  const response = new Promise<string>((resolve) => {
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (/\r\n\r\n/.test(out) && (/content-length: 0\r\n/i.test(out) || /<\/Error>/.test(out))) socket.end();
    });
    socket.on('close', () => resolve(out));
    socket.on('error', () => undefined);
  });
  return { socket, response, send: (data) => socket.write(data) };
}
const put = (key: string, length: number, extra = '') =>
  upload(`PUT /budget/${key} HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nContent-Length: ${length}\n${extra}Connection: close\n`);
const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1]);

test('setup: the bucket', async () => {
  const res = await fetch(`${env.url}/budget`, { method: 'PUT', headers: { authorization: AUTH } });
  assert.equal(res.status, 200);
  await settles(0);
});

test('uploads past the budget get 503 SlowDown at once; an aborted upload gives its bytes back; the others complete', async () => {
  const a = put('a', 16 * MiB);
  const b = put('b', 16 * MiB);
  a.send(Buffer.alloc(MiB, 1));
  b.send(Buffer.alloc(MiB, 2));
  await settles(32 * MiB);

  // A third 16 MiB upload does not fit: refused before its body is read.
  const c = put('c', 16 * MiB);
  const refused = await c.response;
  assert.equal(statusOf(refused), 503, refused);
  assert.match(refused, /<Code>SlowDown<\/Code><Message>Please reduce your request rate\.<\/Message>/);
  // A small one still fits.
  const small = await fetch(`${env.url}/budget/small`, { method: 'PUT', headers: { authorization: AUTH }, body: 'tiny' });
  assert.equal(small.status, 200);
  await settles(32 * MiB);

  // The client of `a` goes away mid-body: its 16 MiB are given back.
  a.socket.destroy();
  await settles(16 * MiB);
  // Then a body of unknown length (chunked transfer) is reserved as it arrives, and given back when it is cut off too.
  const d = upload(`PUT /budget/d HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nTransfer-Encoding: chunked\nConnection: close\n`);
  d.send(Buffer.concat([Buffer.from(`${(2 * MiB).toString(16)}\r\n`), Buffer.alloc(2 * MiB, 4), Buffer.from('\r\n')]));
  await settles(18 * MiB);
  d.socket.destroy();
  await settles(16 * MiB);

  b.send(Buffer.alloc(15 * MiB, 2));
  const done = await b.response;
  assert.equal(statusOf(done), 200, done);
  await settles(0);
  const head = await fetch(`${env.url}/budget/b`, { method: 'HEAD', headers: { authorization: AUTH } });
  assert.equal(head.headers.get('content-length'), String(16 * MiB));
  assert.equal((await fetch(`${env.url}/budget/a`, { method: 'HEAD', headers: { authorization: AUTH } })).status, 404, 'the aborted upload stored nothing');
});

test('a request alone may pass the budget; a download or copy that does not fit beside another request is SlowDown', async () => {
  const big = randomBytes(48 * MiB);
  const stored = await fetch(`${env.url}/budget/big`, { method: 'PUT', headers: { authorization: AUTH }, body: big });
  assert.equal(stored.status, 200, await stored.text());
  await settles(0);
  const read = await fetch(`${env.url}/budget/big`, { headers: { authorization: AUTH } });
  assert.equal(read.status, 200);
  assert.equal(md5(Buffer.from(await read.arrayBuffer())), md5(big));
  await settles(0);

  const holding = put('holding', 8 * MiB);
  holding.send(Buffer.alloc(MiB));
  await settles(8 * MiB);
  const refused = await fetch(`${env.url}/budget/big`, { headers: { authorization: AUTH } });
  assert.equal(refused.status, 503);
  assert.match(await refused.text(), /<Code>SlowDown<\/Code>/);
  const copy = () => fetch(`${env.url}/budget/big-copy`, { method: 'PUT', headers: { authorization: AUTH, 'x-amz-copy-source': '/budget/big' } });
  const copyRefused = await copy();
  assert.equal(copyRefused.status, 503);
  assert.match(await copyRefused.text(), /<Code>SlowDown<\/Code>/);
  // A HEAD holds no object bytes.
  assert.equal((await fetch(`${env.url}/budget/big`, { method: 'HEAD', headers: { authorization: AUTH } })).status, 200);
  holding.socket.destroy();
  await settles(0);
  const copied = await copy();
  assert.equal(copied.status, 200, await copied.text());
  await settles(0);
});

test('a CompleteMultipartUpload whose join does not fit is SlowDown, and completes once it does', async () => {
  const s3 = (path: string, init: RequestInit = {}) => fetch(`${env.url}/budget/${path}`, { ...init, headers: { authorization: AUTH, ...init.headers } });
  const created = await (await s3('mp?uploads', { method: 'POST' })).text();
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created)![1];
  const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB)];
  const etags: string[] = [];
  for (const [i, part] of parts.entries()) {
    const res = await s3(`mp?partNumber=${i + 1}&uploadId=${encodeURIComponent(uploadId)}`, { method: 'PUT', body: part });
    assert.equal(res.status, 200);
    etags.push(res.headers.get('etag')!);
  }
  const doc = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
  const complete = () => s3(`mp?uploadId=${encodeURIComponent(uploadId)}`, { method: 'POST', body: doc });
  const holding = put('holding', 32 * MiB);
  holding.send(Buffer.alloc(MiB));
  await settles(32 * MiB);
  const refused = await complete();
  assert.equal(refused.status, 503);
  assert.match(await refused.text(), /<Code>SlowDown<\/Code>/);
  holding.socket.destroy();
  await settles(0);
  const done = await complete();
  assert.equal(done.status, 200, await done.clone().text());
  assert.match(await done.text(), /<ETag>[^<]+-2/);
  await settles(0);
  const read = await s3('mp');
  assert.equal(md5(Buffer.from(await read.arrayBuffer())), md5(Buffer.concat(parts)));
  await settles(0);
});

test('requests that fail after their body was read give their bytes back', async () => {
  const body = Buffer.alloc(2 * MiB, 7);
  const missing = await fetch(`${env.url}/no-such-bucket/k`, { method: 'PUT', headers: { authorization: AUTH }, body });
  assert.equal(missing.status, 404);
  const digest = await fetch(`${env.url}/budget/k`, { method: 'PUT', headers: { authorization: AUTH, 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }, body });
  assert.equal(digest.status, 400);
  assert.match(await digest.text(), /<Code>BadDigest<\/Code>/);
  const lambda = await fetch(`${env.url}/2015-03-31/functions`, {
    method: 'POST', body: `{"FunctionName": "x", ${' '.repeat(MiB)}`,
    headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00', 'content-type': 'application/json' },
  });
  assert.equal(lambda.status, 400);
  await settles(0);
});

test("Lambda's control plane answers a body past the budget with 429 TooManyRequestsException (CallerRateLimitExceeded)", async () => {
  const holding = put('holding', 32 * MiB);
  holding.send(Buffer.alloc(MiB));
  await settles(32 * MiB);
  const lambda = upload(`POST /2015-03-31/functions HTTP/1.1\nHost: 127.0.0.1\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00\nContent-Type: application/json\nContent-Length: ${10 * MiB}\nConnection: close\n`);
  const answer = await lambda.response;
  assert.equal(statusOf(answer), 429, answer);
  assert.match(answer, /x-amzn-errortype: TooManyRequestsException/i);
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, string>;
  assert.deepEqual(body, { Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' });
  holding.socket.destroy();
  await settles(0);
});

test('SDK v3 uploads past the budget are retried on SlowDown until each fits, and read back intact', async () => {
  const s3 = new S3Client({ endpoint: env.url, region: testRegion, credentials: testCredentials, forcePathStyle: true, maxAttempts: 20 });
  const bodies = Array.from({ length: 6 }, () => randomBytes(12 * MiB));
  // Another upload holds most of the budget for a second: every first attempt is refused.
  const holding = put('holding', 32 * MiB);
  holding.send(Buffer.alloc(MiB));
  await settles(32 * MiB);
  setTimeout(() => holding.socket.destroy(), 1000);
  const puts = await Promise.all(bodies.map((Body, i) => s3.send(new PutObjectCommand({ Bucket: 'budget', Key: `sdk-${i}`, Body }))));
  assert.ok(puts.some((p) => (p.$metadata.attempts ?? 1) > 1), 'some uploads were refused and retried');
  await settles(0);
  for (const [i, body] of bodies.entries()) {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'budget', Key: `sdk-${i}` }));
    assert.equal(md5(Buffer.from(await got.Body!.transformToByteArray())), md5(body));
  }
  s3.destroy();
  await settles(0);
});

test('the metrics show the request memory in use, its limit and the requests refused', async () => {
  const text = await (await fetch(`${env.url}/_stagecraft/metrics`)).text();
  const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
  assert.equal(value('stagecraft_request_memory_bytes{state="limit"}'), 40 * MiB);
  assert.equal(value('stagecraft_request_memory_bytes{state="in_flight"}'), 0);
  assert.ok(value('stagecraft_request_memory_refusals_total') >= 8, text.slice(0, 200));
});
