// S3 against hostile input, sent raw: malformed aws-chunked framing, lying lengths, a client that
// goes away mid-body, keys and bucket names that try to escape or collide, request documents with
// DTDs, unclosed tags and out-of-range character references, forged list tokens. Each is answered
// with S3's error, the server keeps serving, and nothing half-written is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
// Signatures are not verified by this server; the scope routes the request to S3.
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
const s3 = (path: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) =>
  fetch(`${env.url}${path}`, { method: init.method ?? 'GET', headers: { authorization: AUTH, ...init.headers }, body: init.body });
const codeOf = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

async function refused(res: Response, status: number, code: string): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.equal(/<Code>([^<]+)<\/Code>/.exec(text)?.[1], code, text);
}

/** Sends `head` and `body` on a raw socket; answers the response text (or '' when the server closes without one). */
function raw(head: string, body: Buffer | string = '', opts: { closeEarly?: boolean } = {}): Promise<string> {
  const { port } = new URL(env.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(head.replace(/\n/g, '\r\n') + '\r\n');
      socket.write(body);
      if (opts.closeEarly) socket.destroy();
    });
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (/\r\n\r\n/.test(out) && /content-length: 0\r\n|<\/Error>|<\/\w+Result>/i.test(out)) socket.end();
    });
    socket.on('close', () => resolve(out));
    socket.on('error', (e) => (opts.closeEarly ? resolve(out) : reject(e)));
  });
}

const chunkedPut = (key: string, body: string, decoded: number) => raw(
  `PUT /hostile/${key} HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\ncontent-encoding: aws-chunked\nx-amz-decoded-content-length: ${decoded}\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\nConnection: close\n`,
  Buffer.from(body, 'latin1'),
);
const trailedPut = (key: string, declared: string, trailers: string) => raw(
  `PUT /hostile/${key} HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\ncontent-encoding: aws-chunked\nx-amz-decoded-content-length: 3\n${declared ? `x-amz-trailer: ${declared}\n` : ''}Content-Length: ${13 + trailers.length}\nConnection: close\n`,
  `3\r\nabc\r\n0\r\n${trailers}\r\n`,
);
const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1]);
const rawCode = (response: string) => /<Code>([^<]+)<\/Code>/.exec(response)?.[1];

test('setup: the bucket', async () => {
  assert.equal((await s3('/hostile', { method: 'PUT' })).status, 200);
});

test('aws-chunked framing that is not hex, negative, beyond the body, without CRLFs or lying about its length is refused; nothing is stored', async () => {
  const cases: [string, string, number, string][] = [
    ['not-hex', 'zz\r\nabc\r\n0\r\n\r\n', 3, 'InvalidArgument'],
    ['hex-prefix', '3g\r\nabc\r\n0\r\n\r\n', 3, 'InvalidArgument'],
    ['negative', '-3\r\nabc\r\n0\r\n\r\n', 3, 'InvalidArgument'],
    ['too-many-digits', 'fffffffffffffffff\r\nabc\r\n0\r\n\r\n', 3, 'InvalidArgument'],
    ['beyond-body', '7fffffff\r\nabc\r\n0\r\n\r\n', 3, 'IncompleteBody'],
    ['no-crlf-after-data', '3\r\nabcX0\r\n\r\n', 3, 'IncompleteBody'],
    ['no-crlf-at-all', '3;chunk-signature=00', 3, 'IncompleteBody'],
    ['decoded-bigger', '3\r\nabc\r\n0\r\n\r\n', 1000, 'IncompleteBody'],
    ['decoded-smaller', '3\r\nabc\r\n0\r\n\r\n', 1, 'IncompleteBody'],
  ];
  for (const [key, body, decoded, code] of cases) {
    const response = await chunkedPut(key, body, decoded);
    assert.equal(statusOf(response), 400, `${key}: ${response}`);
    assert.equal(rawCode(response), code, key);
    assert.equal((await s3(`/hostile/${key}`, { method: 'HEAD' })).status, 404, `${key}: nothing stored`);
  }
  const ok = await chunkedPut('good', '3\r\nabc\r\n0\r\n\r\n', 3);
  assert.equal(statusOf(ok), 200, ok);
  assert.equal(await (await s3('/hostile/good')).text(), 'abc');
});

