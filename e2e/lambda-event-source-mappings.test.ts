// Lambda event source mappings for SQS end to end, through SDK v3 and the AWS CLI: the control
// plane (AWS's fields, defaults, states and errors, paging, tags), and the pollers: a function
// receiving AWS's SQS event (read back from its log), batches deleted on success, a failing
// function's messages reaching the dead-letter queue by redrive, ReportBatchItemFailures,
// FilterCriteria, disable/enable/delete stopping and resuming delivery, and a restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, DeleteFunctionCommand, DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand, GetEventSourceMappingCommand, ListEventSourceMappingsCommand, ListTagsCommand,
  TagResourceCommand, UntagResourceCommand, UpdateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, sqsClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount } from '../src/testing/server.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer();
let client: SQSClient | undefined;
const sqs = (): SQSClient => (client ??= sqsClient(env.url));
after(() => client?.destroy());

const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${testAccount}:${name}`;
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${testAccount}:function:${name}`;
/** Logs each event; fails when a record's body is "fail"; with REPORT, reports records whose body is "bad". */
const RECEIVER = `exports.handler = async (event) => {
  console.log('SQS_EVENT ' + JSON.stringify(event));
  if (event.Records.some((r) => r.body === 'fail')) throw new Error('refused');
  if (process.env.REPORT) return { batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
};
`;

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  return (await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
}

async function receivedEvents(fn: string): Promise<any[]> {
  const { events } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: 'SQS_EVENT' }))
    .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
  return (events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('SQS_EVENT ') + 10)));
}
const receivedBodies = async (fn: string): Promise<string[]> => (await receivedEvents(fn)).flatMap((e) => e.Records.map((r: any) => r.body));

async function queueCounts(url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { visible: Number(Attributes!.ApproximateNumberOfMessages), inFlight: Number(Attributes!.ApproximateNumberOfMessagesNotVisible) };
}
const waitEmpty = (url: string) => waitFor('the queue to be empty', async () => {
  const c = await queueCounts(url);
  return c.visible === 0 && c.inFlight === 0 ? true : undefined;
}, 60_000);

async function mapping(input: CreateEventSourceMappingCommandInput): Promise<string> {
  const out = await env.lambda.send(new CreateEventSourceMappingCommand(input));
  await waitFor('the mapping to be enabled', async () => ((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: out.UUID }))).State === 'Enabled' ? true : undefined));
  return out.UUID!;
}

async function setup(name: string, queueAttributes: Record<string, string> = {}, fnEnv?: Record<string, string>): Promise<string> {
  await createNodeFunction(env.lambda, name, RECEIVER, fnEnv ? { Environment: { Variables: fnEnv } } : {});
  return createQueue(name, queueAttributes);
}

