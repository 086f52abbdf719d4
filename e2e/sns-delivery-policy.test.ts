// SNS DeliveryPolicy for HTTP/S subscriptions through SDK v3: the subscription's policy (or else
// its topic's) decides how often a failing endpoint is retried; the subscription's overrides the
// topic's unless the topic disables overrides; EffectiveDeliveryPolicy shows what applies; bad
// policies are refused with AWS's InvalidParameter. `--sns-retry-delays 100,100` makes a policy
// second 5 ms (100 ms for the default's 20 s), so a whole schedule runs in well under a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTopicCommand, GetSubscriptionAttributesCommand, PublishCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { testAccount, testRegion } from '../src/testing/server.js';
import { waitFor } from '../src/testing/wait.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useSnsHttpServer } from '../src/testing/sns-http-server.js';
import { awsCli } from '../src/testing/aws.js';
import { createQueue, receiveMessages, sendPolicy } from '../src/testing/queue-messages.js';

const server = useSnsHttpServer(['--sns-retry-delays', '100,100']);
const { listener } = server;

const retryPolicy = (numRetries: number, more: Record<string, unknown> = {}) => ({
  minDelayTarget: 1, maxDelayTarget: 4, numRetries, numNoDelayRetries: 1, numMinDelayRetries: 1, numMaxDelayRetries: 1, backoffFunction: 'exponential', ...more,
});

