// S3 event notifications to SQS queues, SNS topics and EventBridge through SDK v3: S3's
// s3:TestEvent when the configuration is put, then the event message per object; a queue or topic
// whose policy does not allow the bucket refuses the configuration; with EventBridgeConfiguration,
// "Object Created" and "Object Deleted" events (source aws.s3) reach the default bus's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, DeleteObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, type NotificationConfiguration, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { eventBridgeClient, s3Client, snsClient, sqsClient } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { createQueue, receiveMessages, sendPolicy } from '../src/testing/queue-messages.js';

const env = useServer();
let s3: S3Client;
let sqs: SQSClient;
let sns: SNSClient;
let events: EventBridgeClient;
env.setup(() => {
  s3 = s3Client(env.url);
  sqs = sqsClient(env.url);
  sns = snsClient(env.url);
  events = eventBridgeClient(env.url);
});

const queueArn = (name: string) => `arn:aws:sqs:${testRegion}:${testAccount}:${name}`;
const putNotification = (bucket: string, configuration: NotificationConfiguration) =>
  s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: configuration }));

test('S3 → SQS: the test event when configured, then S3\'s event message for a created object', { timeout: 60_000 }, async () => {
  const bucket = 'to-queue';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const queue = await createQueue(sqs, 's3-events', { Policy: sendPolicy(queueArn('s3-events'), 's3.amazonaws.com', `arn:aws:s3:::${bucket}`) });
  await putNotification(bucket, { QueueConfigurations: [{ Id: 'uploads', QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'] }] });
  const [testEvent] = await receiveMessages(sqs, queue.url, 1);
  const t = JSON.parse(testEvent.Body!);
  assert.deepEqual(Object.keys(t), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
  assert.equal(t.Service, 'Amazon S3');
  assert.equal(t.Event, 's3:TestEvent');
  assert.equal(t.Bucket, bucket);

  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a b.txt', Body: 'hello' }));
  const [m] = await receiveMessages(sqs, queue.url, 1);
  const [record] = JSON.parse(m.Body!).Records;
  assert.equal(record.eventSource, 'aws:s3');
  assert.equal(record.eventName, 'ObjectCreated:Put');
  assert.equal(record.awsRegion, testRegion);
  assert.equal(record.s3.configurationId, 'uploads');
  assert.deepEqual(record.s3.bucket, { name: bucket, ownerIdentity: { principalId: testAccount }, arn: `arn:aws:s3:::${bucket}` });
  assert.equal(record.s3.object.key, 'a+b.txt');
  assert.equal(record.s3.object.size, 5);
  assert.equal(`"${record.s3.object.eTag}"`, put.ETag);
});

test('S3 → SQS and SNS: destinations missing or not allowing the bucket refuse the configuration', { timeout: 60_000 }, async () => {
  const bucket = 'refused-destinations';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const closed = await createQueue(sqs, 's3-closed', { Policy: sendPolicy(queueArn('s3-closed'), 's3.amazonaws.com', 'arn:aws:s3:::another-bucket') });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 's3-default-policy' }));
  const missing = queueArn('no-such-queue');
  await assert.rejects(putNotification(bucket, {
    QueueConfigurations: [{ QueueArn: closed.arn, Events: ['s3:ObjectCreated:*'] }, { QueueArn: missing, Events: ['s3:ObjectRemoved:*'] }],
    TopicConfigurations: [{ TopicArn, Events: ['s3:ObjectTagging:*'] }],
  }), (e: any) => {
    assert.equal(e.name, 'InvalidArgument');
    assert.equal(e.message, 'Unable to validate the following destination configurations');
    const pairs = [1, 2, 3].map((n) => [e[`ArgumentName${n}`], e[`ArgumentValue${n}`]]);
    assert.deepEqual(pairs.sort(), [
      [TopicArn, 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket'],
      [closed.arn, 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket'],
      [missing, 'The destination queue does not exist'],
    ].sort());
    return true;
  });
});

test('S3 → SNS: the topic allowing the bucket publishes the event with S3\'s subject', { timeout: 60_000 }, async () => {
  const bucket = 'to-topic';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 's3-topic' }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'SNS:Publish', Resource: TopicArn,
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::to-*' }, StringEquals: { 'aws:SourceAccount': testAccount } } }],
  }) }));
  const queue = await createQueue(sqs, 's3-topic-queue', { Policy: sendPolicy(queueArn('s3-topic-queue'), 'sns.amazonaws.com', TopicArn!) });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }));
  await putNotification(bucket, { TopicConfigurations: [{ Id: 'removals', TopicArn, Events: ['s3:ObjectRemoved:*'] }] });
  const [testEvent] = await receiveMessages(sqs, queue.url, 1);
  const te = JSON.parse(testEvent.Body!);
  assert.equal(te.Subject, 'Amazon S3 Notification');
  assert.equal(JSON.parse(te.Message).Event, 's3:TestEvent');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone.txt', Body: 'x' }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone.txt' }));
  const [m] = await receiveMessages(sqs, queue.url, 1);
  const envelope = JSON.parse(m.Body!);
  assert.equal(envelope.Subject, 'Amazon S3 Notification');
  const [record] = JSON.parse(envelope.Message).Records;
  assert.equal(record.eventName, 'ObjectRemoved:Delete');
  assert.equal(record.s3.configurationId, 'removals');
  assert.equal(record.s3.object.key, 'gone.txt');
});

test('S3 → EventBridge: Object Created and Object Deleted on the default bus, source aws.s3', { timeout: 60_000 }, async () => {
  const bucket = 'to-bus';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const rule = 's3-objects';
  await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.s3'], detail: { bucket: { name: [bucket] } } }) }));
  const queue = await createQueue(sqs, 's3-bus-queue', { Policy: sendPolicy(queueArn('s3-bus-queue'), 'events.amazonaws.com', `arn:aws:events:${testRegion}:${testAccount}:rule/${rule}`) });
  await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: queue.arn }] }));
  await putNotification(bucket, { EventBridgeConfiguration: {} });
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/report.csv', Body: 'a,b\n' }));
  const [created] = await receiveMessages(sqs, queue.url, 1);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'dir/report.csv' }));
  const [deleted] = await receiveMessages(sqs, queue.url, 1);
  const c = JSON.parse(created.Body!);
  assert.equal(c.source, 'aws.s3');
  assert.equal(c['detail-type'], 'Object Created');
  assert.equal(c.account, testAccount);
  assert.equal(c.region, testRegion);
  assert.deepEqual(c.resources, [`arn:aws:s3:::${bucket}`]);
  assert.deepEqual(Object.keys(c.detail), ['version', 'bucket', 'object', 'request-id', 'requester', 'source-ip-address', 'reason']);
  assert.equal(c.detail.version, '0');
  assert.deepEqual(c.detail.bucket, { name: bucket });
  assert.equal(c.detail.object.key, 'dir/report.csv');
  assert.equal(c.detail.object.size, 4);
  assert.equal(`"${c.detail.object.etag}"`, put.ETag);
  assert.match(c.detail.object.sequencer, /^[0-9A-F]+$/);
  assert.equal(c.detail.reason, 'PutObject');
  const d = JSON.parse(deleted.Body!);
  assert.equal(d['detail-type'], 'Object Deleted');
  assert.equal(d.detail.reason, 'DeleteObject');
  assert.equal(d.detail['deletion-type'], 'Permanently Deleted');
  assert.equal(d.detail.object.key, 'dir/report.csv');
});
