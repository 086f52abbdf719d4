// S3 event notifications to Lambda through @aws-sdk/client-s3: a function allowed for
// s3.amazonaws.com (with the bucket as source) receives S3's event message for PutObject,
// CopyObject, a multipart completion, object tagging and deletes; prefix and suffix filters pick
// the configuration; PutBucketNotificationConfiguration's checks (events, overlaps, destinations
// that do not exist or do not allow S3); the configuration goes with its bucket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand,
  DeleteObjectTaggingCommand, DeleteObjectsCommand, GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand,
  PutObjectCommand, PutObjectTaggingCommand, UploadPartCommand, type NotificationConfiguration, type S3Client,
} from '@aws-sdk/client-s3';
import { RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { s3Client } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { createS3EventReceiver, functionArn, receivedS3Events, waitForS3Events } from '../src/testing/s3-event-receiver.js';

const env = useServer();
let s3: S3Client;
env.setup(() => {
  s3 = s3Client(env.url);
});

const md5 = (b: string) => createHash('md5').update(b).digest('hex');
const allowFor = (bucket: string) => ({ SourceArn: `arn:aws:s3:::${bucket}`, SourceAccount: testAccount });
const putNotification = (bucket: string, configuration: NotificationConfiguration) =>
  s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: configuration }));

