// The SQS record shape and AWS's rules for reading a ReportBatchItemFailures answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failedItems, filterView, toRecord } from './sqs-event.js';

const ids = new Set(['a', 'b']);
const answer = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

test('no answer, null, {}, and an empty or null list are a success', () => {
  for (const payload of [undefined, answer(''), answer('null'), answer({}), answer({ batchItemFailures: [] }), answer({ batchItemFailures: null })]) {
    assert.deepEqual(failedItems(payload, ids), new Set());
  }
});

test('reported identifiers of the batch are kept; anything invalid fails the whole batch', () => {
  assert.deepEqual(failedItems(answer({ batchItemFailures: [{ itemIdentifier: 'b' }] }), ids), new Set(['b']));
  assert.equal(failedItems(answer('not json'), ids), 'all');
  assert.equal(failedItems(answer({ batchItemFailures: [{ itemIdentifier: '' }] }), ids), 'all');
  assert.equal(failedItems(answer({ batchItemFailures: [{ itemIdentifier: null }] }), ids), 'all');
  assert.equal(failedItems(answer({ batchItemFailures: [{ itemId: 'a' }] }), ids), 'all');
  assert.equal(failedItems(answer({ batchItemFailures: [{ itemIdentifier: 'z' }] }), ids), 'all');
  assert.equal(failedItems(answer({ batchItemFailures: 'a' }), ids), 'all');
});

test('a record carries AWS\'s fields; binary attributes in base64; filters see a JSON body as JSON', () => {
  const record = toRecord({
    MessageId: 'm', ReceiptHandle: 'h', MD5OfBody: 'd', Body: '{"k":1}', MD5OfMessageAttributes: 'e',
    Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '2', SenderId: 's', ApproximateFirstReceiveTimestamp: '3', MessageGroupId: 'g', Policy: 'not a record attribute' },
    MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } },
  }, 'arn:aws:sqs:eu-west-1:000000000000:q.fifo');
  assert.deepEqual(record, {
    messageId: 'm', receiptHandle: 'h', body: '{"k":1}',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '2', MessageGroupId: 'g', SenderId: 's', ApproximateFirstReceiveTimestamp: '3' },
    messageAttributes: { bin: { binaryValue: 'aGk=', stringListValues: [], binaryListValues: [], dataType: 'Binary' } },
    md5OfBody: 'd', md5OfMessageAttributes: 'e', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:q.fifo', awsRegion: 'eu-west-1',
  });
  assert.deepEqual(filterView(record).body, { k: 1 });
  assert.equal(filterView({ ...record, body: 'plain' }).body, 'plain');
});
