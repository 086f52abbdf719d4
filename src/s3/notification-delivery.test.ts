// S3Notifications with stand-in destinations: which destinations a put checks and how S3 words
// each refusal, and which configurations an event is delivered to (a failed delivery is not the
// request's failure); S3's events on EventBridge and its test events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Notifications, type DestinationCheck, type NotificationDestination } from './notifications.js';
import type { S3NotificationConfiguration, S3Store } from '../store/s3-store.js';
import type { RequestContext } from '../aws/request-context.js';
import { S3Error } from './errors.js';

const ACCOUNT = '111111111111';
const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT}:q`;
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:t`;
const FN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:f`;

function storeWith(configuration: S3NotificationConfiguration | undefined): S3Store {
  const partial: Pick<S3Store, 'getBucketNotification' | 'getBucket'> = {
    getBucketNotification: async () => configuration,
    getBucket: async (_, name) => ({ name, region: 'eu-west-1', createdMs: 1 }),
  };
  return partial as S3Store;
}

function destination(checks: Record<string, DestinationCheck>, failing = new Set<string>()) {
  const delivered: { arn: string; source: unknown; message: { Records: { eventName: string; s3: { configurationId: string; object: { key: string } } }[] } }[] = [];
  const d: NotificationDestination = {
    check: async (arn) => checks[arn] ?? 'allowed',
    deliver: async (arn, source, message) => {
      if (failing.has(arn)) throw new Error('refused');
      delivered.push({ arn, source, message: JSON.parse(message.toString()) });
    },
  };
  return { d, delivered };
}

const ctx = { requestId: 'R1', accountId: ACCOUNT, region: 'us-east-1', baseUrl: '', sourceIp: '10.0.0.1', userAgent: '' } as RequestContext;

test('validate: every wired destination asked; refusals numbered with S3\'s names and values per kind; unwired kinds stored unchecked', async () => {
  const configuration: S3NotificationConfiguration = {
    eventBridge: false,
    targets: [
      { kind: 'queue', id: 'q', arn: QUEUE, events: ['s3:ObjectCreated:*'] },
      { kind: 'topic', id: 't', arn: TOPIC, events: ['s3:ObjectRemoved:*'] },
      { kind: 'lambda', id: 'f', arn: FN, events: ['s3:ObjectTagging:*'] },
    ],
  };
  const n = new S3Notifications(storeWith(undefined));
  await n.validate('b', ACCOUNT, configuration);
  const queues = destination({ [QUEUE]: 'missing' });
  const topics = destination({ [TOPIC]: 'refused' });
  const lambdas = destination({ [FN]: 'refused' });
  n.deliverTo('queue', queues.d);
  n.deliverTo('topic', topics.d);
  n.deliverTo('lambda', lambdas.d);
  await assert.rejects(n.validate('b', ACCOUNT, configuration), (e: unknown) => {
    assert.ok(e instanceof S3Error);
    assert.deepEqual([e.code, e.status, e.message], ['InvalidArgument', 400, 'Unable to validate the following destination configurations']);
    assert.deepEqual(e.fields, {
      ArgumentName1: QUEUE, ArgumentValue1: 'The destination queue does not exist',
      ArgumentName2: TOPIC, ArgumentValue2: 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket',
      ArgumentName3: `${FN}, null`, ArgumentValue3: `Not authorized to invoke function [${FN}]`,
    });
    return true;
  });
});

test('notify: each object to the configurations it matches, with the bucket as source; a failing destination neither stops the others nor throws', async () => {
  const n = new S3Notifications(storeWith({
    eventBridge: false,
    targets: [
      { kind: 'queue', id: 'all-removals', arn: QUEUE, events: ['s3:ObjectRemoved:*'] },
      { kind: 'lambda', id: 'logs', arn: FN, events: ['s3:ObjectRemoved:Delete'], prefix: 'logs/' },
      { kind: 'topic', id: 'failing', arn: TOPIC, events: ['s3:ObjectRemoved:Delete'], suffix: '.txt' },
    ],
  }));
  const queues = destination({});
  const lambdas = destination({});
  const topics = destination({}, new Set([TOPIC]));
  n.deliverTo('queue', queues.d);
  n.deliverTo('lambda', lambdas.d);
  n.deliverTo('topic', topics.d);
  await n.notify(ctx, 'b', 's3:ObjectRemoved:Delete', { key: 'logs/a.txt' }, { key: 'other' });
  await n.notify(ctx, 'b', 's3:ObjectCreated:Put', { key: 'logs/b', size: 1, etag: '"e"' });
  assert.deepEqual(queues.delivered.map((d) => d.message.Records[0].s3.object.key), ['logs/a.txt', 'other']);
  assert.deepEqual(lambdas.delivered.map((d) => [d.message.Records[0].s3.configurationId, d.message.Records[0].s3.object.key]), [['logs', 'logs/a.txt']]);
  assert.deepEqual(lambdas.delivered[0].source, { bucketArn: 'arn:aws:s3:::b', ownerAccountId: ACCOUNT });
  assert.equal(topics.delivered.length, 0);
  const [record] = queues.delivered[0].message.Records as unknown as { awsRegion: string; requestParameters: { sourceIPAddress: string }; responseElements: Record<string, string> }[];
  assert.equal(record.awsRegion, 'eu-west-1', 'the bucket\'s region');
  assert.equal(record.requestParameters.sourceIPAddress, '10.0.0.1');
  assert.equal(record.responseElements['x-amz-request-id'], 'R1');
});

test('notify: nothing is read further or sent for a bucket without configurations, nor for kinds not wired', async () => {
  const n = new S3Notifications(storeWith({ eventBridge: true, targets: [{ kind: 'queue', id: 'q', arn: QUEUE, events: ['s3:ObjectCreated:*'] }] }));
  const lambdas = destination({});
  n.deliverTo('lambda', lambdas.d);
  await n.notify(ctx, 'b', 's3:ObjectCreated:Put', { key: 'k' });
  assert.equal(lambdas.delivered.length, 0);
  await new S3Notifications(storeWith(undefined)).notify(ctx, 'b', 's3:ObjectCreated:Put', { key: 'k' });
});

test('EventBridgeConfiguration: every object event goes to the bus (even with no other destination); test events only to queues and topics', async () => {
  const n = new S3Notifications(storeWith({ eventBridge: true, targets: [] }));
  const put: { scope: unknown; event: { source: string; detailType: string; detail: Record<string, unknown>; resources?: string[] } }[] = [];
  n.sendEventsTo({ putEvent: async (scope, event) => { put.push({ scope, event: event as (typeof put)[number]['event'] }); return 'id'; } });
  await n.notify(ctx, 'b', 's3:ObjectCreated:Copy', { key: 'a b', size: 3, etag: '"e"' });
  await n.notify(ctx, 'b', 's3:ObjectTagging:Put', { key: 'a b', etag: '"e"' });
  assert.deepEqual(put.map((p) => [p.event.source, p.event.detailType, p.event.detail.reason]), [['aws.s3', 'Object Created', 'CopyObject'], ['aws.s3', 'Object Tags Added', undefined]]);
  assert.deepEqual(put[0].scope, { accountId: ACCOUNT, region: 'eu-west-1' });
  assert.deepEqual(put[0].event.resources, ['arn:aws:s3:::b']);
  assert.deepEqual(put[0].event.detail.object, { key: 'a b', size: 3, etag: 'e', sequencer: (put[0].event.detail.object as { sequencer: string }).sequencer });

  const queues = destination({});
  const functions = destination({});
  n.deliverTo('queue', queues.d);
  n.deliverTo('lambda', functions.d);
  await n.sendTestEvents(ctx, 'b', { eventBridge: false, targets: [
    { kind: 'queue', id: 'one', arn: QUEUE, events: ['s3:ObjectCreated:*'] }, { kind: 'queue', id: 'two', arn: QUEUE, events: ['s3:ObjectRemoved:*'] },
    { kind: 'lambda', id: 'f', arn: FN, events: ['s3:ObjectCreated:*'] }, { kind: 'topic', id: 't', arn: TOPIC, events: ['s3:ObjectCreated:*'] },
  ] });
  assert.equal(queues.delivered.length, 1, 'once per queue, however many configurations name it');
  assert.equal((queues.delivered[0].message as unknown as { Event: string }).Event, 's3:TestEvent');
  assert.equal(functions.delivered.length, 0);
});
