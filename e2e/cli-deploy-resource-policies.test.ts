// `stagecraft deploy` with AWS::SQS::QueuePolicy and AWS::SNS::TopicPolicy: each sets its
// queue's or topic's Policy, and a deploy whose template drops them takes the policies off
// (the queue's Policy emptied, the topic's back to SNS's default), as CloudFormation does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { snsClient, sqsClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import { runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let sqs: SQSClient | undefined;
let sns: SNSClient | undefined;
after(() => {
  sqs?.destroy();
  sns?.destroy();
});

const resources = (name: string) => `  Q:
    Type: AWS::SQS::Queue
    Properties: { QueueName: ${name} }
  T:
    Type: AWS::SNS::Topic
    Properties: { TopicName: ${name} }
`;
const policies = `  QP:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: FromTopic
            Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Action: sqs:SendMessage
            Resource: !GetAtt Q.Arn
  TP:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref T]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: AnyonePublishes
            Effect: Allow
            Principal: '*'
            Action: sns:Publish
            Resource: !Ref T
`;

test('queue and topic policies dropped from the template are taken off the queue and the topic', { timeout: 180_000 }, async () => {
  sqs ??= sqsClient(env.url);
  sns ??= snsClient(env.url);
  const name = unique('policies');
  const topicArn = `arn:aws:sns:us-east-1:${testAccount}:${name}`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + resources(name) + policies }));
  const first = await runCli(['deploy', '--stack-name', name], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const queuePolicy = async () => (await sqs!.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes?.Policy;
  const topicPolicy = async () => JSON.parse((await sns!.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!.Policy!);
  assert.equal(JSON.parse((await queuePolicy())!).Statement[0].Sid, 'FromTopic');
  assert.equal((await topicPolicy()).Statement[0].Sid, 'AnyonePublishes');

  // The same template again keeps them.
  const same = await runCli(['deploy', '--stack-name', name], { cwd: dir, endpoint: env.url });
  assert.equal(same.code, 0, same.output);
  assert.equal(JSON.parse((await queuePolicy())!).Statement[0].Sid, 'FromTopic');
  assert.equal((await topicPolicy()).Statement[0].Sid, 'AnyonePublishes');

  writeFiles(dir, { 'template.yaml': SAM_HEADER + resources(name) });
  const second = await runCli(['deploy', '--stack-name', name], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  assert.equal(await queuePolicy(), undefined);
  const restored = await topicPolicy();
  assert.equal(restored.Id, '__default_policy_ID');
  assert.equal(restored.Statement[0].Sid, '__default_statement_ID');
  assert.equal(restored.Statement[0].Resource, topicArn);

  const deleted = await runCli(['delete', '--stack-name', name, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
});
