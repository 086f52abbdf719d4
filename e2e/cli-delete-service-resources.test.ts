// `stagecraft delete` and `aws cloudformation delete-stack` with a stack's event source mappings,
// queues and topics: the mappings go with the stack (they would keep polling otherwise), and a
// stack that has only queues and topics (no function, no API) is found and deleted too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ListTopicsCommand, type SNSClient } from '@aws-sdk/client-sns';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { waitFor } from '../src/testing/wait.js';
import { awsCli, snsClient, sqsClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let sqs: SQSClient | undefined;
let sns: SNSClient | undefined;
after(() => {
  sqs?.destroy();
  sns?.destroy();
});

const CODE = 'exports.handler = async () => {};\n';
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${testAccount}:${name}`;
const mappingsOf = async (queue: string) => (await env.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn(queue) }))).EventSourceMappings ?? [];
/** Deleting a mapping takes a while (state Deleting), as in AWS. */
const mappingsGone = (queue: string) => waitFor(`the mappings of ${queue} to be gone`, async () => ((await mappingsOf(queue)).length ? undefined : true), 60_000);
const queueExists = (name: string) => sqs!.send(new GetQueueUrlCommand({ QueueName: name })).then(() => true, () => false);

test('stagecraft delete deletes the stack\'s event source mappings, the template\'s and a SAM SQS event\'s', { timeout: 180_000 }, async () => {
  sqs ??= sqsClient(env.url);
  const fn = unique('del-esm');
  const queue = `${fn}-jobs`;
  const template = SAM_HEADER + liveFunction(fn, `      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
`) + `  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: ${queue}
  More:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: ${queue}-more
  Direct:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt More.Arn
      FunctionName: !Ref Hello
`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template, 'src/index.js': CODE }));
  const deployed = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);
  assert.equal((await mappingsOf(queue)).length, 1);
  assert.equal((await mappingsOf(`${queue}-more`)).length, 1);

  const deleted = await runCli(['delete', '--stack-name', fn, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.output, /event source mapping [0-9a-f-]{36} from arn:aws:sqs:/);
  await mappingsGone(queue);
  await mappingsGone(`${queue}-more`);
  assert.equal(await queueExists(queue), false);
});

test('stagecraft delete finds a stack that has only a queue, a topic and a mapping on another stack\'s function', { timeout: 180_000 }, async () => {
  sqs ??= sqsClient(env.url);
  sns ??= snsClient(env.url);
  const fn = unique('del-only');
  const queue = `${fn}-q`;
  const topic = `${fn}-t`;
  const functions = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn), 'src/index.js': CODE }));
  const fnDeployed = await runCli(['deploy', '--stack-name', `${fn}-fns`], { cwd: functions, endpoint: env.url });
  assert.equal(fnDeployed.code, 0, fnDeployed.output);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': `${SAM_HEADER}  Q:
    Type: AWS::SQS::Queue
    Properties: { QueueName: ${queue} }
  T:
    Type: AWS::SNS::Topic
    Properties: { TopicName: ${topic} }
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: ${fn}
` }));
  const deployed = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);
  assert.equal((await mappingsOf(queue)).length, 1);

  const deleted = await runCli(['delete', '--stack-name', fn, '--no-prompts', '--json'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.doesNotMatch(deleted.output, /does not exist/);
  assert.match(deleted.output, new RegExp(`SQS queue ${queue}`));
  assert.match(deleted.output, new RegExp(`SNS topic arn:aws:sns:us-east-1:\\d{12}:${topic}`));
  assert.match(deleted.output, /Deleted stack .*: 3 resources/);
  assert.equal(await queueExists(queue), false);
  await mappingsGone(queue);
  const topics = (await sns.send(new ListTopicsCommand({}))).Topics ?? [];
  assert.equal(topics.some((t) => t.TopicArn!.endsWith(`:${topic}`)), false);

  // Now it is gone: nothing to delete.
  const again = await runCli(['delete', '--stack-name', fn, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.output);
  assert.match(again.output, /does not exist on .*: nothing to delete/);
});

test('delete-stack of a server-side stack deletes its event source mapping', { timeout: 240_000 }, async () => {
  sqs ??= sqsClient(env.url);
  const fn = unique('cfn-esm');
  const queue = `${fn}-q`;
  const functions = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn), 'src/index.js': CODE }));
  const fnDeployed = await runCli(['deploy', '--stack-name', `${fn}-fns`], { cwd: functions, endpoint: env.url });
  assert.equal(fnDeployed.code, 0, fnDeployed.output);
  const dir = dirs.removeLater(mkdtempSync(join(tmpdir(), 'stagecraft-cfn-')));
  writeFileSync(join(dir, 'template.yaml'), `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: { QueueName: ${queue} }
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: ${fn}
`);
  const created = await awsCli(env.url, ['cloudformation', 'deploy', '--template-file', join(dir, 'template.yaml'), '--stack-name', fn]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal((await mappingsOf(queue)).length, 1);
  const deleted = await awsCli(env.url, ['cloudformation', 'delete-stack', '--stack-name', fn]);
  assert.equal(deleted.code, 0, deleted.stderr);
  const waited = await awsCli(env.url, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', fn]);
  assert.equal(waited.code, 0, waited.stderr);
  await mappingsGone(queue);
  assert.equal(await queueExists(queue), false);
});

test('a server-side stack whose create fails after its event source mapping: the rollback deletes the mapping', { timeout: 240_000 }, async () => {
  sqs ??= sqsClient(env.url);
  const fn = unique('cfn-esm-rb');
  const queue = `${fn}-q`;
  const functions = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn), 'src/index.js': CODE }));
  const fnDeployed = await runCli(['deploy', '--stack-name', `${fn}-fns`], { cwd: functions, endpoint: env.url });
  assert.equal(fnDeployed.code, 0, fnDeployed.output);
  const dir = dirs.removeLater(mkdtempSync(join(tmpdir(), 'stagecraft-cfn-')));
  // The alarm, put after the mappings, is refused (a period CloudWatch doesn't take).
  writeFileSync(join(dir, 'template.yaml'), `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: { QueueName: ${queue} }
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: ${fn}
  Broken:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: ${fn}-broken
      Namespace: Test
      MetricName: Nothing
      Statistic: Sum
      Period: 7
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanThreshold
`);
  const created = await awsCli(env.url, ['cloudformation', 'deploy', '--template-file', join(dir, 'template.yaml'), '--stack-name', fn]);
  assert.equal(created.code, 255, created.stderr);
  const events = (await awsCli(env.url, ['cloudformation', 'describe-stack-events', '--stack-name', fn])).json().StackEvents as { LogicalResourceId: string; ResourceStatus: string; ResourceStatusReason?: string }[];
  const stack = (await awsCli(env.url, ['cloudformation', 'describe-stacks', '--stack-name', fn])).json().Stacks[0];
  assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE', JSON.stringify(events));
  assert.ok(events.some((e) => e.LogicalResourceId === 'M' && e.ResourceStatus === 'CREATE_COMPLETE'), JSON.stringify(events));
  await mappingsGone(queue);
  assert.equal(await queueExists(queue), false);
});
