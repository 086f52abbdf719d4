// SAM's S3, SNS, Schedule and EventBridge events expanded as SAM's transform does (logical IDs,
// rule names, targets, permissions, the bucket's LambdaConfigurations), and what !Ref / !GetAtt
// give for the queues, topics, rules and buckets a deploy now creates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue } from './issues.js';
import { otherAttribute, otherRef, stableSuffix, type OtherResourceContext } from './other-resources.js';
import { validateStack } from './stack-validation.js';
import { expandServiceEvents, templateServiceResources, withLambdaConfigurations } from './service-resources.js';
import { notificationConfiguration } from './s3-resources.js';
import { queueAttributes } from './sqs-resources.js';
import { ruleTargets } from './events-resources.js';
import { stackModelOf } from './testing.js';

const ctx = (type: string, logicalId: string, props: Record<string, string | boolean> = {}): OtherResourceContext => ({
  stackName: 'demo', region: 'eu-west-1', accountId: '111122223333', logicalId, type, prop: (k) => props[k],
});

/** A SAM function `Fn` with these lines under Events. */
const fnWithEvents = (events: string) => `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      FunctionName: fn
      Events:
${events}`;

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads
      NotificationConfiguration:
        QueueConfigurations:
          - Event: s3:ObjectRemoved:*
            Queue: arn:aws:sqs:eu-west-1:111122223333:removed
${fnWithEvents(`        Tick:
          Type: Schedule
          Properties: { Schedule: rate(5 minutes), Input: '{"a":1}', Enabled: false }
        Changes:
          Type: EventBridgeRule
          Properties: { Pattern: { source: [my.app] }, EventBusName: orders, Target: { Id: custom } }
        Note:
          Type: SNS
          Properties: { Topic: !Ref Topic, FilterPolicy: { kind: [a] } }
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: [s3:ObjectCreated:Put, s3:ObjectCreated:Post]
            Filter: { S3Key: { Rules: [{ Name: suffix, Value: .png }] } }
`)}`;

test('SAM events expand to rules, subscriptions, bucket notifications and permissions named as SAM names them', () => {
  const { model, issues } = stackModelOf(TEMPLATE);
  validateStack(model);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  assert.deepEqual(issues.warnings.map(formatIssue).filter((w) => /not wired|not deployed/.test(w)), [], 'nothing skipped');
  const scope = model.scope(() => undefined);
  const arn = 'arn:aws:lambda:eu-west-1:111122223333:function:fn';
  const events = expandServiceEvents(model, scope, new Map([['Fn', { logicalId: 'Fn', name: 'fn', arn }]]));
  const topic = `arn:aws:sns:eu-west-1:111122223333:demo-Topic-${stableSuffix('demo', 'Topic')}`;

  assert.deepEqual(events.rules.map((r) => [r.logicalId, r.name, r.props]), [
    ['FnTick', `demo-FnTick-${stableSuffix('demo', 'FnTick')}`,
      { EventBusName: 'default', State: 'DISABLED', Targets: [{ Id: 'FnTickLambdaTarget', Arn: arn, Input: '{"a":1}' }], ScheduleExpression: 'rate(5 minutes)' }],
    ['FnChanges', `demo-FnChanges-${stableSuffix('demo', 'FnChanges')}`,
      { EventBusName: 'orders', State: 'ENABLED', Targets: [{ Id: 'custom', Arn: arn }], EventPattern: { source: ['my.app'] } }],
  ]);
  assert.deepEqual(events.subscriptions.map((s) => [s.logicalId, s.props]), [['FnNote', { TopicArn: topic, Protocol: 'lambda', Endpoint: arn, FilterPolicy: { kind: ['a'] } }]]);
  assert.deepEqual(events.permissions.map((p) => [p.logicalId, p.statementId, p.principal, p.sourceArn, p.sourceAccount]), [
    ['FnTickPermission', 'stagecraft_demo_FnTickPermission', 'events.amazonaws.com', `arn:aws:events:eu-west-1:111122223333:rule/demo-FnTick-${stableSuffix('demo', 'FnTick')}`, undefined],
    ['FnChangesPermission', 'stagecraft_demo_FnChangesPermission', 'events.amazonaws.com', `arn:aws:events:eu-west-1:111122223333:rule/orders/demo-FnChanges-${stableSuffix('demo', 'FnChanges')}`, undefined],
    ['FnNotePermission', 'stagecraft_demo_FnNotePermission', 'sns.amazonaws.com', topic, undefined],
    ['FnUploadPermission', 'stagecraft_demo_FnUploadPermission', 's3.amazonaws.com', 'arn:aws:s3:::uploads', '111122223333'],
  ]);

  // The bucket keeps its own configurations and gains SAM's, one per event.
  const bucket = templateServiceResources(model, scope).find((r) => r.logicalId === 'Uploads')!;
  const config = notificationConfiguration(withLambdaConfigurations(bucket.props, events.bucketNotifications.get('Uploads')!));
  const png = { Key: { FilterRules: [{ Name: 'suffix', Value: '.png' }] } };
  assert.deepEqual(config, {
    LambdaFunctionConfigurations: [
      { Events: ['s3:ObjectCreated:Put'], LambdaFunctionArn: arn, Filter: png },
      { Events: ['s3:ObjectCreated:Post'], LambdaFunctionArn: arn, Filter: png },
    ],
    QueueConfigurations: [{ Events: ['s3:ObjectRemoved:*'], QueueArn: 'arn:aws:sqs:eu-west-1:111122223333:removed', Filter: undefined }],
  });
  assert.deepEqual(ruleTargets(events.rules[0].props).map((t) => [t.Id, t.Input]), [['FnTickLambdaTarget', '{"a":1}']]);
});

test('an S3 event\'s Bucket must be a bucket of the template, as SAM requires', () => {
  const { model, issues } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Resources:
${fnWithEvents('        Upload: { Type: S3, Properties: { Bucket: some-bucket, Events: s3:ObjectCreated:* } }\n')}`);
  validateStack(model);
  assert.ok(issues.errors.map(formatIssue).some((e) => /Fn's S3 event Upload: Bucket must be !Ref to an AWS::S3::Bucket in this template/.test(e)), issues.errors.map(formatIssue).join('\n'));
});

