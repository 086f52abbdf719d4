// SQS dead-letter queue redrive through SDK v3 (the AWS CLI v2.9 installed predates these commands): StartMessageMoveTask moves a DLQ's
// messages back to the queues they came from (or to a destination queue), at most
// MaxNumberOfMessagesPerSecond a second; ListMessageMoveTasks answers the task as AWS does;
// CancelMessageMoveTask stops it; AWS's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelMessageMoveTaskCommand, GetQueueAttributesCommand, ListMessageMoveTasksCommand, ReceiveMessageCommand, SendMessageCommand, StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry, type SQSClient,
} from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { sqsClient } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';
import { createQueue, receiveMessages } from '../src/testing/queue-messages.js';

const env = useServer();
let sqs: SQSClient;
env.setup(() => {
  sqs = sqsClient(env.url);
});

async function visibleCount(url: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}

/** A source queue whose RedrivePolicy sends to a DLQ after one receive, and `bodies` already moved there by receiving them twice. */
async function deadLettered(name: string, bodies: string[]) {
  const dlq = await createQueue(sqs, `${name}-dlq`);
  const source = await createQueue(sqs, name, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) });
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: body }));
  await waitFor(`${bodies.length} messages in ${name}-dlq`, async () => {
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    return (await visibleCount(dlq.url)) === bodies.length ? true : undefined;
  }, 30_000);
  return { source, dlq };
}

const latestTask = async (sourceArn: string): Promise<ListMessageMoveTasksResultEntry> =>
  (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }))).Results![0];

test('StartMessageMoveTask without a destination: the messages go back to their source queue', { timeout: 60_000 }, async () => {
  const { source, dlq } = await deadLettered('redriven', ['a', 'b', 'c']);
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
  assert.ok(TaskHandle);
  const done = await waitFor('the task completed', async () => {
    const t = await latestTask(dlq.arn);
    return t.Status === 'COMPLETED' ? t : undefined;
  }, 30_000);
  assert.equal(done.TaskHandle, undefined, 'only running tasks have a handle');
  assert.equal(done.SourceArn, dlq.arn);
  assert.equal(done.DestinationArn, undefined);
  assert.equal(done.ApproximateNumberOfMessagesMoved, 3);
  assert.equal(done.ApproximateNumberOfMessagesToMove, 3);
  assert.equal(typeof done.StartedTimestamp, 'number');
  const back = await receiveMessages(sqs, source.url, 3);
  assert.deepEqual(back.map((m) => m.Body).sort(), ['a', 'b', 'c']);
  assert.equal(await visibleCount(dlq.url), 0);
});

test('a destination and a rate: the task runs (with a handle), refuses a second one, is cancelled', { timeout: 60_000 }, async () => {
  const bodies = Array.from({ length: 20 }, (_, i) => `m${i}`);
  const { dlq } = await deadLettered('slow', bodies);
  const elsewhere = await createQueue(sqs, 'slow-elsewhere');
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: elsewhere.arn, MaxNumberOfMessagesPerSecond: 1 }));
  const running = await latestTask(dlq.arn);
  assert.equal(running.Status, 'RUNNING');
  assert.equal(running.TaskHandle, TaskHandle);
  assert.equal(running.DestinationArn, elsewhere.arn);
  assert.equal(running.MaxNumberOfMessagesPerSecond, 1);
  assert.equal(running.ApproximateNumberOfMessagesToMove, 20);
  await expectAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })), 'InvalidParameterValue',
    'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  const { ApproximateNumberOfMessagesMoved } = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  assert.ok(ApproximateNumberOfMessagesMoved! < 20);
  const cancelled = await latestTask(dlq.arn);
  assert.equal(cancelled.Status, 'CANCELLED');
  await expectAwsError(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), 'InvalidParameterValue', 'Only active tasks can be cancelled.');
  // What was moved is in the destination, the rest stays in the DLQ.
  const movedCount = (await latestTask(dlq.arn)).ApproximateNumberOfMessagesMoved!;
  assert.equal(await visibleCount(elsewhere.url) + await visibleCount(dlq.url), 20);
  assert.equal(await visibleCount(elsewhere.url), movedCount);
});

test('a message sent straight to the DLQ has no source: the task fails with CouldNotDetermineMessageSource', { timeout: 60_000 }, async () => {
  const { dlq } = await deadLettered('orphans', []);
  await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: 'orphan' }));
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
  const failed = await waitFor('the task failed', async () => {
    const t = await latestTask(dlq.arn);
    return t.Status === 'FAILED' ? t : undefined;
  }, 30_000);
  assert.equal(failed.FailureReason, 'CouldNotDetermineMessageSource');
  assert.equal(failed.ApproximateNumberOfMessagesMoved, 0);
});

test('StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask: AWS\'s errors', async () => {
  const plain = await createQueue(sqs, 'not-a-dlq');
  const { dlq } = await deadLettered('errors', []);
  await expectAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn })), 'InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
  await expectAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: `${plain.arn}-gone` })), 'ResourceNotFoundException',
    'The resource that you specified for the SourceArn parameter doesn\'t exist.');
  await expectAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: `${plain.arn}-gone` })), 'ResourceNotFoundException',
    'The resource that you specified for the DestinationArn parameter doesn\'t exist.');
  await expectAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 501 })), 'InvalidParameterValue',
    'Value 501 for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.');
  await expectAwsError(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'bm9wZQ==' })), 'ResourceNotFoundException', 'Task does not exist.');
  assert.deepEqual((await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }))).Results ?? [], []);
});

test('a task under way when the server stops (or crashes) goes on after the restart', { timeout: 120_000 }, async () => {
  const bodies = Array.from({ length: 8 }, (_, i) => `r${i}`);
  const { dlq } = await deadLettered('restarted', bodies);
  const destination = await createQueue(sqs, 'restarted-destination');
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn, MaxNumberOfMessagesPerSecond: 2 }));
  await env.restart({ crash: true });
  sqs = sqsClient(env.url);
  const done = await waitFor('the task completed after the restart', async () => {
    const t = await latestTask(dlq.arn);
    return t.Status === 'COMPLETED' ? t : undefined;
  }, 60_000);
  assert.equal(done.ApproximateNumberOfMessagesMoved, 8);
  assert.deepEqual((await receiveMessages(sqs, destination.url, 8)).map((m) => m.Body).sort(), bodies);
});