test('create answers 202 Creating with AWS defaults; get, list, update, tags and delete move through AWS states', async () => {
  await setup('esm-control');
  await createQueue('esm-control-2');
  const created = await env.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queueArn('esm-control'), FunctionName: 'esm-control' }));
  assert.equal(created.$metadata.httpStatusCode, 202);
  assert.equal(created.State, 'Creating');
  assert.equal(created.StateTransitionReason, 'USER_INITIATED');
  assert.equal(created.BatchSize, 10);
  assert.equal(created.MaximumBatchingWindowInSeconds, 0);
  assert.deepEqual(created.FunctionResponseTypes, []);
  assert.equal(created.FunctionArn, fnArn('esm-control'));
  assert.equal(created.EventSourceArn, queueArn('esm-control'));
  assert.equal(created.EventSourceMappingArn, `arn:aws:lambda:us-east-1:${testAccount}:event-source-mapping:${created.UUID}`);
  assert.ok(created.LastModified instanceof Date);
  await waitFor('Enabled', async () => ((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State === 'Enabled' ? true : undefined));

  await expectAwsError(env.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queueArn('esm-control'), FunctionName: 'esm-control' })), 'ResourceConflictException',
    `An event source mapping with SQS arn (" ${queueArn('esm-control')} ") and function (" esm-control ") already exists. Please update or delete the existing mapping with UUID ${created.UUID}`, 409);
  const second = await env.lambda.send(new CreateEventSourceMappingCommand({
    EventSourceArn: queueArn('esm-control-2'), FunctionName: `${fnArn('esm-control')}:$LATEST`, BatchSize: 100, MaximumBatchingWindowInSeconds: 2,
    ScalingConfig: { MaximumConcurrency: 3 }, FunctionResponseTypes: ['ReportBatchItemFailures'], Enabled: false, Tags: { team: 'a' },
  }));
  assert.equal(second.FunctionArn, `${fnArn('esm-control')}:$LATEST`, 'qualified as named');
  assert.deepEqual(second.ScalingConfig, { MaximumConcurrency: 3 });
  await waitFor('Disabled', async () => ((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: second.UUID }))).State === 'Disabled' ? true : undefined));

  const byQueue = await env.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn('esm-control') }));
  assert.deepEqual(byQueue.EventSourceMappings!.map((m) => m.UUID), [created.UUID]);
  const byFunction = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'esm-control' }));
  assert.deepEqual(byFunction.EventSourceMappings!.map((m) => m.UUID), [created.UUID]);
  const page1 = await env.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 1 }));
  assert.equal(page1.EventSourceMappings!.length, 1);
  assert.ok(page1.NextMarker);
  const page2 = await env.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 100, Marker: page1.NextMarker }));
  assert.ok(!page2.EventSourceMappings!.some((m) => m.UUID === page1.EventSourceMappings![0].UUID));

  const disabling = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false, BatchSize: 5 }));
  assert.equal(disabling.$metadata.httpStatusCode, 202);
  assert.equal(disabling.State, 'Disabling');
  assert.equal(disabling.BatchSize, 5);
  await waitFor('Disabled', async () => ((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State === 'Disabled' ? true : undefined));
  assert.equal((await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true }))).State, 'Enabling');

  const arn = second.EventSourceMappingArn!;
  assert.deepEqual((await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { team: 'a' });
  await env.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { env: 'dev' } }));
  await env.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['team'] }));
  assert.deepEqual((await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { env: 'dev' });

  const deleting = await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: second.UUID }));
  assert.equal(deleting.$metadata.httpStatusCode, 202);
  assert.equal(deleting.State, 'Deleting');
  await waitFor('the mapping to be gone', () => env.lambda.send(new GetEventSourceMappingCommand({ UUID: second.UUID })).then(() => undefined, (e: Error) => e.name));
  await expectAwsError(env.lambda.send(new GetEventSourceMappingCommand({ UUID: second.UUID })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  await expectAwsError(env.lambda.send(new ListTagsCommand({ Resource: arn })), 'ResourceNotFoundException', `Event source mapping not found: ${arn}`, 404);
});

test('validation errors are AWS\'s', async () => {
  await setup('esm-errors');
  await createNodeFunction(env.lambda, 'esm-slow', RECEIVER, { Timeout: 60 });
  const create = (input: Partial<CreateEventSourceMappingCommandInput>) =>
    env.lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queueArn('esm-errors'), FunctionName: 'esm-errors', ...input }));
  const missing = '00000000-0000-0000-0000-000000000000';
  await expectAwsError(env.lambda.send(new GetEventSourceMappingCommand({ UUID: missing })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  await expectAwsError(env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: missing })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  await expectAwsError(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: missing, BatchSize: 2 })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  await expectAwsError(create({ EventSourceArn: undefined }), 'InvalidParameterValueException', 'Unrecognized event source.', 400);
  await expectAwsError(create({ FunctionName: 'esm-nobody' }), 'InvalidParameterValueException', 'Function does not exist', 400);
  await expectAwsError(create({ EventSourceArn: queueArn('esm-no-queue') }), 'InvalidParameterValueException', /NonExistentQueue/, 400);
  await expectAwsError(create({ FunctionName: 'esm-slow' }), 'InvalidParameterValueException', 'Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds', 400);
  await expectAwsError(create({ BatchSize: 11 }), 'InvalidParameterValueException', 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10', 400);
  await expectAwsError(create({ BatchSize: 10001, MaximumBatchingWindowInSeconds: 1 }), 'ValidationException', /batchSize/);
  await expectAwsError(create({ ScalingConfig: { MaximumConcurrency: 1 } }), 'ValidationException', /maximumConcurrency/);
  await expectAwsError(create({ FilterCriteria: { Filters: [{ Pattern: '{"body": "x"' }] } }), 'InvalidParameterValueException', 'Invalid filter pattern definition.', 400);
  await expectAwsError(create({ DestinationConfig: { OnFailure: { Destination: queueArn('esm-errors') } } }), 'InvalidParameterValueException',
    'Unsupported DestinationConfig parameter for given event source mapping type.', 400);
});

