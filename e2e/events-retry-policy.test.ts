// Targets' RetryPolicy through SDK v3 on a real server: a refusal (a function without a permission
// for the rule, a queue that does not exist) is not retried even when the policy allows 185 retries
// over a day: the dead-letter queue gets it at once with RETRY_ATTEMPTS 0, and the server logs no
// retry. Retriable failures (throttling, a failure of the target's service) cannot be caused from
// outside the server, whose targets hand events to durable queues; src/events/target-retries.test.ts
// covers them, their backoff, MaximumRetryAttempts, MaximumEventAgeInSeconds and restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { useServer } from '../src/testing/fixture.js';
import { eventBridgeClient, sqsClient } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { createEventReceiver, functionArn, ruleArnOf } from '../src/testing/event-receiver.js';
import { createQueue, receiveMessages, sendPolicy } from '../src/testing/queue-messages.js';

// Event time 100 times faster: a retry, were one made, would come within a few milliseconds.
const env = useServer({ args: ['--events-clock', `${Date.now()}x100`], env: { STAGECRAFT_LOG_LEVEL: 'info' } });
const queueArn = (name: string) => `arn:aws:sqs:${testRegion}:${testAccount}:${name}`;

test('refusals skip the retries the RetryPolicy allows: the DLQ at once, RETRY_ATTEMPTS 0, no retry logged', { timeout: 120_000 }, async () => {
  const events = eventBridgeClient(env.url);
  const sqs = sqsClient(env.url);
  await events.send(new PutRuleCommand({ Name: 'refusals', EventPattern: JSON.stringify({ source: ['test.refusals'] }) }));
  const dlq = await createQueue(sqs, 'refusals-dlq', { Policy: sendPolicy(queueArn('refusals-dlq'), 'events.amazonaws.com', ruleArnOf('refusals')) });
  await createEventReceiver(env.lambda, 'retry-not-permitted', null);
  const RetryPolicy = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 };
  await events.send(new PutTargetsCommand({ Rule: 'refusals', Targets: [
    { Id: 'fn', Arn: functionArn('retry-not-permitted'), DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy },
    { Id: 'queue', Arn: queueArn('retry-never-created'), DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy },
  ] }));
  const { Entries } = await events.send(new PutEventsCommand({ Entries: [{ Source: 'test.refusals', DetailType: 'Thing Happened', Detail: '{"n":1}' }] }));
  const got = await receiveMessages(sqs, dlq.url, 2);
  const byTarget = new Map(got.map((m) => [m.MessageAttributes!.TARGET_ARN.StringValue!, m.MessageAttributes!]));
  assert.deepEqual([...byTarget.keys()].sort(), [functionArn('retry-not-permitted'), queueArn('retry-never-created')].sort());
  assert.equal(byTarget.get(functionArn('retry-not-permitted'))!.ERROR_CODE.StringValue, 'NO_PERMISSIONS');
  assert.equal(byTarget.get(queueArn('retry-never-created'))!.ERROR_CODE.StringValue, 'NO_RESOURCE');
  for (const attrs of byTarget.values()) assert.equal(attrs.RETRY_ATTEMPTS.StringValue, '0');
  for (const m of got) assert.equal(JSON.parse(m.Body!).id, Entries![0].EventId);
  const log = env.server.stderr();
  assert.ok(log.includes('EventBridge event not delivered to its target'), 'the refusals are logged');
  assert.ok(!log.includes('it will be retried'), 'no retry was scheduled');
});