async function refusedWith(call: Promise<unknown>, message: string, fields: Record<string, string> = {}): Promise<void> {
  await assert.rejects(call, (e: any) => {
    assert.equal(e.name, 'InvalidArgument', `${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.equal(e.message, message);
    for (const [name, value] of Object.entries(fields)) assert.equal(e[name], value, name);
    return true;
  });
}

test('put, copy, multipart completion, tagging and deletes: the function receives S3\'s event message for each', { timeout: 120_000 }, async () => {
  const bucket = 'notify-events';
  const fn = 's3-events-receiver';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createS3EventReceiver(env.lambda, fn, allowFor(bucket));
  const configuration: NotificationConfiguration = {
    LambdaFunctionConfigurations: [{ Id: 'everything', LambdaFunctionArn: functionArn(fn), Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*', 's3:ObjectTagging:*'] }],
  };
  await putNotification(bucket, configuration);
  const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  assert.deepEqual(got.LambdaFunctionConfigurations, configuration.LambdaFunctionConfigurations);
  assert.equal(got.QueueConfigurations, undefined);

  const key = 'dir/hello world+1.txt';
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'hello' }));
  await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy.txt', CopySource: `${bucket}/${encodeURIComponent(key)}` }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin' }));
  const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'big.bin', UploadId, PartNumber: 1, Body: 'one part' }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'copy.txt', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }));
  await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'copy.txt' }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'copy.txt' }));
  await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'big.bin' }] } }));

  const records = await waitForS3Events(env.logs, fn, 7);
  const find = (eventName: string, key: string) => records.find((r) => r.eventName === eventName && r.s3.object.key === key)!;
  const expected = [
    ['ObjectCreated:Put', 'dir/hello+world%2B1.txt'],
    ['ObjectCreated:Copy', 'copy.txt'],
    ['ObjectCreated:CompleteMultipartUpload', 'big.bin'],
    ['ObjectTagging:Put', 'copy.txt'],
    ['ObjectTagging:Delete', 'copy.txt'],
    ['ObjectRemoved:Delete', 'copy.txt'],
    ['ObjectRemoved:Delete', 'big.bin'],
  ];
  assert.deepEqual(records.map((r) => [r.eventName, r.s3.object.key]).sort(), expected.sort());
  const first = find('ObjectCreated:Put', 'dir/hello+world%2B1.txt');
  assert.match(first.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(first.userIdentity.principalId, /^AWS:/);
  assert.match(first.requestParameters.sourceIPAddress, /^[\d.:a-f]+$/);
  assert.deepEqual(first, {
    eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: testRegion, eventTime: first.eventTime, eventName: 'ObjectCreated:Put',
    userIdentity: first.userIdentity, requestParameters: first.requestParameters,
    responseElements: { 'x-amz-request-id': put.$metadata.requestId!, 'x-amz-id-2': first.responseElements['x-amz-id-2'] },
    s3: {
      s3SchemaVersion: '1.0', configurationId: 'everything',
      bucket: { name: bucket, ownerIdentity: { principalId: first.s3.bucket.ownerIdentity.principalId }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: 'dir/hello+world%2B1.txt', size: 5, eTag: md5('hello'), sequencer: first.s3.object.sequencer },
    },
  });
  assert.ok(first.responseElements['x-amz-id-2']);
  const copied = find('ObjectCreated:Copy', 'copy.txt');
  assert.deepEqual(copied.s3.object, { key: 'copy.txt', size: 5, eTag: md5('hello'), sequencer: copied.s3.object.sequencer }, 'a copy keeps the ETag');
  const completed = find('ObjectCreated:CompleteMultipartUpload', 'big.bin');
  assert.deepEqual(completed.s3.object, { key: 'big.bin', size: 8, eTag: done.ETag!.replace(/"/g, ''), sequencer: completed.s3.object.sequencer });
  for (const eventName of ['ObjectTagging:Put', 'ObjectTagging:Delete']) {
    const tagging = find(eventName, 'copy.txt');
    assert.equal(tagging.eventVersion, '2.3', 'S3 marks tagging events 2.3');
    assert.deepEqual(tagging.s3.object, { key: 'copy.txt', eTag: md5('hello') }, 'the ETag, no size or sequencer');
  }
  const removed = find('ObjectRemoved:Delete', 'copy.txt');
  assert.equal(removed.eventVersion, '2.1');
  assert.deepEqual(Object.keys(removed.s3.object), ['key', 'sequencer'], 'no size or eTag for a removal');
  assert.deepEqual(Object.keys(find('ObjectRemoved:Delete', 'big.bin').s3.object), ['key', 'sequencer']);
  assert.match(copied.s3.object.sequencer!, /^[0-9A-F]+$/);
  assert.ok(copied.s3.object.sequencer! < removed.s3.object.sequencer!, 'the sequencer grows per key');
});

test('prefix and suffix filters pick the configuration; other keys and events send nothing', { timeout: 120_000 }, async () => {
  const bucket = 'notify-filters';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createS3EventReceiver(env.lambda, 's3-images', allowFor(bucket));
  await createS3EventReceiver(env.lambda, 's3-docs', allowFor(bucket));
  await putNotification(bucket, {
    LambdaFunctionConfigurations: [
      { Id: 'images', LambdaFunctionArn: functionArn('s3-images'), Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }, { Name: 'suffix', Value: '.jpg' }] } } },
      { Id: 'docs', LambdaFunctionArn: functionArn('s3-docs'), Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'docs/' }] } } },
    ],
  });
  const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  assert.deepEqual(got.LambdaFunctionConfigurations?.[0].Filter, { Key: { FilterRules: [{ Name: 'Prefix', Value: 'images/' }, { Name: 'Suffix', Value: '.jpg' }] } });
  for (const key of ['images/a.png', 'images/a.jpg', 'photos/b.jpg', 'docs/readme.md', 'other.txt']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  // An event images' configuration does not name, then the last event docs' does.
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'images/a.jpg' }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'docs/readme.md' }));
  const docs = await waitForS3Events(env.logs, 's3-docs', 2);
  assert.deepEqual(docs.map((r) => [r.eventName, r.s3.object.key, r.s3.configurationId]), [['ObjectCreated:Put', 'docs/readme.md', 'docs'], ['ObjectRemoved:Delete', 'docs/readme.md', 'docs']]);
  const images = await waitForS3Events(env.logs, 's3-images', 1);
  assert.deepEqual(images.map((r) => [r.eventName, r.s3.object.key, r.s3.configurationId]), [['ObjectCreated:Put', 'images/a.jpg', 'images']]);
});

test('PutBucketNotificationConfiguration refuses unknown events, overlaps, and destinations missing or not allowing S3', { timeout: 120_000 }, async () => {
  const bucket = 'notify-checks';
  const fn = 's3-checked';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createS3EventReceiver(env.lambda, fn, allowFor(bucket));
  await createS3EventReceiver(env.lambda, 's3-other-bucket-only', allowFor('some-other-bucket'));
  await createS3EventReceiver(env.lambda, 's3-no-policy', null);
  const lambda = (name: string, events: string[], id?: string) => ({ Id: id, LambdaFunctionArn: functionArn(name), Events: events as any });

  await refusedWith(putNotification(bucket, { LambdaFunctionConfigurations: [lambda(fn, ['s3:ObjectCreated:Nope'])] }),
    'The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: 's3:ObjectCreated:Nope' });
  await refusedWith(putNotification(bucket, { LambdaFunctionConfigurations: [lambda(fn, ['s3:ObjectRemoved:*']), lambda(fn, ['s3:ObjectRemoved:*'])] }),
    'Configurations overlap. Configurations on the same bucket cannot share a common event type.', { ArgumentName: 'Event', ArgumentValue: 's3:ObjectRemoved:*, s3:ObjectRemoved:*' });
  const images = (name: string, prefix: string) => ({ ...lambda(fn, ['s3:ObjectCreated:*'], name), Filter: { Key: { FilterRules: [{ Name: 'prefix' as const, Value: prefix }] } } });
  await refusedWith(putNotification(bucket, { LambdaFunctionConfigurations: [images('a', 'images/'), images('b', 'images/thumbs/')] }),
    'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.');
  await putNotification(bucket, { LambdaFunctionConfigurations: [images('a', 'images/'), images('b', 'thumbs/')] });
  // An ARN that does not parse is refused even when destinations are not validated.
  await refusedWith(s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: bucket, SkipDestinationValidation: true, NotificationConfiguration: { LambdaFunctionConfigurations: [lambda('x', ['s3:ObjectCreated:*'], 'bad-arn')].map((c) => ({ ...c, LambdaFunctionArn: 'not-an-arn' })) },
  })), 'The ARN could not be parsed', { ArgumentName: 'CloudFunction', ArgumentValue: 'not-an-arn' });
  await putNotification(bucket, {});
  const unable = 'Unable to validate the following destination configurations';
  for (const refused of ['s3-other-bucket-only', 's3-no-policy', 's3-missing-function']) {
    await refusedWith(putNotification(bucket, { LambdaFunctionConfigurations: [lambda(fn, ['s3:ObjectCreated:*'], 'ok'), lambda(refused, ['s3:ObjectRemoved:*'])] }), unable, {
      ArgumentName1: `${functionArn(refused)}, null`, ArgumentValue1: `Not authorized to invoke function [${functionArn(refused)}]`,
    });
  }
  assert.deepEqual((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).LambdaFunctionConfigurations, undefined, 'nothing stored');

  await putNotification(bucket, { LambdaFunctionConfigurations: [lambda(fn, ['s3:ObjectCreated:*'], 'ok')] });
  // Without its permission the function can no longer be configured, and receives nothing.
  await env.lambda.send(new RemovePermissionCommand({ FunctionName: fn, StatementId: 's3' }));
  await refusedWith(putNotification(bucket, { LambdaFunctionConfigurations: [lambda(fn, ['s3:ObjectCreated:*'], 'ok')] }), unable, {
    ArgumentName1: `${functionArn(fn)}, null`, ArgumentValue1: `Not authorized to invoke function [${functionArn(fn)}]`,
  });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after-removal.txt', Body: 'x' }));
  // Skipping destination validation stores it regardless; an empty configuration removes it.
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: bucket, SkipDestinationValidation: true, NotificationConfiguration: { LambdaFunctionConfigurations: [lambda('s3-no-policy', ['s3:ObjectCreated:*'], 'skipped')] },
  }));
  assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).LambdaFunctionConfigurations?.[0].Id, 'skipped');
  await putNotification(bucket, {});
  assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).LambdaFunctionConfigurations, undefined);
  assert.deepEqual(await receivedS3Events(env.logs, fn), []);
});

test('queue and topic configurations (destinations not validated) and EventBridge are stored and answered; the configuration goes with its bucket', { timeout: 60_000 }, async () => {
  const bucket = 'notify-stored';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const configuration: NotificationConfiguration = {
    TopicConfigurations: [{ Id: 't', TopicArn: `arn:aws:sns:${testRegion}:${testAccount}:topic`, Events: ['s3:ObjectRemoved:*'] }],
    QueueConfigurations: [{ Id: 'q', QueueArn: `arn:aws:sqs:${testRegion}:${testAccount}:queue`, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.csv' }] } } }],
    EventBridgeConfiguration: {},
  };
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: configuration, SkipDestinationValidation: true }));
  const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  // S3 answers filter rule names capitalized.
  const answered = { ...configuration, QueueConfigurations: [{ ...configuration.QueueConfigurations![0], Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.csv' }] } } }] };
  assert.deepEqual({ TopicConfigurations: got.TopicConfigurations, QueueConfigurations: got.QueueConfigurations, EventBridgeConfiguration: got.EventBridgeConfiguration }, answered);
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const fresh = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  assert.equal(fresh.QueueConfigurations, undefined);
  assert.equal(fresh.EventBridgeConfiguration, undefined);
});
