// `stagecraft deploy` of a SAM template with an SQS queue (and its dead-letter queue, by a generated
// name), an SNS topic, an S3 bucket, and a function called by a Schedule, an SNS and an S3 event:
// the resources exist in Stagecraft's SQS, SNS, EventBridge and S3, events from each reach the
// function, the same template again changes nothing, and a redeploy without them deletes them. Schedule time runs 60 times faster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ListRulesCommand, ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteObjectCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { eventBridgeClient, s3Client, snsClient, sqsClient } from '../src/testing/aws.js';
import { receivedEvents } from '../src/testing/event-receiver.js';
import { waitFor } from '../src/testing/wait.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer({ args: ['--events-clock', `${Date.now()}x60`] });
const dirs = useTempDirs();
let sqs: SQSClient;
let sns: SNSClient;
let events: EventBridgeClient;
let s3: S3Client;
env.setup(() => {
  sqs = sqsClient(env.url);
  sns = snsClient(env.url);
  events = eventBridgeClient(env.url);
  s3 = s3Client(env.url);
});

const CODE = "exports.handler = async (event) => { console.log('EVENTBRIDGE_EVENT ' + JSON.stringify(event)); };\n";

const EVENTS = `      Events:
        Tick:
          Type: Schedule
          Properties: { Schedule: rate(1 minute) }
        Note:
          Type: SNS
          Properties: { Topic: !Ref Topic }
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter: { S3Key: { Rules: [{ Name: prefix, Value: in/ }] } }
`;

const resources = (queue: string, bucket: string) => `  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: ${queue}
      VisibilityTimeout: 45
      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3 }
  Dlq:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${bucket}
Outputs:
  QueueUrl: { Value: !Ref Queue }
  DlqName: { Value: !GetAtt Dlq.QueueName }
  TopicArn: { Value: !Ref Topic }
`;

async function statementIds(fn: string): Promise<string[]> {
  for (const qualifier of [undefined, 'live']) {
    const policy = await env.lambda.send(new GetPolicyCommand({ FunctionName: fn, Qualifier: qualifier })).catch(() => undefined);
    const ids = policy?.Policy ? JSON.parse(policy.Policy).Statement.map((st: { Sid: string }) => st.Sid) : [];
    if (ids.length) return ids;
  }
  return [];
}

const output = (stdout: string, name: string) => new RegExp(`${name}\\s*[:=]?\\s*(\\S+)`).exec(stdout)?.[1];

test('queues, topics, buckets and the function\'s Schedule, SNS and S3 events are deployed, called, and removed with the template', { timeout: 240_000 }, async () => {
  const fn = unique('svc-fn');
  const queue = unique('svc-queue');
  const bucket = unique('svc-bucket').toLowerCase();
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn, EVENTS) + resources(queue, bucket), 'src/index.js': CODE }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.doesNotMatch(first.output, /not deployed|not wired/);

  // The queue, with its attributes, and the dead-letter queue CloudFormation would name.
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
  const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  assert.equal(attributes.VisibilityTimeout, '45');
  const dlq = output(first.stdout, 'DlqName');
  assert.match(dlq ?? '', /-Dlq-[A-Z0-9]{13}$/, first.stdout);
  assert.deepEqual(JSON.parse(attributes.RedrivePolicy!), { deadLetterTargetArn: `arn:aws:sqs:us-east-1:${attributes.QueueArn!.split(':')[4]}:${dlq}`, maxReceiveCount: 3 });
  assert.equal(output(first.stdout, 'QueueUrl')?.endsWith(`/${queue}`), true);

  // The topic, the function subscribed to it; a message reaches the function.
  const topicArn = output(first.stdout, 'TopicArn')!;
  assert.match(topicArn, /^arn:aws:sns:us-east-1:\d{12}:.*-Topic-[A-Z0-9]{13}$/);
  const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
  assert.deepEqual(subs.map((s) => [s.Protocol, s.Endpoint?.split(':').slice(-2).join(':')]), [['lambda', `${fn}:live`]]);
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello from sns' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/file.txt', Body: 'x' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'out/ignored.txt', Body: 'x' }));

  // The schedule's rule, targeting the function's alias.
  const rules = (await events.send(new ListRulesCommand({}))).Rules ?? [];
  const rule = rules.find((r) => /-HelloTick-[A-Z0-9]{13}$/.test(r.Name ?? ''));
  assert.ok(rule, JSON.stringify(rules));
  assert.equal(rule.ScheduleExpression, 'rate(1 minute)');
  const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }))).Targets ?? [];
  assert.deepEqual(targets.map((t) => t.Id), ['HelloTickLambdaTarget']);

  const seen = await waitFor('an SNS, an S3 and a scheduled event', async () => {
    const got = await receivedEvents(env.logs, fn);
    const sources = new Set(got.map((e) => e.source ?? e.Records?.[0]?.EventSource ?? e.Records?.[0]?.eventSource));
    return ['aws.events', 'aws:sns', 'aws:s3'].every((s) => sources.has(s)) ? got : undefined;
  }, 120_000);
  assert.equal(seen.find((e) => e.Records?.[0]?.EventSource === 'aws:sns').Records[0].Sns.Message, 'hello from sns');
  const keys = seen.filter((e) => e.Records?.[0]?.eventSource === 'aws:s3').map((e) => e.Records[0].s3.object.key);
  assert.deepEqual([...new Set(keys)], ['in/file.txt']);

  // The same template again changes nothing.
  const again = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.output);
  assert.match(again.stdout, /No changes: stack/);

  // Redeployed without them: a bucket that holds objects can't be deleted, as in CloudFormation (a warning, it stays)…
  writeFiles(dir, { 'template.yaml': SAM_HEADER + liveFunction(fn) });
  const second = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  assert.match(second.output, /removing buckets the template no longer has failed: BucketNotEmpty/);
  await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  // …the rest is gone, the events' permissions with it; emptied, the bucket goes at the next deploy.
  assert.deepEqual(await statementIds(fn), []);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'in/file.txt' }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'out/ignored.txt' }));
  const third = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(third.code, 0, third.output);
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: queue })));
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: dlq })));
  const topics = (await sns.send(new ListTopicsCommand({}))).Topics ?? [];
  assert.equal(topics.some((t) => t.TopicArn === topicArn), false);
  await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: bucket })));
  const after = (await events.send(new ListRulesCommand({}))).Rules ?? [];
  assert.equal(after.some((r) => r.Name === rule.Name), false);
});

test('stagecraft delete removes the stack\'s queues and topics but the retained ones', { timeout: 120_000 }, async () => {
  const fn = unique('svc-del');
  const queue = unique('svc-del-queue');
  const kept = unique('svc-del-kept');
  const extra = `  Queue:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: ${queue} }\n  Kept:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    Properties: { QueueName: ${kept} }\n`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn) + extra, 'src/index.js': CODE }));
  const deployed = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);
  await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
  const deleted = await runCli(['delete', '--stack-name', fn, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.output, new RegExp(`SQS queue ${queue}`));
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: queue })));
  await sqs.send(new GetQueueUrlCommand({ QueueName: kept }));
});
