// SNS subscriptions' RedrivePolicy through SDK v3 and the AWS CLI: a delivery SNS gives up on (a
// queue policy refusing SNS, a Lambda function that does not exist, an HTTP endpoint failing every
// retry) goes to the dead-letter queue as the subscription would have received it, if the dead-letter
// queue's own policy lets SNS send from the topic; AWS's checks when the policy is set.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTopicCommand, GetSubscriptionAttributesCommand, PublishCommand, SetSubscriptionAttributesCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, snsClient, sqsClient } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { waitFor } from '../src/testing/wait.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { SnsListener } from '../src/testing/sns-listener.js';
import { createQueue, receiveMessages, receiveNothing, sendPolicy } from '../src/testing/queue-messages.js';

const env = useServer({ args: ['--sns-retry-delays', '100,100'] });
const listener = new SnsListener();
let sns: SNSClient;
let sqs: SQSClient;
let endpoint = '';
env.setup(async () => {
  sns = snsClient(env.url);
  sqs = sqsClient(env.url);
  endpoint = await listener.start();
});
after(() => listener.close());

const queueArn = (name: string) => `arn:aws:sqs:${testRegion}:${testAccount}:${name}`;
const redrive = (arn: string) => JSON.stringify({ deadLetterTargetArn: arn });

/** A topic and a dead-letter queue whose policy lets SNS send from the topic (unless `allowSns` is false). */
async function topicWithDeadLetterQueue(name: string, allowSns = true) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const dlq = await createQueue(sqs, `${name}-dlq`, allowSns ? { Policy: sendPolicy(queueArn(`${name}-dlq`), 'sns.amazonaws.com', TopicArn!) } : {});
  return { topicArn: TopicArn!, dlq };
}

function assertEnvelope(body: Record<string, unknown>, expected: { messageId: string; topicArn: string; subscriptionArn: string; message: string }): void {
  assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
  assert.equal(body.Type, 'Notification');
  assert.equal(body.MessageId, expected.messageId);
  assert.equal(body.TopicArn, expected.topicArn);
  assert.equal(body.Subject, 'lost');
  assert.equal(body.Message, expected.message);
  assert.ok(String(body.UnsubscribeURL).endsWith(`SubscriptionArn=${encodeURIComponent(expected.subscriptionArn)}`));
  assert.deepEqual(body.MessageAttributes, { colour: { Type: 'String', Value: 'red' } });
}

test('a queue whose policy refuses SNS: the notification goes to the dead-letter queue as the envelope', { timeout: 60_000 }, async () => {
  const { topicArn, dlq } = await topicWithDeadLetterQueue('refused');
  const target = await createQueue(sqs, 'refused-target'); // no policy: SNS may not send
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RedrivePolicy: redrive(dlq.arn) }, ReturnSubscriptionArn: true }));
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'lost', Message: 'to the side', MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } } }));
  const [m] = await receiveMessages(sqs, dlq.url, 1);
  assert.equal(m.MessageAttributes, undefined);
  assertEnvelope(JSON.parse(m.Body!), { messageId: MessageId!, topicArn, subscriptionArn: SubscriptionArn!, message: 'to the side' });
  assert.deepEqual(await receiveNothing(sqs, target.url, 1), []);
});

test('raw delivery: the dead-letter queue gets the bare message with its attributes as SQS message attributes', { timeout: 60_000 }, async () => {
  const { topicArn, dlq } = await topicWithDeadLetterQueue('refused-raw');
  const target = await createQueue(sqs, 'refused-raw-target');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RawMessageDelivery: 'true', RedrivePolicy: redrive(dlq.arn) } }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{"n":1}', MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '5' } } }));
  const [m] = await receiveMessages(sqs, dlq.url, 1);
  assert.equal(m.Body, '{"n":1}');
  assert.deepEqual(m.MessageAttributes, { colour: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '5' } });
});

test('a Lambda function that does not exist: the notification goes to the dead-letter queue', { timeout: 60_000 }, async () => {
  const { topicArn, dlq } = await topicWithDeadLetterQueue('no-function');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'lambda', Endpoint: `arn:aws:lambda:${testRegion}:${testAccount}:function:never-created`, Attributes: { RedrivePolicy: redrive(dlq.arn) }, ReturnSubscriptionArn: true,
  }));
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'lost', Message: 'nobody home', MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } } }));
  const [m] = await receiveMessages(sqs, dlq.url, 1);
  assertEnvelope(JSON.parse(m.Body!), { messageId: MessageId!, topicArn, subscriptionArn: SubscriptionArn!, message: 'nobody home' });
});