test('a function receives AWS\'s SQS event, and each batch is deleted when it succeeds', { timeout: 120_000 }, async () => {
  const url = await setup('esm-deliver');
  await mapping({ EventSourceArn: queueArn('esm-deliver'), FunctionName: 'esm-deliver' });
  const sent = await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"n":1}', MessageAttributes: { colour: { DataType: 'String', StringValue: 'blue' } } }));
  const [event] = await waitFor('the event', async () => ((await receivedEvents('esm-deliver')).length ? receivedEvents('esm-deliver') : undefined), 60_000);
  assert.equal(event.Records.length, 1);
  const r = event.Records[0];
  assert.equal(r.messageId, sent.MessageId);
  assert.equal(typeof r.receiptHandle, 'string');
  assert.equal(r.body, '{"n":1}');
  assert.deepEqual(Object.keys(r.attributes).sort(), ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
  assert.equal(r.attributes.ApproximateReceiveCount, '1');
  assert.deepEqual(r.messageAttributes, { colour: { stringValue: 'blue', stringListValues: [], binaryListValues: [], dataType: 'String' } });
  assert.equal(r.md5OfBody, sent.MD5OfMessageBody);
  assert.equal(r.md5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.equal(r.eventSource, 'aws:sqs');
  assert.equal(r.eventSourceARN, queueArn('esm-deliver'));
  assert.equal(r.awsRegion, 'us-east-1');
  await waitEmpty(url);
  for (let i = 0; i < 5; i++) await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
  await waitFor('five more messages', async () => ((await receivedBodies('esm-deliver')).length === 6 ? true : undefined), 60_000);
  await waitEmpty(url);
});

test('a failing function\'s messages reach the dead-letter queue by redrive', { timeout: 120_000 }, async () => {
  const dlqUrl = await createQueue('esm-fail-dlq');
  const url = await setup('esm-fail', { VisibilityTimeout: '3', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('esm-fail-dlq'), maxReceiveCount: 2 }) });
  await mapping({ EventSourceArn: queueArn('esm-fail'), FunctionName: 'esm-fail' });
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'fail' }));
  const moved = await waitFor('the message in the DLQ', async () => {
    const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }));
    return out.Messages?.[0];
  }, 90_000);
  assert.equal(moved.Body, 'fail');
  assert.equal((await receivedBodies('esm-fail')).filter((b) => b === 'fail').length, 2, 'tried maxReceiveCount times');
});

test('ReportBatchItemFailures keeps only the reported messages; FilterCriteria drops the rest from the queue', { timeout: 120_000 }, async () => {
  await createQueue('esm-report-dlq');
  const url = await setup('esm-report', { VisibilityTimeout: '3', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('esm-report-dlq'), maxReceiveCount: 1 }) }, { REPORT: '1' });
  await mapping({ EventSourceArn: queueArn('esm-report'), FunctionName: 'esm-report', FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 20, MaximumBatchingWindowInSeconds: 2 });
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'good' }));
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad' }));
  const dlq = await waitFor('the reported message in the DLQ', async () => (await sqs().send(new ReceiveMessageCommand({ QueueUrl: `${url}-dlq`, WaitTimeSeconds: 1 }))).Messages?.[0], 90_000);
  assert.equal(dlq.Body, 'bad');
  await waitEmpty(url);
  assert.deepEqual((await receivedBodies('esm-report')).sort(), ['bad', 'good'], 'the good one ran once and was deleted');

  const filteredUrl = await setup('esm-filter');
  await mapping({ EventSourceArn: queueArn('esm-filter'), FunctionName: 'esm-filter', FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['keep'] } }) }] } });
  await sqs().send(new SendMessageCommand({ QueueUrl: filteredUrl, MessageBody: JSON.stringify({ kind: 'drop' }) }));
  await sqs().send(new SendMessageCommand({ QueueUrl: filteredUrl, MessageBody: 'not json' }));
  await sqs().send(new SendMessageCommand({ QueueUrl: filteredUrl, MessageBody: JSON.stringify({ kind: 'keep' }) }));
  await waitFor('the kept message', async () => ((await receivedBodies('esm-filter')).length ? true : undefined), 60_000);
  await waitEmpty(filteredUrl);
  assert.deepEqual(await receivedBodies('esm-filter'), [JSON.stringify({ kind: 'keep' })]);
});

test('disable stops delivery and enable resumes it; a mapping survives a restart; delete stops it', { timeout: 180_000 }, async () => {
  const url = await setup('esm-toggle');
  const uuid = await mapping({ EventSourceArn: queueArn('esm-toggle'), FunctionName: 'esm-toggle' });
  await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
  await waitFor('Disabled', async () => ((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State === 'Disabled' ? true : undefined));
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'while disabled' }));
  // Nobody else takes it: this receive gets it on its first receive.
  const held = await waitFor('the message', async () => (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['All'] }))).Messages?.[0]);
  assert.equal(held.Attributes!.ApproximateReceiveCount, '1');
  assert.deepEqual(await receivedBodies('esm-toggle'), []);
  await sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: held.ReceiptHandle, VisibilityTimeout: 0 }));
  await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
  await waitFor('the delivery once enabled', async () => ((await receivedBodies('esm-toggle')).includes('while disabled') ? true : undefined), 60_000);

  await env.restart();
  client?.destroy();
  client = undefined;
  assert.equal((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State, 'Enabled');
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after restart' }));
  await waitFor('the delivery after the restart', async () => ((await receivedBodies('esm-toggle')).includes('after restart') ? true : undefined), 60_000);

  await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
  await waitFor('the mapping to be gone', () => env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })).then(() => undefined, (e: Error) => e.name));
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after delete' }));
  const left = await waitFor('the message', async () => (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['All'] }))).Messages?.[0]);
  assert.equal(left.Body, 'after delete');
  assert.equal(left.Attributes!.ApproximateReceiveCount, '1');
});

