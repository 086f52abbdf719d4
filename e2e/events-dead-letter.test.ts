// EventBridge targets' DeadLetterConfig through SDK v3 and the AWS CLI: an event a target refuses (a
// function without a permission for the rule, a function or queue that does not exist, a queue
// policy that does not allow EventBridge) goes to the target's dead-letter queue with AWS's message
// attributes, when the dead-letter queue's own policy lets EventBridge send from the rule; PutTargets
// checks DeadLetterConfig and RetryPolicy as AWS does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, eventBridgeClient, sqsClient } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { createEventReceiver, functionArn, ruleArnOf } from '../src/testing/event-receiver.js';
import { createQueue, receiveMessages, receiveNothing, sendPolicy } from '../src/testing/queue-messages.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer();
let events: EventBridgeClient;
let sqs: SQSClient;
env.setup(() => {
  events = eventBridgeClient(env.url);
  sqs = sqsClient(env.url);
});

const queueArn = (name: string) => `arn:aws:sqs:${testRegion}:${testAccount}:${name}`;

/** A rule matching `source`, and a dead-letter queue whose policy lets EventBridge send from it (unless `allow` is false). */
async function ruleWithDeadLetterQueue(name: string, allow = true) {
  await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [`test.${name}`] }) }));
  const dlq = await createQueue(sqs, `${name}-dlq`, allow ? { Policy: sendPolicy(queueArn(`${name}-dlq`), 'events.amazonaws.com', ruleArnOf(name)) } : {});
  return { ruleArn: ruleArnOf(name), dlq };
}

async function putEvent(name: string, detail: Record<string, unknown>): Promise<string> {
  const { Entries } = await events.send(new PutEventsCommand({ Entries: [{ Source: `test.${name}`, DetailType: 'Thing Happened', Detail: JSON.stringify(detail) }] }));
  return Entries![0].EventId!;
}

function assertDeadLetter(m: Message, expected: { eventId: string; ruleArn: string; targetArn: string; code: string; detail: Record<string, unknown> }): void {
  const body = JSON.parse(m.Body!);
  assert.equal(body.id, expected.eventId);
  assert.equal(body['detail-type'], 'Thing Happened');
  assert.deepEqual(body.detail, expected.detail);
  const attrs = m.MessageAttributes!;
  assert.deepEqual(Object.keys(attrs).sort(), ['ERROR_CODE', 'ERROR_MESSAGE', 'RETRY_ATTEMPTS', 'RULE_ARN', 'TARGET_ARN']);
  for (const a of Object.values(attrs)) assert.equal(a.DataType, 'String');
  assert.equal(attrs.RULE_ARN.StringValue, expected.ruleArn);
  assert.equal(attrs.TARGET_ARN.StringValue, expected.targetArn);
  assert.equal(attrs.ERROR_CODE.StringValue, expected.code);
  assert.ok(attrs.ERROR_MESSAGE.StringValue!.length > 0);
  assert.equal(attrs.RETRY_ATTEMPTS.StringValue, '0');
}

test('a function without a permission for the rule: the event goes to the DLQ with NO_PERMISSIONS', { timeout: 120_000 }, async () => {
  const { ruleArn, dlq } = await ruleWithDeadLetterQueue('fn-refuses');
  await createEventReceiver(env.lambda, 'dl-not-permitted', null);
  await events.send(new PutTargetsCommand({ Rule: 'fn-refuses', Targets: [{ Id: 'fn', Arn: functionArn('dl-not-permitted'), DeadLetterConfig: { Arn: dlq.arn } }] }));
  const eventId = await putEvent('fn-refuses', { n: 1 });
  const [m] = await receiveMessages(sqs, dlq.url, 1);
  assertDeadLetter(m, { eventId, ruleArn, targetArn: functionArn('dl-not-permitted'), code: 'NO_PERMISSIONS', detail: { n: 1 } });
});