/** A topic (with `topicPolicy` as its DeliveryPolicy) and a confirmed HTTP subscription posting to `path`. */
async function subscribed(name: string, path: string, topicPolicy?: unknown): Promise<{ topicArn: string; subscriptionArn: string }> {
  const { TopicArn } = await server.sns.send(new CreateTopicCommand({ Name: name, ...(topicPolicy ? { Attributes: { DeliveryPolicy: JSON.stringify(topicPolicy) } } : {}) }));
  await server.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${server.endpoint}${path}` }));
  const confirmation = await waitFor('a SubscriptionConfirmation', () => listener.bodies(path).find((b) => b.Type === 'SubscriptionConfirmation'));
  const xml = await (await fetch(confirmation.SubscribeURL)).text();
  return { topicArn: TopicArn!, subscriptionArn: /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)![1] };
}

const notifications = (path: string) => listener.received.filter((r) => r.path === path && r.headers['x-amz-sns-message-type'] === 'Notification');
const setSubscriptionPolicy = (arn: string, policy: unknown) =>
  server.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify(policy) }));

test('an endpoint failing 5 times is retried by the subscription policy (numRetries 5, over the topic\'s 1) and then gets the message', { timeout: 60_000 }, async () => {
  const { topicArn, subscriptionArn } = await subscribed('policy-recovers', '/recovers', { http: { defaultHealthyRetryPolicy: retryPolicy(1, { numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0 }) } });
  await setSubscriptionPolicy(subscriptionArn, { healthyRetryPolicy: retryPolicy(5) });
  listener.failOn('/recovers', 5);
  await server.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'sixth time lucky' }));
  await waitFor('the sixth attempt', () => (notifications('/recovers').length >= 6 ? true : undefined));
  // The queue has finished with it once the sixth attempt was answered 200: a later publish is the next POST.
  await server.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'next' }));
  await waitFor('the next message', () => (notifications('/recovers').length >= 7 ? true : undefined));
  const bodies = notifications('/recovers').map((r) => JSON.parse(r.body).Message as string);
  assert.deepEqual(bodies, [...Array(6).fill('sixth time lucky'), 'next']);
});

test('an endpoint failing every retry gets exactly 1 + numRetries attempts, then the dead-letter queue gets the message', { timeout: 60_000 }, async () => {
  const { topicArn, subscriptionArn } = await subscribed('policy-gives-up', '/gives-up');
  const dlqArn = `arn:aws:sqs:${testRegion}:${testAccount}:policy-gives-up-dlq`;
  const dlq = await createQueue(server.sqs, 'policy-gives-up-dlq', { Policy: sendPolicy(dlqArn, 'sns.amazonaws.com', topicArn) });
  await server.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlqArn }) }));
  await setSubscriptionPolicy(subscriptionArn, { healthyRetryPolicy: retryPolicy(4) });
  listener.failOn('/gives-up', 1000);
  await server.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'never arrives' }));
  const [m] = await receiveMessages(server.sqs, dlq.url, 1);
  assert.equal(JSON.parse(m.Body!).Message, 'never arrives');
  assert.equal(notifications('/gives-up').length, 5);
  listener.failOn('/gives-up', 0);
});

test('the topic policy applies without a subscription policy, and over it when the topic disables overrides', { timeout: 60_000 }, async () => {
  const topicPolicy = { http: { defaultHealthyRetryPolicy: retryPolicy(7, { numNoDelayRetries: 2 }), disableSubscriptionOverrides: true } };
  const { topicArn, subscriptionArn } = await subscribed('policy-topic', '/topic', topicPolicy);
  await setSubscriptionPolicy(subscriptionArn, { healthyRetryPolicy: retryPolicy(0, { numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0 }) });
  const { Attributes } = await server.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
  assert.deepEqual(JSON.parse(Attributes!.EffectiveDeliveryPolicy!), {
    healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 4, numRetries: 7, numMaxDelayRetries: 1, numNoDelayRetries: 2, numMinDelayRetries: 1, backoffFunction: 'exponential' },
    sicklyRetryPolicy: null, throttlePolicy: null, guaranteed: false,
  });
  listener.failOn('/topic', 7);
  await server.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'eighth' }));
  await waitFor('the eighth attempt', () => (notifications('/topic').length >= 8 ? true : undefined));
});

test('EffectiveDeliveryPolicy: AWS\'s default, then the subscription\'s policy completed with the defaults', { timeout: 60_000 }, async () => {
  const { subscriptionArn } = await subscribed('policy-effective', '/effective');
  const effective = async () => JSON.parse((await server.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!.EffectiveDeliveryPolicy!);
  assert.deepEqual(await effective(), {
    healthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    sicklyRetryPolicy: null, throttlePolicy: null, guaranteed: false,
  });
  await setSubscriptionPolicy(subscriptionArn, { healthyRetryPolicy: { numRetries: 10, maxDelayTarget: 30 }, throttlePolicy: { maxReceivesPerSecond: 5 } });
  assert.deepEqual(await effective(), {
    healthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 30, numRetries: 10, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    sicklyRetryPolicy: null, throttlePolicy: { maxReceivesPerSecond: 5 }, guaranteed: false,
  });
});

test('bad policies: InvalidParameter in AWS\'s wording, on the subscription and on the topic', { timeout: 60_000 }, async () => {
  const { topicArn, subscriptionArn } = await subscribed('policy-bad', '/bad');
  const bad = (healthyRetryPolicy: Record<string, unknown>) => setSubscriptionPolicy(subscriptionArn, { healthyRetryPolicy });
  await expectAwsError(bad({ minDelayTarget: 0 }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be greater than or equal to 1', 400);
  await expectAwsError(bad({ numRetries: 101 }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: DeliveryPolicy: healthyRetryPolicy.numRetries must be less than or equal to 100', 400);
  await expectAwsError(bad({ minDelayTarget: 30, maxDelayTarget: 10 }), 'InvalidParameterException', /maxDelayTarget must be greater than or equal to minDelayTarget/, 400);
  await expectAwsError(bad({ backoffFunction: 'cubic' }), 'InvalidParameterException', /healthyRetryPolicy\.backoffFunction/, 400);
  await expectAwsError(server.sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify({ http: { defaultHealthyRetryPolicy: { maxDelayTarget: 3601 } } }) })),
    'InvalidParameterException', 'Invalid parameter: Attributes Reason: DeliveryPolicy: http.defaultHealthyRetryPolicy.maxDelayTarget must be less than or equal to 3600', 400);
});

test('AWS CLI: a subscription policy set and shown in EffectiveDeliveryPolicy; a bad one refused', { timeout: 60_000 }, async () => {
  const { subscriptionArn } = await subscribed('policy-cli', '/cli');
  const set = (value: unknown) => awsCli(server.env.url, ['sns', 'set-subscription-attributes', '--subscription-arn', subscriptionArn, '--attribute-name', 'DeliveryPolicy', '--attribute-value', JSON.stringify(value)]);
  const ok = await set({ healthyRetryPolicy: { numRetries: 6, minDelayTarget: 2, maxDelayTarget: 8, backoffFunction: 'geometric' } });
  assert.equal(ok.code, 0, ok.stderr);
  const got = await awsCli(server.env.url, ['sns', 'get-subscription-attributes', '--subscription-arn', subscriptionArn]);
  assert.equal(got.code, 0, got.stderr);
  const effective = JSON.parse((got.json() as { Attributes: Record<string, string> }).Attributes.EffectiveDeliveryPolicy);
  assert.deepEqual(effective.healthyRetryPolicy, { minDelayTarget: 2, maxDelayTarget: 8, numRetries: 6, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'geometric' });
  const bad = await set({ healthyRetryPolicy: { numRetries: 2, numNoDelayRetries: 3 } });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /InvalidParameter.*Invalid parameter: Attributes Reason: DeliveryPolicy: healthyRetryPolicy\.numRetries/);
});