test('the AWS CLI creates, lists and deletes a mapping that delivers', { timeout: 120_000 }, async () => {
  const url = await setup('esm-cli');
  const created = await awsCli(env.url, ['lambda', 'create-event-source-mapping', '--function-name', 'esm-cli', '--event-source-arn', queueArn('esm-cli'), '--batch-size', '5']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().State, 'Creating');
  assert.equal(created.json().BatchSize, 5);
  const listed = await awsCli(env.url, ['lambda', 'list-event-source-mappings', '--function-name', 'esm-cli']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json().EventSourceMappings.map((m: { UUID: string }) => m.UUID), [created.json().UUID]);
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'from the cli' }));
  await waitFor('the delivery', async () => ((await receivedBodies('esm-cli')).includes('from the cli') ? true : undefined), 60_000);
  const bad = await awsCli(env.url, ['lambda', 'get-event-source-mapping', '--uuid', '00000000-0000-0000-0000-000000000000']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /ResourceNotFoundException.*The resource you requested does not exist\./);
  const deleted = await awsCli(env.url, ['lambda', 'delete-event-source-mapping', '--uuid', created.json().UUID]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.json().State, 'Deleting');
});

test('a FIFO queue\'s messages arrive one invocation per message group, in order, with their FIFO attributes', { timeout: 120_000 }, async () => {
  await createNodeFunction(env.lambda, 'esm-fifo', RECEIVER);
  const url = await createQueue('esm-fifo.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  // Sent before the mapping exists, so that one receive sees both groups.
  for (const [group, body] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2'], ['b', 'b2'], ['a', 'a3']]) {
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: group }));
  }
  await mapping({ EventSourceArn: queueArn('esm-fifo.fifo'), FunctionName: 'esm-fifo' });
  await waitEmpty(url);
  const events = await receivedEvents('esm-fifo');
  for (const event of events) {
    const groups = new Set(event.Records.map((r: any) => r.attributes.MessageGroupId));
    assert.equal(groups.size, 1, 'one group per invocation');
    for (const r of event.Records) {
      assert.match(r.attributes.SequenceNumber, /^\d+$/);
      assert.equal(typeof r.attributes.MessageDeduplicationId, 'string');
    }
  }
  const bodies = events.flatMap((e) => e.Records.map((r: any) => r.body));
  assert.deepEqual(bodies.filter((b) => b.startsWith('a')), ['a1', 'a2', 'a3']);
  assert.deepEqual(bodies.filter((b) => b.startsWith('b')), ['b1', 'b2']);
});

test('a deleted function\'s mapping stays (as on AWS) but stops taking messages', { timeout: 120_000 }, async () => {
  const url = await setup('esm-orphan');
  const uuid = await mapping({ EventSourceArn: queueArn('esm-orphan'), FunctionName: 'esm-orphan' });
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'esm-orphan' }));
  assert.equal((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State, 'Enabled');
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'nobody home' }));
  const left = await waitFor('the message', async () => (await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2 }))).Messages?.[0], 60_000);
  assert.equal(left.Body, 'nobody home');
});

test('a throttled invocation (reserved concurrency) leaves its messages in the queue until the function can take them', { timeout: 120_000 }, async () => {
  const url = await setup('esm-throttled', { VisibilityTimeout: '3' });
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'esm-throttled', ReservedConcurrentExecutions: 0 }));
  await mapping({ EventSourceArn: queueArn('esm-throttled'), FunctionName: 'esm-throttled' });
  await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wait for me' }));
  await waitFor('the message to be taken and left in flight', async () => ((await queueCounts(url)).inFlight === 1 ? true : undefined), 60_000);
  assert.deepEqual(await receivedBodies('esm-throttled'), []);
  await env.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'esm-throttled' }));
  await waitFor('the delivery once the function can run', async () => ((await receivedBodies('esm-throttled')).includes('wait for me') ? true : undefined), 60_000);
  await waitEmpty(url);
});
