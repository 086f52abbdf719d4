// SQS through the AWS SDK v3 (AWS JSON 1.0 with query-compatible errors): queues, messages with
// attributes whose digests the SDK checks, batches, visibility timeouts, long polling, dead-letter
// redrive, FIFO order and deduplication, and messages that outlive a restart.
import { test, after } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand,
  GetQueueUrlCommand, ListQueuesCommand, ListQueueTagsCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand,
  SetQueueAttributesCommand, TagQueueCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { failure, sqsClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';

const server = useServer();
let client: SQSClient | undefined;
const sqs = (): SQSClient => (client ??= sqsClient(server.url));
after(() => client?.destroy());

const createQueue = async (name: string, attributes: Record<string, string> = {}): Promise<string> =>
  (await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;

/** Receives until `predicate` holds for an answer (messages become visible again by time), with a generous deadline. */
async function receiveUntil(url: string, predicate: (bodies: string[]) => boolean, extra: { VisibilityTimeout?: number } = {}) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'], ...extra }));
    const messages = out.Messages ?? [];
    if (predicate(messages.map((m) => m.Body!))) return messages;
    if (Date.now() > deadline) throw new Error(`not received in time: ${JSON.stringify(messages)}`);
  }
}

test('queues: create (idempotent), URL, list by prefix, attributes, tags, delete', async () => {
  const url = await createQueue('sdk-orders', { VisibilityTimeout: '45' });
  assert.equal(url, `${server.url}/${testAccount}/sdk-orders`);
  assert.equal(await createQueue('sdk-orders', { VisibilityTimeout: '45' }), url, 'same attributes: the same queue');
  const exists = await failure(createQueue('sdk-orders', { VisibilityTimeout: '10' }));
  assert.deepEqual([exists.name, exists.message], ['QueueNameExists', 'A queue already exists with the same name and a different value for attribute VisibilityTimeout']);
  await createQueue('sdk-other');
  assert.equal((await sqs().send(new GetQueueUrlCommand({ QueueName: 'sdk-orders' }))).QueueUrl, url);
  assert.deepEqual((await sqs().send(new ListQueuesCommand({ QueueNamePrefix: 'sdk-o' }))).QueueUrls, [url, `${server.url}/${testAccount}/sdk-other`]);
  const page = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: 'sdk-o', MaxResults: 1 }));
  assert.deepEqual(page.QueueUrls, [url]);
  assert.deepEqual((await sqs().send(new ListQueuesCommand({ QueueNamePrefix: 'sdk-o', MaxResults: 1, NextToken: page.NextToken }))).QueueUrls,
    [`${server.url}/${testAccount}/sdk-other`]);

  await sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '2' } }));
  const bad = await failure(sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '43201' } })));
  assert.deepEqual([bad.name, bad.message], ['InvalidAttributeValue', 'Invalid value for the parameter VisibilityTimeout.']);
  const attrs = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
  assert.equal(attrs.QueueArn, `arn:aws:sqs:us-east-1:${testAccount}:sdk-orders`);
  assert.deepEqual([attrs.VisibilityTimeout, attrs.DelaySeconds, attrs.MaximumMessageSize, attrs.MessageRetentionPeriod], ['45', '2', '262144', '345600']);
  assert.match(attrs.CreatedTimestamp!, /^\d{10}$/);
  await sqs().send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'orders' } }));
  assert.deepEqual((await sqs().send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: 'orders' });

  await sqs().send(new DeleteQueueCommand({ QueueUrl: url }));
  const gone = await failure(sqs().send(new GetQueueUrlCommand({ QueueName: 'sdk-orders' })));
  assert.deepEqual([gone.name, gone.message, gone.status], ['QueueDoesNotExist', 'The specified queue does not exist.', 400]);
});

test('messages: send with attributes (digests checked by the SDK), receive, delete; counts', async () => {
  const url = await createQueue('sdk-messages');
  const sent = await sqs().send(new SendMessageCommand({
    QueueUrl: url, MessageBody: 'héllo',
    MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' }, n: { DataType: 'Number', StringValue: '42' }, raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2]) } },
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
  }));
  assert.equal(sent.MD5OfMessageBody, createHash('md5').update('héllo', 'utf8').digest('hex'));
  assert.match(sent.MD5OfMessageAttributes!, /^[0-9a-f]{32}$/);
  assert.match(sent.MD5OfMessageSystemAttributes!, /^[0-9a-f]{32}$/);
  const attrs = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes;
  assert.deepEqual(attrs, { ApproximateNumberOfMessages: '1' });

  const [m] = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }))).Messages!;
  assert.equal(m.Body, 'héllo');
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.MessageAttributes?.kind.StringValue, 'greeting');
  assert.deepEqual([...m.MessageAttributes!.raw.BinaryValue!], [0, 1, 2]);
  assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
  assert.equal(m.Attributes?.AWSTraceHeader, 'Root=1-5759e988-bd862e3fe1be46a994272793');
  assert.match(m.Attributes!.SentTimestamp!, /^\d{13}$/);
  const only = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes;
  assert.deepEqual(only, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
  assert.equal((await sqs().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'in flight: not received again');
  await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  const invalid = await failure(sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })));
  assert.deepEqual([invalid.name, invalid.message], ['ReceiptHandleIsInvalid', 'The input receipt handle "garbage" is not a valid receipt handle.']);
  const big = await failure(sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(262_145) })));
  assert.deepEqual([big.name, big.message], ['InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.']);
});

