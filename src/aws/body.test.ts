// Reading request bodies: a client that disconnects mid-body is told apart from a server fault, and
// compressed bodies are decompressed within the same limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BodyTooLargeError, decodeContentEncoding, MalformedBodyError, readBody, RequestAbortedError } from './body.js';

test('a body cut short by the client rejects with RequestAbortedError', async () => {
  let outcome: Promise<unknown> | undefined;
  const arrived = new Promise<void>((resolve) => {
    const server = createServer((req) => {
      outcome = readBody(req, 1000).finally(() => server.close());
      resolve();
    });
    server.listen(0, '127.0.0.1', () => {
      const client = request({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': 100 } });
      client.on('error', () => {});
      client.write('12345', () => setTimeout(() => client.destroy(), 50));
    });
  });
  await arrived;
  await assert.rejects(outcome!, RequestAbortedError);
});

test('a gzip body (Content-Encoding: gzip, as SDKs send large PutMetricData) is decompressed', () => {
  const json = Buffer.from(JSON.stringify({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1 }] }));
  assert.deepEqual(decodeContentEncoding(gzipSync(json), { 'content-encoding': 'gzip' }, 1000), json);
  assert.deepEqual(decodeContentEncoding(gzipSync(gzipSync(json)), { 'content-encoding': 'GZIP, identity, gzip' }, 1000), json);
  assert.deepEqual(decodeContentEncoding(json, { 'content-encoding': 'identity' }, 1000), json);
  assert.deepEqual(decodeContentEncoding(json, {}, 1000), json);
  // A coding we do not undo leaves the body as sent.
  assert.deepEqual(decodeContentEncoding(json, { 'content-encoding': 'br' }, 1000), json);
});

test('a gzip body that is not gzip, or inflates beyond the limit, is refused', () => {
  assert.throws(() => decodeContentEncoding(Buffer.from('{"plain": true}'), { 'content-encoding': 'gzip' }, 1000), MalformedBodyError);
  const bomb = gzipSync(Buffer.alloc(100_000, 0x20));
  assert.ok(bomb.length < 1000);
  assert.throws(() => decodeContentEncoding(bomb, { 'content-encoding': 'gzip' }, 1000), (e: unknown) => e instanceof BodyTooLargeError && e.limit === 1000);
});
