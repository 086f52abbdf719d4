// `aws cloudformation deploy` of a plain CloudFormation template with SQS queues (a FIFO one by a
// generated name, one kept by DeletionPolicy: Retain) and an SNS topic subscribing a queue: the
// server-side stack creates them in Stagecraft's SQS and SNS, the queue subscribed to the topic,
// and `delete-stack` removes them but the retained queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, snsClient, sqsClient } from '../src/testing/aws.js';

const server = useServer();

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Inbox:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: cfn-svc-inbox
  Ordered:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      ContentBasedDeduplication: true
  Kept:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties:
      QueueName: cfn-svc-kept
  News:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: cfn-svc-news
      Subscription:
        - Protocol: sqs
          Endpoint: !GetAtt Inbox.Arn
Outputs:
  InboxUrl: { Value: !Ref Inbox }
  OrderedName: { Value: !GetAtt Ordered.QueueName }
  OrderedArn: { Value: !GetAtt Ordered.Arn }
  NewsArn: { Value: !Ref News }
  NewsName: { Value: !GetAtt News.TopicName }
`;

test('a stack\'s queues and topic are created by aws cloudformation deploy and removed by delete-stack', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cfn-'));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  const sqs = sqsClient(server.url);
  const sns = snsClient(server.url);
  const created = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', join(dir, 'template.yaml'), '--stack-name', 'svc']);
  assert.equal(created.code, 0, created.stderr);
  const stack = (await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', 'svc'])).json().Stacks[0];
  const outputs = Object.fromEntries(stack.Outputs.map((o: { OutputKey: string; OutputValue: string }) => [o.OutputKey, o.OutputValue]));
  assert.match(outputs.InboxUrl, /\/\d{12}\/cfn-svc-inbox$/);
  assert.match(outputs.OrderedName, /^svc-Ordered-[A-Z0-9]{13}\.fifo$/);
  assert.equal(outputs.OrderedArn, `arn:aws:sqs:us-east-1:${outputs.NewsArn.split(':')[4]}:${outputs.OrderedName}`);
  assert.equal(outputs.NewsArn, `arn:aws:sns:us-east-1:${outputs.NewsArn.split(':')[4]}:cfn-svc-news`);
  assert.equal(outputs.NewsName, 'cfn-svc-news');

  const listed = (await awsCli(server.url, ['cloudformation', 'list-stack-resources', '--stack-name', 'svc'])).json().StackResourceSummaries;
  assert.deepEqual(listed.map((r: { LogicalResourceId: string; ResourceType: string; PhysicalResourceId: string }) => [r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId]).sort(), [
    ['Inbox', 'AWS::SQS::Queue', outputs.InboxUrl], ['Kept', 'AWS::SQS::Queue', outputs.InboxUrl.replace('cfn-svc-inbox', 'cfn-svc-kept')],
    ['News', 'AWS::SNS::Topic', outputs.NewsArn], ['Ordered', 'AWS::SQS::Queue', outputs.InboxUrl.replace('cfn-svc-inbox', outputs.OrderedName)],
  ]);

  const ordered = await sqs.send(new GetQueueUrlCommand({ QueueName: outputs.OrderedName }));
  const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: ordered.QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  assert.equal(attrs.FifoQueue, 'true');
  assert.equal(attrs.ContentBasedDeduplication, 'true');
  // The inline Subscription (SNS's delivery to SQS is the services' own concern: here, that it is subscribed).
  const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: outputs.NewsArn }))).Subscriptions ?? [];
  assert.deepEqual(subs.map((x) => [x.Protocol, x.Endpoint]), [['sqs', `arn:aws:sqs:us-east-1:${outputs.NewsArn.split(':')[4]}:cfn-svc-inbox`]]);

  const deleted = await awsCli(server.url, ['cloudformation', 'delete-stack', '--stack-name', 'svc']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const waited = await awsCli(server.url, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'svc']);
  assert.equal(waited.code, 0, waited.stderr);
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'cfn-svc-inbox' })));
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: outputs.OrderedName })));
  assert.equal(((await sns.send(new ListTopicsCommand({}))).Topics ?? []).some((t) => t.TopicArn === outputs.NewsArn), false);
  // DeletionPolicy: Retain keeps the queue.
  const kept = await sqs.send(new GetQueueUrlCommand({ QueueName: 'cfn-svc-kept' }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: kept.QueueUrl }));
  sqs.destroy();
  sns.destroy();
});