test('batches: entries succeed or fail one by one; malformed batches fail whole', async () => {
  const url = await createQueue('sdk-batches');
  const out = await sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two', DelaySeconds: 901 }] }));
  assert.deepEqual(out.Successful?.map((s) => s.Id), ['a']);
  assert.deepEqual(out.Failed, [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' }]);
  const empty = await failure(sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })));
  assert.deepEqual([empty.name, empty.message], ['EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.']);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
  const tooMany = await failure(sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: eleven })));
  assert.deepEqual([tooMany.name, tooMany.message], ['TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10. You have sent 11.']);
  const repeated = await failure(sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] })));
  assert.deepEqual([repeated.name, repeated.message], ['BatchEntryIdsNotDistinct', 'Id x repeated.']);
  const badId = await failure(sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a b', MessageBody: '1' }] })));
  assert.equal(badId.name, 'InvalidBatchEntryId');
  const long = await failure(sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3, 4, 5].map((i) => ({ Id: `l${i}`, MessageBody: 'y'.repeat(250_000) })) })));
  assert.deepEqual([long.name, long.message], ['BatchRequestTooLong', 'Batch requests cannot be longer than 1048576 bytes. You have sent 1250000 bytes.']);

  const [m] = await receiveUntil(url, (b) => b.length === 1);
  const del = await sqs().send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'ok', ReceiptHandle: m.ReceiptHandle! }, { Id: 'bad', ReceiptHandle: 'nope' }] }));
  assert.deepEqual(del.Successful, [{ Id: 'ok' }]);
  assert.equal(del.Failed?.[0].Code, 'ReceiptHandleIsInvalid');
});

test('visibility: a message not deleted comes back after its timeout; ChangeMessageVisibility hides or shows it', async () => {
  const url = await createQueue('sdk-visibility', { VisibilityTimeout: '1' });
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
  const [first] = await receiveUntil(url, (b) => b.length === 1);
  const [second] = await receiveUntil(url, (b) => b.length === 1);
  assert.equal(second.Attributes?.ApproximateReceiveCount, '2');
  assert.equal(second.MessageId, first.MessageId);
  await sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 0 }));
  const [third] = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 600, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
  assert.deepEqual(third.Attributes, { ApproximateReceiveCount: '3' });
  await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third.ReceiptHandle }));
  const notInFlight = await failure(sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: third.ReceiptHandle, VisibilityTimeout: 5 })));
  assert.equal(notInFlight.name, 'InvalidParameterValue');
});

test('long polling: a waiting receive gets a message sent while it waits', async () => {
  const url = await createQueue('sdk-long-poll');
  const waiting = sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
  // The receive is waiting once the queue shows no message to it; then the send wakes it.
  await new Promise((r) => setTimeout(r, 300));
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
  assert.deepEqual((await waiting).Messages?.map((m) => m.Body), ['wake up']);
});

test('dead-letter queue: the receive past maxReceiveCount moves the message', async () => {
  const dlq = await createQueue('sdk-dlq');
  const dlqArn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const bad = await failure(createQueue('sdk-source-bad', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${dlqArn}-missing`, maxReceiveCount: 2 }) }));
  assert.equal(bad.name, 'InvalidParameterValue');
  const source = await createQueue('sdk-source', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
  await sqs().send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'poison' }));
  for (let i = 0; i < 2; i++) {
    const got = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: source, VisibilityTimeout: 0 }))).Messages ?? [];
    assert.deepEqual(got.map((m) => m.Body), ['poison'], `receive ${i + 1}`);
  }
  assert.equal((await sqs().send(new ReceiveMessageCommand({ QueueUrl: source }))).Messages, undefined, 'the third receive moved it');
  const [moved] = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
  assert.deepEqual([moved.Body, moved.Attributes?.ApproximateReceiveCount], ['poison', '1']);
});

test('FIFO: order within a group, one message of a group in flight at a time, deduplication', async () => {
  const missing = await failure(createQueue('sdk-plain.fifo'));
  assert.equal(missing.name, 'InvalidParameterValue');
  const url = await createQueue('sdk-orders.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  const first = await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' }));
  const dup = await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' }));
  assert.equal(dup.MessageId, first.MessageId, 'the same content within five minutes is the same message');
  assert.match(first.SequenceNumber!, /^\d{20}$/);
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a2', MessageGroupId: 'a', MessageDeduplicationId: 'explicit' }));
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b1', MessageGroupId: 'b' }));
  const noGroup = await failure(sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })));
  assert.deepEqual([noGroup.name, noGroup.message], ['MissingParameter', 'The request must contain the parameter MessageGroupId.']);

  const one = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['MessageGroupId'] }))).Messages!;
  assert.deepEqual(one.map((m) => [m.Body, m.Attributes?.MessageGroupId]), [['a1', 'a']]);
  const next = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
  assert.deepEqual(next.map((m) => m.Body), ['b1'], 'group a waits while a1 is in flight');
  await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: one[0].ReceiptHandle }));
  const rest = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
  assert.deepEqual(rest.map((m) => m.Body), ['a2']);
});

test('purge empties a queue; messages outlive a restart', async () => {
  const purged = await createQueue('sdk-purge');
  await sqs().send(new SendMessageCommand({ QueueUrl: purged, MessageBody: 'gone' }));
  await sqs().send(new PurgeQueueCommand({ QueueUrl: purged }));
  assert.equal((await sqs().send(new ReceiveMessageCommand({ QueueUrl: purged }))).Messages, undefined);

  const url = await createQueue('sdk-durable');
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept' }));
  client?.destroy();
  client = undefined;
  await server.restart();
  const [m] = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: `${server.url}/${testAccount}/sdk-durable` }))).Messages!;
  assert.equal(m.Body, 'kept');
});