test('an HTTP endpoint failing every retry: the dead-letter queue gets the notification once the retries run out', { timeout: 60_000 }, async () => {
  const { topicArn, dlq } = await topicWithDeadLetterQueue('http-down');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${endpoint}/down` }));
  assert.equal(SubscriptionArn, 'pending confirmation');
  const confirmation = await waitFor('a SubscriptionConfirmation', () => listener.bodies('/down').find((b) => b.Type === 'SubscriptionConfirmation'));
  const xml = await (await fetch(confirmation.SubscribeURL)).text();
  const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)![1];
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: redrive(dlq.arn) }));
  listener.failNext = 3; // the first attempt and both retries
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'lost', Message: 'unreachable', MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } } }));
  const [m] = await receiveMessages(sqs, dlq.url, 1);
  assertEnvelope(JSON.parse(m.Body!), { messageId: MessageId!, topicArn, subscriptionArn, message: 'unreachable' });
  assert.equal(listener.received.filter((r) => r.path === '/down' && r.headers['x-amz-sns-message-type'] === 'Notification').length, 3);
});

test('a dead-letter queue whose policy does not allow SNS gets nothing', { timeout: 60_000 }, async () => {
  const { topicArn, dlq } = await topicWithDeadLetterQueue('dlq-refuses', false);
  const target = await createQueue(sqs, 'dlq-refuses-target');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RedrivePolicy: redrive(dlq.arn) } }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'dropped' }));
  await waitFor('the refused dead letter in the log', () => (env.server.stderr().includes(`the resource policy of ${dlq.arn} does not allow sns.amazonaws.com`) ? true : undefined), 30_000);
  assert.deepEqual(await receiveNothing(sqs, dlq.url, 1), []);
});

test('RedrivePolicy: AWS checks it when set, and answers it', async () => {
  const { topicArn, dlq } = await topicWithDeadLetterQueue('checks');
  const target = await createQueue(sqs, 'checks-target');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: target.arn, ReturnSubscriptionArn: true }));
  const set = (value: string) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: value }));
  await expectAwsError(set('{'), 'InvalidParameterException', 'Invalid parameter: RedrivePolicy: failed to parse JSON.');
  await expectAwsError(set('{}'), 'InvalidParameterException', 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
  await expectAwsError(set(redrive('not-an-arn')), 'InvalidParameterException', 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
  await set(redrive(dlq.arn));
  const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
  assert.equal(Attributes!.RedrivePolicy, redrive(dlq.arn));

  const { TopicArn: fifoTopic } = await sns.send(new CreateTopicCommand({ Name: 'checks.fifo', Attributes: { FifoTopic: 'true' } }));
  const fifoQueue = await createQueue(sqs, 'checks-target.fifo', { FifoQueue: 'true' });
  await expectAwsError(sns.send(new SubscribeCommand({ TopicArn: fifoTopic, Protocol: 'sqs', Endpoint: fifoQueue.arn, Attributes: { RedrivePolicy: redrive(dlq.arn) } })),
    'InvalidParameterException', 'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
});

test('AWS CLI: set-subscription-attributes RedrivePolicy, and the message lands in the dead-letter queue', { timeout: 60_000 }, async () => {
  const { topicArn, dlq } = await topicWithDeadLetterQueue('cli');
  const target = await createQueue(sqs, 'cli-target');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: target.arn, ReturnSubscriptionArn: true }));
  const cli = async (...args: string[]) => {
    const r = await awsCli(env.url, args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  };
  await cli('sns', 'set-subscription-attributes', '--subscription-arn', SubscriptionArn!, '--attribute-name', 'RedrivePolicy', '--attribute-value', redrive(dlq.arn));
  await cli('sns', 'publish', '--topic-arn', topicArn, '--message', 'from the cli');
  const [m] = await receiveMessages(sqs, dlq.url, 1);
  assert.equal(JSON.parse(m.Body!).Message, 'from the cli');
});