test('trailers that are malformed, repeated, unknown, undeclared or missing are MalformedTrailerError', async () => {
  const crc = 'NSRBwg=='; // CRC32 of "abc"
  const cases: [string, string, string][] = [
    ['no-colon', 'x-amz-checksum-crc32', `x-amz-checksum-crc32${crc}\r\n`],
    ['no-name', 'x-amz-checksum-crc32', `:${crc}\r\n`],
    ['repeated', 'x-amz-checksum-crc32', `x-amz-checksum-crc32:${crc}\r\nx-amz-checksum-crc32:${crc}\r\n`],
    ['unknown', 'x-amz-checksum-md5', 'x-amz-checksum-md5:kAFQmDzST7DWlj99KOF/cg==\r\n'],
    ['undeclared', '', `x-amz-checksum-crc32:${crc}\r\n`],
    ['other-than-declared', 'x-amz-checksum-sha1', `x-amz-checksum-crc32:${crc}\r\n`],
    ['declared-missing', 'x-amz-checksum-crc32', ''],
  ];
  for (const [key, declared, trailers] of cases) {
    const response = await trailedPut(key, declared, trailers);
    assert.equal(statusOf(response), 400, `${key}: ${response}`);
    assert.equal(rawCode(response), 'MalformedTrailerError', key);
    assert.equal((await s3(`/hostile/${key}`, { method: 'HEAD' })).status, 404, `${key}: nothing stored`);
  }
  const ok = await trailedPut('trailed', 'x-amz-checksum-crc32', `x-amz-checksum-crc32:${crc}\r\n`);
  assert.equal(statusOf(ok), 200, ok);
});

test('a client that goes away mid-body leaves no object and the server keeps serving', async () => {
  await raw(`PUT /hostile/truncated HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nContent-Length: 100000\n`, 'only a little', { closeEarly: true });
  await raw(`PUT /hostile/truncated-chunked HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\ncontent-encoding: aws-chunked\nx-amz-decoded-content-length: 4096\nTransfer-Encoding: chunked\n`, '20\r\n1000\r\nhalf a chunk', { closeEarly: true });
  assert.equal((await s3('/hostile/truncated', { method: 'HEAD' })).status, 404);
  assert.equal((await s3('/hostile/truncated-chunked', { method: 'HEAD' })).status, 404);
  assert.equal((await s3('/hostile/good')).status, 200);
});

test('a request document over the limit is MaxMessageLengthExceeded, whether declared or streamed', async () => {
  await refused(await s3('/hostile?delete', { method: 'POST', body: 'x'.repeat(5 * 1024 * 1024) }), 400, 'MaxMessageLengthExceeded');
  const streamed = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < 6; i++) c.enqueue(new Uint8Array(1024 * 1024).fill(60));
      c.close();
    },
  });
  const res = await fetch(`${env.url}/hostile?delete`, { method: 'POST', headers: { authorization: AUTH }, body: streamed, duplex: 'half' } as RequestInit);
  await refused(res, 400, 'MaxMessageLengthExceeded');
});

test('keys with .., / runs and control characters are only names: stored, listed and read back as sent', async () => {
  const keys = ['../../../etc/passwd', '../', 'a//b///c', '/leading', 'tab\tand\u0001ctl', 'uploads?uploadId=x', '%2e%2e'];
  // Dots encoded too: a client would otherwise resolve `..` before sending.
  const path = (key: string) => `/hostile/${encodeURIComponent(key).replace(/\./g, '%2E')}`;
  for (const key of keys) {
    const put = await s3(path(key), { method: 'PUT', body: `body of ${key}` });
    assert.equal(put.status, 200, `${key}: ${await put.text()}`);
    assert.equal(put.headers.get('etag'), `"${md5(`body of ${key}`)}"`);
  }
  for (const key of keys) assert.equal(await (await s3(path(key))).text(), `body of ${key}`, key);
  const list = await (await s3('/hostile?list-type=2&encoding-type=url&prefix=')).text();
  // A bare `..` segment, which fetch would resolve, sent raw.
  const dots = await raw(`PUT /hostile/%2E%2E HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nContent-Length: 2\nConnection: close\n`, 'up');
  assert.equal(statusOf(dots), 200, dots);
  assert.match(await raw(`GET /hostile/%2E%2E HTTP/1.1\nHost: 127.0.0.1\nAuthorization: ${AUTH}\nConnection: close\n`), /\r\n\r\nup$/);
  for (const key of keys) assert.ok(list.includes(`<Key>${encodeURIComponent(key).replace(/%2F/g, '/')}</Key>`), `${key} listed: ${list}`);
});

test('invalid percent-encodings are InvalidURI; a 1025-byte key is KeyTooLongError; a bad copy source is InvalidArgument', async () => {
  for (const path of ['/hostile/%C3%28', '/hostile/%FF', '/hostile/%E0%A4%A', '/hostile/ok%']) await refused(await s3(path, { method: 'PUT', body: 'x' }), 400, 'InvalidURI');
  await refused(await s3(`/hostile/${'k'.repeat(1025)}`, { method: 'PUT', body: 'x' }), 400, 'KeyTooLongError');
  assert.equal((await s3(`/hostile/${'k'.repeat(1024)}`, { method: 'PUT', body: 'x' })).status, 200);
  await refused(await s3('/hostile/copy', { method: 'PUT', headers: { 'x-amz-copy-source': '/hostile/%E0%A4%A' } }), 400, 'InvalidArgument');
});

test("bucket names outside S3's rules are InvalidBucketName, at the limits they are accepted", async () => {
  for (const name of ['ab', 'a'.repeat(64), 'UPPER', '192.168.1.1', 'a..b', '-dash', 'xn--punycode', 'under_score', '.dot']) {
    await refused(await s3(`/${name}`, { method: 'PUT' }), 400, 'InvalidBucketName');
  }
  for (const name of ['abc', 'a'.repeat(63), '192.168.1.1a']) assert.equal((await s3(`/${name}`, { method: 'PUT' })).status, 200, name);
});

