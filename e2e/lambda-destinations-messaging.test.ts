// Lambda asynchronous invocation records to SQS, SNS and EventBridge destinations, and given-up
// events to dead-letter queues and topics, through SDK v3: the record as AWS sends it (the body of
// the queue message, the topic's message, or an EventBridge event's detail with detail-type
// "Lambda Function Invocation Result - Success/Failure" and source lambda); a dead letter is the
// original event with the RequestID, ErrorCode and ErrorMessage message attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { eventBridgeClient, snsClient, sqsClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { createQueue, receiveMessages, sendPolicy } from '../src/testing/queue-messages.js';

const env = useServer({ args: ['--async-retry-delays', '100,100'] });
let sqs: SQSClient;
let sns: SNSClient;
let events: EventBridgeClient;
env.setup(() => {
  sqs = sqsClient(env.url);
  sns = snsClient(env.url);
  events = eventBridgeClient(env.url);
});

const SUCCEEDS = 'exports.handler = async (event) => ({ ok: true, got: event.tag });';
const FAILS = 'exports.handler = async () => { throw new Error("intentional failure"); };';
const fnArn = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;
const invokeEvent = (name: string, payload: unknown) =>
  env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));

async function rawSubscribedTopic(name: string) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const queueName = `${name}-queue`;
  const queue = await createQueue(sqs, queueName, { Policy: sendPolicy(`arn:aws:sqs:${testRegion}:${testAccount}:${queueName}`, 'sns.amazonaws.com', TopicArn!) });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }));
  return { topicArn: TopicArn!, queue };
}

test('OnSuccess to an SQS queue: the invocation record as the body', { timeout: 60_000 }, async () => {
  await createNodeFunction(env.lambda, 'to-queue', SUCCEEDS);
  const queue = await createQueue(sqs, 'success-records');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'to-queue', DestinationConfig: { OnSuccess: { Destination: queue.arn } } }));
  const invoked = await invokeEvent('to-queue', { tag: 'q' });
  const [m] = await receiveMessages(sqs, queue.url, 1);
  const record = JSON.parse(m.Body!);
  assert.deepEqual(Object.keys(record), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
  assert.equal(record.version, '1.0');
  assert.deepEqual(record.requestContext, { requestId: invoked.$metadata.requestId, functionArn: `${fnArn('to-queue')}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
  assert.deepEqual(record.requestPayload, { tag: 'q' });
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
  assert.deepEqual(record.responsePayload, { ok: true, got: 'q' });
});

test('OnFailure to an SNS topic: the record of the exhausted event is published', { timeout: 60_000 }, async () => {
  await createNodeFunction(env.lambda, 'to-topic', FAILS);
  const { topicArn, queue } = await rawSubscribedTopic('failure-records');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'to-topic', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: topicArn } } }));
  await invokeEvent('to-topic', { tag: 't' });
  const [m] = await receiveMessages(sqs, queue.url, 1, 60_000);
  const record = JSON.parse(m.Body!);
  assert.equal(record.requestContext.condition, 'RetriesExhausted');
  assert.equal(record.requestContext.approximateInvokeCount, 2);
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  assert.equal(record.responsePayload.errorMessage, 'intentional failure');
});

test('OnSuccess and OnFailure to an EventBridge bus: Lambda Function Invocation Result events, source lambda', { timeout: 60_000 }, async () => {
  const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: 'results' }));
  const rule = 'lambda-results';
  await events.send(new PutRuleCommand({ Name: rule, EventBusName: 'results', EventPattern: JSON.stringify({ source: ['lambda'] }) }));
  const ruleArn = `arn:aws:events:${testRegion}:${testAccount}:rule/results/${rule}`;
  const queue = await createQueue(sqs, 'bus-results', { Policy: sendPolicy(`arn:aws:sqs:${testRegion}:${testAccount}:bus-results`, 'events.amazonaws.com', ruleArn) });
  await events.send(new PutTargetsCommand({ Rule: rule, EventBusName: 'results', Targets: [{ Id: 'q', Arn: queue.arn }] }));
  await createNodeFunction(env.lambda, 'to-bus-ok', SUCCEEDS);
  await createNodeFunction(env.lambda, 'to-bus-fails', FAILS);
  for (const fn of ['to-bus-ok', 'to-bus-fails']) {
    await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: EventBusArn }, OnFailure: { Destination: EventBusArn } } }));
  }
  await invokeEvent('to-bus-ok', { tag: 'b' });
  await invokeEvent('to-bus-fails', { tag: 'f' });
  const got = (await receiveMessages(sqs, queue.url, 2)).map((m) => JSON.parse(m.Body!));
  const success = got.find((e) => e['detail-type'] === 'Lambda Function Invocation Result - Success');
  const failure = got.find((e) => e['detail-type'] === 'Lambda Function Invocation Result - Failure');
  assert.ok(success && failure, JSON.stringify(got));
  assert.equal(success.source, 'lambda');
  assert.equal(success.account, testAccount);
  assert.deepEqual(success.resources, [EventBusArn, `${fnArn('to-bus-ok')}:$LATEST`]);
  assert.equal(success.detail.requestContext.condition, 'Success');
  assert.deepEqual(success.detail.responsePayload, { ok: true, got: 'b' });
  assert.equal(failure.detail.requestContext.condition, 'RetriesExhausted');
  assert.deepEqual(failure.detail.requestPayload, { tag: 'f' });
});

test('DeadLetterConfig: the original event reaches the SQS queue and the SNS topic with RequestID, ErrorCode and ErrorMessage', { timeout: 60_000 }, async () => {
  const dlq = await createQueue(sqs, 'dead-letters');
  await createNodeFunction(env.lambda, 'dlq-queue', FAILS, { DeadLetterConfig: { TargetArn: dlq.arn } });
  const { topicArn, queue: topicQueue } = await rawSubscribedTopic('dead-letter-topic');
  await createNodeFunction(env.lambda, 'dlq-topic', FAILS, { DeadLetterConfig: { TargetArn: topicArn } });
  for (const fn of ['dlq-queue', 'dlq-topic']) await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 0 }));
  const a = await invokeEvent('dlq-queue', { order: 1 });
  const b = await invokeEvent('dlq-topic', { order: 2 });
  for (const [queue, invoked, body] of [[dlq, a, '{"order":1}'], [topicQueue, b, '{"order":2}']] as const) {
    const [m] = await receiveMessages(sqs, queue.url, 1);
    assert.equal(m.Body, body);
    assert.deepEqual(m.MessageAttributes, {
      RequestID: { DataType: 'String', StringValue: invoked.$metadata.requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'intentional failure' },
    });
  }
});
