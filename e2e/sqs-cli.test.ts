// SQS through the AWS CLI v2 (the query protocol: form POSTs, XML answers, flattened lists and
// maps); the CLI checks the body and attribute digests itself. Also a query request POSTed to a
// queue's URL, as older SDKs send them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';

const server = useServer();
const aws = (...args: string[]) => awsCli(server.url, ['sqs', ...args]);

async function ok(...args: string[]): Promise<any> {
  const r = await aws(...args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim() ? r.json() : {};
}

test('the CLI creates a queue, sends with attributes, receives, deletes, and reads attributes and tags', async () => {
  const { QueueUrl: url } = await ok('create-queue', '--queue-name', 'cli-jobs', '--attributes', 'VisibilityTimeout=60,DelaySeconds=0', '--tags', 'team=jobs');
  assert.equal(url, `${server.url}/${testAccount}/cli-jobs`);
  assert.deepEqual((await ok('list-queues', '--queue-name-prefix', 'cli-')).QueueUrls, [url]);
  const sent = await ok('send-message', '--queue-url', url, '--message-body', 'job 1',
    '--message-attributes', JSON.stringify({ priority: { DataType: 'Number', StringValue: '3' }, blob: { DataType: 'Binary', BinaryValue: 'AAEC' } }));
  assert.match(sent.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);
  const { Messages: [m] } = await ok('receive-message', '--queue-url', url, '--attribute-names', 'All', '--message-attribute-names', 'All');
  assert.equal(m.Body, 'job 1');
  assert.equal(m.MessageId, sent.MessageId);
  assert.deepEqual(m.MessageAttributes.priority, { StringValue: '3', DataType: 'Number' });
  assert.equal(m.MessageAttributes.blob.BinaryValue, 'AAEC');
  assert.equal(m.Attributes.ApproximateReceiveCount, '1');
  const attrs = (await ok('get-queue-attributes', '--queue-url', url, '--attribute-names', 'VisibilityTimeout', 'ApproximateNumberOfMessagesNotVisible')).Attributes;
  assert.deepEqual(attrs, { VisibilityTimeout: '60', ApproximateNumberOfMessagesNotVisible: '1' });
  assert.deepEqual((await ok('list-queue-tags', '--queue-url', url)).Tags, { team: 'jobs' });
  await ok('delete-message', '--queue-url', url, '--receipt-handle', m.ReceiptHandle);
  assert.deepEqual(await ok('receive-message', '--queue-url', url), {});
});

test('the CLI gets AWS\'s errors: a missing queue, a batch with repeated ids, an unknown attribute', async () => {
  const missing = await aws('get-queue-url', '--queue-name', 'cli-nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /\(AWS\.SimpleQueueService\.NonExistentQueue\).*The specified queue does not exist\./);
  const { QueueUrl: url } = await ok('create-queue', '--queue-name', 'cli-errors');
  const repeated = await aws('send-message-batch', '--queue-url', url, '--entries', JSON.stringify([{ Id: 'a', MessageBody: '1' }, { Id: 'a', MessageBody: '2' }]));
  assert.match(repeated.stderr, /\(AWS\.SimpleQueueService\.BatchEntryIdsNotDistinct\).*Id a repeated\./);
  const unknown = await aws('set-queue-attributes', '--queue-url', url, '--attributes', 'Colour=blue');
  assert.match(unknown.stderr, /\(InvalidAttributeName\).*Unknown Attribute Colour\./);
  const batch = await ok('send-message-batch', '--queue-url', url, '--entries', JSON.stringify([{ Id: 'a', MessageBody: '1' }, { Id: 'b', MessageBody: '2', DelaySeconds: 1000 }]));
  assert.deepEqual(batch.Successful.map((s: { Id: string }) => s.Id), ['a']);
  assert.deepEqual(batch.Failed.map((f: { Id: string; Code: string }) => [f.Id, f.Code]), [['b', 'InvalidParameterValue']]);
});

test('a query request POSTed to a queue URL names its queue by the path', async () => {
  await ok('create-queue', '--queue-name', 'cli-by-path');
  const res = await fetch(`${server.url}/${testAccount}/cli-by-path`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendMessage&Version=2012-11-05&MessageBody=by%20path',
  });
  const xml = await res.text();
  assert.equal(res.status, 200, xml);
  assert.match(xml, /<SendMessageResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><SendMessageResult><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>/);
  const { Messages: [m] } = await ok('receive-message', '--queue-url', `${server.url}/${testAccount}/cli-by-path`);
  assert.equal(m.Body, 'by path');
});
