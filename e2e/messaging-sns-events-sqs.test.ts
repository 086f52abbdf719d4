// SNS subscriptions and EventBridge targets delivering to SQS queues (and EventBridge to SNS
// topics) through SDK v3: the SNS envelope, raw delivery with message attributes as SQS message
// attributes, a FIFO topic's group and deduplication ids, EventBridge's event as the body with
// SqsParameters.MessageGroupId; a queue or topic whose policy does not allow the service gets nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTopicCommand, PublishCommand, SetTopicAttributesCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { eventBridgeClient, snsClient, sqsClient } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { waitFor } from '../src/testing/wait.js';
import { createQueue, receiveMessages, receiveNothing, sendPolicy } from '../src/testing/queue-messages.js';

const env = useServer({ args: ['--sns-retry-delays', '200,200'] });
let sns: SNSClient;
let sqs: SQSClient;
let events: EventBridgeClient;
env.setup(() => {
  sns = snsClient(env.url);
  sqs = sqsClient(env.url);
  events = eventBridgeClient(env.url);
});

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ruleArn = (name: string) => `arn:aws:events:${testRegion}:${testAccount}:rule/${name}`;

async function topicWithQueue(name: string, fifo = false, subscription: Record<string, string> = {}) {
  const suffix = fifo ? '.fifo' : '';
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `${name}${suffix}`, Attributes: fifo ? { FifoTopic: 'true' } : {} }));
  const queueName = `${name}-queue${suffix}`;
  const queueArn = `arn:aws:sqs:${testRegion}:${testAccount}:${queueName}`;
  const queue = await createQueue(sqs, queueName, { ...(fifo ? { FifoQueue: 'true' } : {}), Policy: sendPolicy(queueArn, 'sns.amazonaws.com', TopicArn!) });
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: subscription, ReturnSubscriptionArn: true }));
  return { topicArn: TopicArn!, queue, subscriptionArn: SubscriptionArn! };
}

test('SNS → SQS: the notification envelope as the body, no SQS message attributes', { timeout: 60_000 }, async () => {
  const { topicArn, queue, subscriptionArn } = await topicWithQueue('envelope');
  const { MessageId } = await sns.send(new PublishCommand({
    TopicArn: topicArn, Subject: 'greetings', Message: 'hello queue', MessageAttributes: { colour: { DataType: 'String', StringValue: 'blue' } },
  }));
  const [m] = await receiveMessages(sqs, queue.url, 1);
  assert.equal(m.MessageAttributes, undefined);
  const body = JSON.parse(m.Body!);
  assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
  assert.equal(body.Type, 'Notification');
  assert.equal(body.MessageId, MessageId);
  assert.equal(body.TopicArn, topicArn);
  assert.equal(body.Subject, 'greetings');
  assert.equal(body.Message, 'hello queue');
  assert.match(body.Timestamp, ISO_MS);
  assert.equal(body.SignatureVersion, '1');
  assert.ok(body.UnsubscribeURL.endsWith(`Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`));
  assert.deepEqual(body.MessageAttributes, { colour: { Type: 'String', Value: 'blue' } });
});

test('SNS → SQS with RawMessageDelivery: the bare message, its attributes as SQS message attributes', { timeout: 60_000 }, async () => {
  const { topicArn, queue } = await topicWithQueue('raw', false, { RawMessageDelivery: 'true' });
  await sns.send(new PublishCommand({
    TopicArn: topicArn, Message: '{"order":7}',
    MessageAttributes: {
      colour: { DataType: 'String', StringValue: 'blue' }, count: { DataType: 'Number', StringValue: '3' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
    },
  }));
  const [m] = await receiveMessages(sqs, queue.url, 1);
  assert.equal(m.Body, '{"order":7}');
  assert.deepEqual(m.MessageAttributes, {
    colour: { DataType: 'String', StringValue: 'blue' }, count: { DataType: 'Number', StringValue: '3' }, blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
  });
});

test('SNS FIFO topic → FIFO queue: group and deduplication ids pass on, in order', { timeout: 60_000 }, async () => {
  const { topicArn, queue } = await topicWithQueue('ordered', true, { RawMessageDelivery: 'true' });
  for (const n of [1, 2, 3]) {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: `m${n}`, MessageGroupId: 'group-a', MessageDeduplicationId: `d${n}` }));
  }
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm1 again', MessageGroupId: 'group-a', MessageDeduplicationId: 'd1' }));
  const got = await receiveMessages(sqs, queue.url, 3);
  assert.deepEqual(got.map((m) => m.Body), ['m1', 'm2', 'm3']);
  assert.deepEqual(got.map((m) => m.Attributes?.MessageGroupId), ['group-a', 'group-a', 'group-a']);
  assert.deepEqual(got.map((m) => m.Attributes?.MessageDeduplicationId), ['d1', 'd2', 'd3']);
  assert.deepEqual(await receiveNothing(sqs, queue.url, 1), [], 'the repeated deduplication id is not delivered');
});