test('a function or queue that does not exist, a queue whose policy refuses: NO_RESOURCE, NO_RESOURCE, NO_PERMISSIONS', { timeout: 60_000 }, async () => {
  const { ruleArn, dlq } = await ruleWithDeadLetterQueue('gone');
  const closed = await createQueue(sqs, 'gone-closed');
  await events.send(new PutTargetsCommand({ Rule: 'gone', Targets: [
    { Id: 'fn', Arn: functionArn('never-created'), DeadLetterConfig: { Arn: dlq.arn } },
    { Id: 'queue', Arn: queueArn('never-created'), DeadLetterConfig: { Arn: dlq.arn } },
    { Id: 'closed', Arn: closed.arn, DeadLetterConfig: { Arn: dlq.arn } },
  ] }));
  const eventId = await putEvent('gone', { n: 2 });
  const got = await receiveMessages(sqs, dlq.url, 3);
  const byTarget = new Map(got.map((m) => [m.MessageAttributes!.TARGET_ARN.StringValue!, m]));
  assertDeadLetter(byTarget.get(functionArn('never-created'))!, { eventId, ruleArn, targetArn: functionArn('never-created'), code: 'NO_RESOURCE', detail: { n: 2 } });
  assertDeadLetter(byTarget.get(queueArn('never-created'))!, { eventId, ruleArn, targetArn: queueArn('never-created'), code: 'NO_RESOURCE', detail: { n: 2 } });
  assertDeadLetter(byTarget.get(closed.arn)!, { eventId, ruleArn, targetArn: closed.arn, code: 'NO_PERMISSIONS', detail: { n: 2 } });
});

test('a delivered event sends nothing to the DLQ; a DLQ whose policy refuses EventBridge gets nothing', { timeout: 60_000 }, async () => {
  const { dlq } = await ruleWithDeadLetterQueue('fine');
  const open = await createQueue(sqs, 'fine-target', { Policy: sendPolicy(queueArn('fine-target'), 'events.amazonaws.com', ruleArnOf('fine')) });
  await events.send(new PutTargetsCommand({ Rule: 'fine', Targets: [{ Id: 'q', Arn: open.arn, DeadLetterConfig: { Arn: dlq.arn } }] }));
  await putEvent('fine', { n: 3 });
  assert.equal((await receiveMessages(sqs, open.url, 1)).length, 1);
  assert.deepEqual(await receiveNothing(sqs, dlq.url, 1), []);

  const closedDlq = await ruleWithDeadLetterQueue('dlq-closed', false);
  await events.send(new PutTargetsCommand({ Rule: 'dlq-closed', Targets: [{ Id: 'fn', Arn: functionArn('never-created'), DeadLetterConfig: { Arn: closedDlq.dlq.arn } }] }));
  await putEvent('dlq-closed', { n: 4 });
  await waitFor('the refused dead letter in the log', () => (env.server.stderr().includes(`the resource policy of ${closedDlq.dlq.arn} does not allow events.amazonaws.com`) ? true : undefined), 30_000);
  assert.deepEqual(await receiveNothing(sqs, closedDlq.dlq.url, 1), []);
});

test('PutTargets: DeadLetterConfig and RetryPolicy checked as AWS does, and listed back', async () => {
  await events.send(new PutRuleCommand({ Name: 'checks', EventPattern: '{"source":["x"]}' }));
  const put = (target: Record<string, unknown>) => events.send(new PutTargetsCommand({ Rule: 'checks', Targets: [{ Id: 't', Arn: functionArn('f'), ...target }] }));
  const refusal = (p: Promise<unknown>) => p.then(() => assert.fail('the call succeeded'), (e: Error) => [e.name, e.message]);
  assert.deepEqual(await refusal(put({ DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:topic' } })),
    ['ValidationException', 'Parameter DeadLetterConfig.Arn is not valid. Reason: Provided Arn is not in correct format.']);
  assert.deepEqual(await refusal(put({ RetryPolicy: { MaximumRetryAttempts: 186 } })), ['ValidationException',
    "1 validation error detected: Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185"]);
  assert.deepEqual(await refusal(put({ RetryPolicy: { MaximumEventAgeInSeconds: 59 } })), ['ValidationException',
    "1 validation error detected: Value '59' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"]);
  await put({ DeadLetterConfig: { Arn: queueArn('somewhere') }, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 86400 } });
  const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: 'checks' }));
  assert.deepEqual(Targets![0].DeadLetterConfig, { Arn: queueArn('somewhere') });
  assert.deepEqual(Targets![0].RetryPolicy, { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 86400 });
});

test('AWS CLI: put-targets with a DeadLetterConfig, the refused event read from the DLQ', { timeout: 60_000 }, async () => {
  const { ruleArn, dlq } = await ruleWithDeadLetterQueue('cli');
  const r = await awsCli(env.url, ['events', 'put-targets', '--rule', 'cli', '--targets', JSON.stringify([{ Id: 'fn', Arn: functionArn('cli-missing'), DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 3 } }])]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json(), { FailedEntryCount: 0, FailedEntries: [] });
  const eventId = await putEvent('cli', { n: 5 });
  const [m] = await receiveMessages(sqs, dlq.url, 1);
  assertDeadLetter(m, { eventId, ruleArn, targetArn: functionArn('cli-missing'), code: 'NO_RESOURCE', detail: { n: 5 } });
});
