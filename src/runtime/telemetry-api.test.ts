import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSubscription, TelemetryStream, type TelemetrySubscription } from './telemetry-api.js';
import { TelemetryBatcher } from './telemetry-batcher.js';
import { ExtensionsApi } from './extensions-api.js';

const body = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));
const valid = { schemaVersion: '2022-12-13', destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:8080/telemetry' }, types: ['platform', 'function'] };

test('a valid subscription: sandbox.localdomain is loopback, buffering takes AWS defaults', () => {
  const sub = parseSubscription(body(valid)) as TelemetrySubscription;
  assert.equal(sub.url.href, 'http://127.0.0.1:8080/telemetry');
  assert.deepEqual([...sub.types], ['platform', 'function']);
  assert.deepEqual(sub.buffering, { maxItems: 1000, maxBytes: 262144, timeoutMs: 1000 });
  const custom = parseSubscription(body({ ...valid, buffering: { maxItems: 10000, maxBytes: 1048576, timeoutMs: 25 } })) as TelemetrySubscription;
  assert.deepEqual(custom.buffering, { maxItems: 10000, maxBytes: 1048576, timeoutMs: 25 });
});

test('invalid subscriptions get 400 ValidationError', () => {
  const cases: unknown[] = [
    'not json',
    { ...valid, schemaVersion: '2020-01-01' },
    { ...valid, destination: undefined },
    { ...valid, destination: { protocol: 'TCP', URI: 'sandbox.localdomain:8080' } },
    { ...valid, destination: { protocol: 'HTTP', URI: 'http://example.com:8080/' } },
    { ...valid, destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain/' } },
    { ...valid, types: [] },
    { ...valid, types: ['platform', 'logs'] },
    { ...valid, buffering: { maxItems: 999 } },
    { ...valid, buffering: { maxBytes: 2_000_000 } },
    { ...valid, buffering: { timeoutMs: 24 } },
    { ...valid, buffering: { timeoutMs: 1.5 } },
  ];
  for (const c of cases) {
    const answer = parseSubscription(typeof c === 'string' ? Buffer.from(c) : body(c));
    assert.ok('status' in answer, JSON.stringify(c));
    assert.equal(answer.status, 400);
    assert.equal((answer.body as { errorType: string }).errorType, 'ValidationError');
  }
});

test('only a registered extension subscribes; the Logs API answers 202 Logs.NotSupported', () => {
  const api = new ExtensionsApi(['ext'], { functionName: 'f', functionVersion: '$LATEST', handler: 'h', accountId: '1' }, { idle: () => {}, registered: () => {} });
  assert.equal(api.subscribeTelemetry(undefined, body(valid)).status, 403);
  assert.equal((api.subscribeTelemetry('nope', body(valid)).body as { errorType: string }).errorType, 'Extension.UnknownExtensionIdentifier');
  const id = api.register('ext', body({ events: ['INVOKE'] }), undefined).headers!['Lambda-Extension-Identifier'];
  assert.deepEqual(api.subscribeTelemetry(id, body(valid)), { status: 200, body: 'OK' });
  assert.equal(api.subscribeTelemetry(id, body({ ...valid, types: ['x'] })).status, 400);
  const logs = api.subscribeLogs(id);
  assert.equal(logs.status, 202);
  assert.equal((logs.body as { errorType: string }).errorType, 'Logs.NotSupported');
  api.close();
});

test('batches: maxItems sends at once, in order, one POST at a time; the rest goes at timeoutMs', async () => {
  const sent: string[][] = [];
  let release!: () => void;
  const batcher = new TelemetryBatcher({ maxItems: 3, maxBytes: 1 << 20, timeoutMs: 30 }, (b) => {
    sent.push((JSON.parse(b) as { record: string }[]).map((e) => e.record));
    return new Promise<void>((r) => (release = r));
  });
  for (const r of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) batcher.add({ time: '', type: 'function', record: r });
  assert.deepEqual(sent, [['a', 'b', 'c']]); // the second full batch waits for the first POST
  release();
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(sent, [['a', 'b', 'c'], ['d', 'e', 'f']]);
  release();
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(sent.at(-1), ['g']);
  release();
  batcher.close();
});

test('batches: maxBytes splits batches (a lone event larger than it still goes)', () => {
  const sent: number[] = [];
  const batcher = new TelemetryBatcher({ maxItems: 1000, maxBytes: 200, timeoutMs: 10_000 }, (b) => {
    sent.push((JSON.parse(b) as unknown[]).length);
    return Promise.resolve();
  });
  batcher.add({ time: '', type: 'function', record: 'x'.repeat(500) });
  assert.deepEqual(sent, [1]);
  batcher.close();
});

test('a stream keeps events until init is over, then only for subscribers; it POSTs JSON arrays', async () => {
  const got: { type: string; record: unknown }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push(...JSON.parse(Buffer.concat(chunks).toString()));
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const stream = new TelemetryStream();
  stream.emit('platform.initStart', { phase: 'init' });
  const sub = parseSubscription(body({ ...valid, destination: { protocol: 'HTTP', URI: `http://sandbox.localdomain:${port}/` }, buffering: { timeoutMs: 25 } })) as TelemetrySubscription;
  stream.subscribe('ext', sub);
  stream.initOver();
  stream.extensionLines(['from the extension']);
  stream.functionLines(['hello', 'from the extension']);
  for (let i = 0; i < 50 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  // Not subscribed to `extension`: the extension's line is neither an extension nor a function event.
  assert.deepEqual(got.map((e) => e.type), ['platform.initStart', 'platform.telemetrySubscription', 'function']);
  assert.equal(got[2].record, 'hello');
  stream.close();
  assert.equal(stream.listening, false);
  server.close();
});