test('Ref and GetAtt of queues, topics, rules, buses and buckets as CloudFormation gives them', () => {
  assert.equal(otherRef(ctx('AWS::SQS::Queue', 'Q', { QueueName: 'jobs' })), 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs');
  assert.equal(otherAttribute(ctx('AWS::SQS::Queue', 'Q', { QueueName: 'jobs' }), 'QueueUrl'), 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs');
  assert.match(otherAttribute(ctx('AWS::SQS::Queue', 'Jobs', { FifoQueue: true }), 'QueueName'), /^demo-Jobs-[A-Z0-9]{13}\.fifo$/);
  assert.equal(otherRef(ctx('AWS::SNS::Topic', 'T', { TopicName: 'news' })), 'arn:aws:sns:eu-west-1:111122223333:news');
  assert.equal(otherAttribute(ctx('AWS::SNS::Topic', 'T', { TopicName: 'news' }), 'TopicName'), 'news');
  assert.equal(otherRef(ctx('AWS::Events::Rule', 'R', { Name: 'nightly' })), 'nightly');
  assert.equal(otherAttribute(ctx('AWS::Events::Rule', 'R', { Name: 'nightly' }), 'Arn'), 'arn:aws:events:eu-west-1:111122223333:rule/nightly');
  // On another bus: Ref is `{bus}|{name}`, the ARN names the bus.
  assert.equal(otherRef(ctx('AWS::Events::Rule', 'R', { Name: 'nightly', EventBusName: 'orders' })), 'orders|nightly');
  assert.equal(otherAttribute(ctx('AWS::Events::Rule', 'R', { Name: 'nightly', EventBusName: 'arn:aws:events:eu-west-1:111122223333:event-bus/orders' }), 'Arn'),
    'arn:aws:events:eu-west-1:111122223333:rule/orders/nightly');
  assert.equal(otherRef(ctx('AWS::Events::EventBus', 'B', { Name: 'orders' })), 'orders');
  assert.equal(otherAttribute(ctx('AWS::Events::EventBus', 'B', { Name: 'orders' }), 'Arn'), 'arn:aws:events:eu-west-1:111122223333:event-bus/orders');
  assert.equal(otherRef(ctx('AWS::S3::Bucket', 'B', { BucketName: 'pics' })), 'pics');
  assert.equal(otherAttribute(ctx('AWS::S3::Bucket', 'B', { BucketName: 'pics' }), 'Arn'), 'arn:aws:s3:::pics');
  assert.equal(otherAttribute(ctx('AWS::S3::Bucket', 'B', { BucketName: 'pics' }), 'RegionalDomainName'), 'pics.s3.eu-west-1.amazonaws.com');
  assert.match(otherRef(ctx('AWS::S3::Bucket', 'Pics')), /^demo-pics-[a-z0-9]{13}$/);
});

test('queue properties as SQS attributes: RedrivePolicy as JSON, FifoQueue only on create', () => {
  const props = { VisibilityTimeout: 45, FifoQueue: true, RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:111122223333:dlq', maxReceiveCount: 3 } };
  assert.deepEqual(queueAttributes(props, true), { VisibilityTimeout: '45', FifoQueue: 'true', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:111122223333:dlq","maxReceiveCount":3}' });
  assert.equal(queueAttributes(props, false).FifoQueue, undefined);
});

test('an SQS event expands to an event source mapping {Function}{Event} with SAM\'s settings, and no permission', () => {
  const { model, issues } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
${fnWithEvents(`        Work:
          Type: SQS
          Properties: { Queue: !GetAtt Jobs.Arn, BatchSize: 20, MaximumBatchingWindowInSeconds: 2, FunctionResponseTypes: [ReportBatchItemFailures], Enabled: false }
`)}`);
  validateStack(model);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  assert.deepEqual(issues.warnings.map(formatIssue).filter((w) => /skipped|not wired/.test(w)), [], 'the SQS event is not skipped');
  const arn = 'arn:aws:lambda:eu-west-1:111122223333:function:fn';
  const events = expandServiceEvents(model, model.scope(() => undefined), new Map([['Fn', { logicalId: 'Fn', name: 'fn', arn }]]));
  assert.deepEqual(events.permissions, []);
  assert.deepEqual(events.mappings.map((m) => [m.logicalId, m.eventSourceArn, m.functionName, m.batchSize, m.maximumBatchingWindowInSeconds, m.functionResponseTypes, m.enabled]), [
    ['FnWork', `arn:aws:sqs:eu-west-1:111122223333:demo-Jobs-${stableSuffix('demo', 'Jobs')}`, arn, 20, 2, ['ReportBatchItemFailures'], false],
  ]);
});