test('request documents with a DTD, out-of-range character references or thousands of unclosed tags are refused at once', async () => {
  const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    + '<Delete><Object><Key>&lol2;</Key></Object></Delete>';
  await refused(await s3('/hostile?delete', { method: 'POST', body: laughs }), 400, 'MalformedXML');
  const xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&x;</Key></Object></Delete>';
  await refused(await s3('/hostile?delete', { method: 'POST', body: xxe }), 400, 'MalformedXML');
  await refused(await s3('/hostile?delete', { method: 'POST', body: '<Delete><Object><Key>&#x110000;</Key></Object></Delete>' }), 400, 'MalformedXML');
  await refused(await s3('/hostile?delete', { method: 'POST', body: '<Delete><Object><Key>a' }), 400, 'MalformedXML');
  await refused(await s3('/hostile?delete', { method: 'POST', body: 'not xml at all' }), 400, 'MalformedXML');

  const started = Date.now();
  await refused(await s3('/hostile?delete', { method: 'POST', body: `<Delete>${'<Object><Key>k'.repeat(200_000)}` }), 400, 'MalformedXML');
  assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
  assert.equal((await s3('/hostile/good')).status, 200, 'still serving');
});

test('DeleteObjects with more than 1000 keys is MalformedXML and deletes nothing', async () => {
  const body = `<Delete>${Array.from({ length: 1001 }, (_, i) => `<Object><Key>${i === 0 ? 'good' : `k${i}`}</Key></Object>`).join('')}</Delete>`;
  await refused(await s3('/hostile?delete', { method: 'POST', body }), 400, 'MalformedXML');
  assert.equal((await s3('/hostile/good')).status, 200);
});

test('multipart: part numbers out of range, completions naming parts not uploaded, wrong ETags, unordered or repeated', async () => {
  const initiate = await (await fetch(`${env.url}/hostile/mp?uploads`, { method: 'POST', headers: { authorization: AUTH } })).text();
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(initiate)![1];
  for (const n of ['0', '10001', '-1', '1.5', 'x', '']) {
    await refused(await s3(`/hostile/mp?uploadId=${uploadId}&partNumber=${n}`, { method: 'PUT', body: 'p' }), 400, 'InvalidArgument');
  }
  const p1 = (await s3(`/hostile/mp?uploadId=${uploadId}&partNumber=1`, { method: 'PUT', body: 'part one' })).headers.get('etag')!;
  const part = (n: number | string, etag: string) => `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>`;
  const complete = (parts: string) => s3(`/hostile/mp?uploadId=${uploadId}`, { method: 'POST', body: `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>` });
  await refused(await complete(part(2, p1)), 400, 'InvalidPart');
  await refused(await complete(part(1, '"00000000000000000000000000000000"')), 400, 'InvalidPart');
  await refused(await complete(part('x', p1)), 400, 'InvalidPart');
  await refused(await complete(part(1, p1) + part(1, p1)), 400, 'InvalidPartOrder');
  await refused(await complete(''), 400, 'MalformedXML');
  await refused(await s3(`/hostile/other-key?uploadId=${uploadId}`, { method: 'POST', body: `<CompleteMultipartUpload>${part(1, p1)}</CompleteMultipartUpload>` }), 404, 'NoSuchUpload');
  assert.equal((await complete(part(1, p1))).status, 200);
  assert.equal(await (await s3('/hostile/mp')).text(), 'part one');
  await refused(await s3(`/hostile/mp?uploadId=${uploadId}&partNumber=2`, { method: 'PUT', body: 'late' }), 404, 'NoSuchUpload');
});

test('ListObjectsV2: max-keys negative or not a number is refused, huge is capped; forged tokens are refused and a token only positions', async () => {
  for (const m of ['-1', 'abc', '1e3']) await refused(await s3(`/hostile?list-type=2&max-keys=${m}`), 400, 'InvalidArgument');
  assert.match(await (await s3('/hostile?list-type=2&max-keys=99999999999999999999')).text(), /<MaxKeys>1000<\/MaxKeys>/);
  await refused(await s3('/hostile?list-type=2&continuation-token=forged'), 400, 'InvalidArgument');
  // A token made for another bucket resumes at its position in this one and lists only this bucket's keys.
  assert.equal((await s3('/abc/only-in-abc', { method: 'PUT', body: 'x' })).status, 200);
  const page = await (await s3('/abc?list-type=2&max-keys=1')).text();
  assert.match(page, /<Key>only-in-abc<\/Key>/);
  const token = Buffer.from('k:', 'utf8').toString('base64url');
  const other = await (await s3(`/hostile?list-type=2&continuation-token=${token}`)).text();
  assert.doesNotMatch(other, /only-in-abc/);
  assert.match(other, /<Key>good<\/Key>/);
});
