import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { controlMessage, dataMessages, lambdaEvent, MAX_MESSAGE_BYTES, type SubscriptionMessage } from './subscription-message.js';

const decode = (event: Buffer): SubscriptionMessage => {
  const { awslogs } = JSON.parse(event.toString()) as { awslogs: { data: string } };
  assert.deepEqual(Object.keys(JSON.parse(event.toString()) as object), ['awslogs']);
  return JSON.parse(gunzipSync(Buffer.from(awslogs.data, 'base64')).toString()) as SubscriptionMessage;
};

test('a DATA_MESSAGE is base64 gzip JSON under awslogs.data, with the stream, the filter and the events', () => {
  const [message] = dataMessages('000000000000', '/aws/lambda/app', '2026/11/27/[$LATEST]abc', 'errors', [
    { timestamp: 1000, message: 'ERROR one\n' }, { timestamp: 1001, message: 'ERROR two' },
  ]);
  const decoded = decode(lambdaEvent(message));
  assert.equal(decoded.messageType, 'DATA_MESSAGE');
  assert.equal(decoded.owner, '000000000000');
  assert.equal(decoded.logGroup, '/aws/lambda/app');
  assert.equal(decoded.logStream, '2026/11/27/[$LATEST]abc');
  assert.deepEqual(decoded.subscriptionFilters, ['errors']);
  assert.deepEqual(decoded.logEvents.map((e) => [e.timestamp, e.message]), [[1000, 'ERROR one\n'], [1001, 'ERROR two']]);
  assert.match(decoded.logEvents[0].id, /^\d+$/);
  assert.notEqual(decoded.logEvents[0].id, decoded.logEvents[1].id);
});

test('a large batch is split into messages under the size limit, in order, none empty', () => {
  const line = 'x'.repeat(10_000);
  const events = Array.from({ length: 60 }, (_, i) => ({ timestamp: i, message: `${i} ${line}` }));
  const messages = dataMessages('0', '/g', 's', 'f', events);
  assert.ok(messages.length >= 3);
  for (const m of messages) {
    assert.ok(m.logEvents.length > 0);
    assert.ok(Buffer.byteLength(JSON.stringify(m)) <= MAX_MESSAGE_BYTES + 64 * m.logEvents.length);
    assert.ok(lambdaEvent(m).length < 1_048_576);
  }
  assert.deepEqual(messages.flatMap((m) => m.logEvents.map((e) => e.timestamp)), events.map((e) => e.timestamp));
  assert.deepEqual(dataMessages('0', '/g', 's', 'f', []), []);
});

test('the CONTROL_MESSAGE names no group, stream or filter', () => {
  const decoded = decode(lambdaEvent(controlMessage(5)));
  assert.equal(decoded.messageType, 'CONTROL_MESSAGE');
  assert.equal(decoded.owner, 'CloudwatchLogs');
  assert.deepEqual(decoded.subscriptionFilters, []);
  assert.equal(decoded.logEvents.length, 1);
  assert.match(decoded.logEvents[0].message, /^CWL CONTROL MESSAGE/);
});
