// An AWS::SNS::Subscription's Ref is the subscription's ARN, as CloudFormation gives it: in the
// outputs of `stagecraft deploy` and of a server-side stack, and as the physical ID
// ListStackResources shows.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { awsCli, snsClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import { runCli, unique, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let sns: SNSClient | undefined;
after(() => sns?.destroy());

const template = (name: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: { QueueName: ${name} }
  T:
    Type: AWS::SNS::Topic
    Properties: { TopicName: ${name} }
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
Outputs:
  SubscriptionArn: { Value: !Ref Sub }
`;

/** The one subscription of the topic, as SNS lists it. */
async function subscriptionArn(name: string): Promise<string> {
  sns ??= snsClient(env.url);
  const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: `arn:aws:sns:us-east-1:${testAccount}:${name}` }));
  assert.equal(Subscriptions?.length, 1);
  assert.match(Subscriptions![0].SubscriptionArn!, new RegExp(`^arn:aws:sns:us-east-1:${testAccount}:${name}:[0-9a-f-]{36}$`));
  return Subscriptions![0].SubscriptionArn!;
}

test('stagecraft deploy: a subscription\'s Ref in the outputs is its ARN', { timeout: 120_000 }, async () => {
  const name = unique('sub-ref');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(name) }));
  const deployed = await runCli(['deploy', '--stack-name', name, '--json'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);
  const outputs = JSON.parse(deployed.stdout).outputs as { name: string; value: string }[];
  assert.deepEqual(outputs.find((o) => o.name === 'SubscriptionArn')?.value, await subscriptionArn(name));
  const deleted = await runCli(['delete', '--stack-name', name, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
});

test('a server-side stack: Outputs and ListStackResources give the subscription\'s ARN', { timeout: 240_000 }, async () => {
  const name = unique('cfn-sub-ref');
  const dir = dirs.removeLater(mkdtempSync(join(tmpdir(), 'stagecraft-cfn-')));
  writeFileSync(join(dir, 'template.yaml'), template(name));
  const created = await awsCli(env.url, ['cloudformation', 'deploy', '--template-file', join(dir, 'template.yaml'), '--stack-name', name]);
  assert.equal(created.code, 0, created.stderr);
  const arn = await subscriptionArn(name);
  const stack = (await awsCli(env.url, ['cloudformation', 'describe-stacks', '--stack-name', name])).json().Stacks[0];
  assert.deepEqual(stack.Outputs.map((o: { OutputKey: string; OutputValue: string }) => [o.OutputKey, o.OutputValue]), [['SubscriptionArn', arn]]);
  const listed = (await awsCli(env.url, ['cloudformation', 'list-stack-resources', '--stack-name', name])).json().StackResourceSummaries as { LogicalResourceId: string; PhysicalResourceId: string; ResourceType: string }[];
  const sub = listed.find((r) => r.LogicalResourceId === 'Sub');
  assert.equal(sub?.ResourceType, 'AWS::SNS::Subscription');
  assert.equal(sub?.PhysicalResourceId, arn);
  const deleted = await awsCli(env.url, ['cloudformation', 'delete-stack', '--stack-name', name]);
  assert.equal(deleted.code, 0, deleted.stderr);
});