test('SNS → SQS: a queue without a policy for the topic receives nothing', { timeout: 60_000 }, async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'unallowed' }));
  const queue = await createQueue(sqs, 'unallowed-queue', { Policy: sendPolicy(`arn:aws:sqs:${testRegion}:${testAccount}:unallowed-queue`, 'sns.amazonaws.com', `${TopicArn}-other`) });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'refused' }));
  await waitFor('the refused delivery in the log', () => (env.server.stderr().includes('does not allow sns.amazonaws.com') ? true : undefined), 30_000);
  assert.deepEqual(await receiveNothing(sqs, queue.url, 1), []);
});

test('EventBridge → SQS: the event as the body; FIFO queues take SqsParameters.MessageGroupId; a queue not allowing the rule gets nothing', { timeout: 60_000 }, async () => {
  const rule = 'orders-to-queues';
  await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['shop.orders'] }) }));
  const arnOf = (name: string) => `arn:aws:sqs:${testRegion}:${testAccount}:${name}`;
  const plain = await createQueue(sqs, 'eb-plain', { Policy: sendPolicy(arnOf('eb-plain'), 'events.amazonaws.com', ruleArn(rule)) });
  const fifo = await createQueue(sqs, 'eb-ordered.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', Policy: sendPolicy(arnOf('eb-ordered.fifo'), 'events.amazonaws.com', `arn:aws:events:${testRegion}:${testAccount}:rule/orders-*`) });
  const refused = await createQueue(sqs, 'eb-refused');
  await events.send(new PutTargetsCommand({ Rule: rule, Targets: [
    { Id: 'plain', Arn: plain.arn },
    { Id: 'fifo', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'orders' } },
    { Id: 'refused', Arn: refused.arn, InputPath: '$.detail' },
  ] }));
  const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'Order Placed', Detail: '{"id":42}' }] }));
  const eventId = put.Entries![0].EventId!;
  const [m] = await receiveMessages(sqs, plain.url, 1);
  const body = JSON.parse(m.Body!);
  assert.deepEqual(Object.keys(body), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(body.id, eventId);
  assert.equal(body['detail-type'], 'Order Placed');
  assert.equal(body.source, 'shop.orders');
  assert.deepEqual(body.detail, { id: 42 });
  const [f] = await receiveMessages(sqs, fifo.url, 1);
  assert.equal(f.Attributes?.MessageGroupId, 'orders');
  assert.equal(JSON.parse(f.Body!).id, eventId);
  await waitFor('the refused target in the log', () => (env.server.stderr().includes(`the resource policy of ${refused.arn} does not allow events.amazonaws.com`) ? true : undefined), 30_000);
  assert.deepEqual(await receiveNothing(sqs, refused.url, 1), []);
});

test('EventBridge → SNS: published to the topic when its policy allows the rule, else not', { timeout: 60_000 }, async () => {
  const rule = 'alerts-to-topic';
  await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['shop.alerts'] }) }));
  const { topicArn, queue } = await topicWithQueue('eb-alerts', false, { RawMessageDelivery: 'true' });
  const { TopicArn: closed } = await sns.send(new CreateTopicCommand({ Name: 'eb-closed' }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topicArn, Condition: { ArnEquals: { 'aws:SourceArn': ruleArn(rule) } } }],
  }) }));
  await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'topic', Arn: topicArn }, { Id: 'closed', Arn: closed! }] }));
  const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop.alerts', DetailType: 'Alert', Detail: '{"level":"high"}' }] }));
  const [m] = await receiveMessages(sqs, queue.url, 1);
  const event = JSON.parse(m.Body!);
  assert.equal(event.id, put.Entries![0].EventId);
  assert.deepEqual(event.detail, { level: 'high' });
  // The default topic policy does not let EventBridge publish.
  await waitFor('the refused topic in the log', () => (env.server.stderr().includes(`the resource policy of ${closed} does not allow events.amazonaws.com`) ? true : undefined), 30_000);
});
