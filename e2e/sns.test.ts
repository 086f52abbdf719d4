// SNS end to end through SDK v3 and the AWS CLI: topics and their attributes, tags and errors;
// a Lambda subscription (allowed for sns.amazonaws.com) receiving AWS's event, and a function
// without permission receiving nothing; an HTTP subscription confirmed through its
// SubscriptionConfirmation and receiving notifications, retried while the endpoint fails;
// filter policies; FIFO topics; a delivery pending over a restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand, ListTopicsCommand, PublishBatchCommand, PublishCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SubscribeCommand,
  TagResourceCommand, UnsubscribeCommand, type SNSClient,
} from '@aws-sdk/client-sns';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TestServer, useServer } from '../src/testing/fixture.js';
import { awsCli, snsClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount } from '../src/testing/server.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';
import { SnsListener } from '../src/testing/sns-listener.js';

const env = useServer({ args: ['--sns-retry-delays', '200,200,200'] });
const listener = new SnsListener();
let sns: SNSClient;
let endpoint = '';
env.setup(async () => {
  sns = snsClient(env.url);
  endpoint = await listener.start();
});
after(() => listener.close());

const topicArn = (name: string) => `arn:aws:sns:us-east-1:${testAccount}:${name}`;
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${testAccount}:function:${name}`;
const RECEIVER = "exports.handler = async (event) => { console.log('SNS_EVENT ' + JSON.stringify(event)); };\n";

async function receivedEvents(fn: string): Promise<any[]> {
  const { events } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: 'SNS_EVENT' }))
    .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
  return (events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('SNS_EVENT ') + 10)));
}

/** Subscribes `path` on the listener and confirms it through the SubscribeURL it is sent. */
async function confirmedHttpSubscription(topic: string, path: string, attributes?: Record<string, string>): Promise<string> {
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: `${endpoint}${path}`, Attributes: attributes }));
  assert.equal(SubscriptionArn, 'pending confirmation');
  const confirmation = await waitFor('a SubscriptionConfirmation', () => listener.bodies(path).find((b) => b.Type === 'SubscriptionConfirmation'));
  const res = await fetch(confirmation.SubscribeURL);
  const xml = await res.text();
  assert.equal(res.status, 200, xml);
  const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)![1];
  assert.match(arn, new RegExp(`^${topic}:[0-9a-f-]{36}$`));
  return arn;
}

test('topics: create (idempotent), attributes, tags, list, delete, and AWS errors', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' }, Tags: [{ Key: 'team', Value: 'a' }] }));
  assert.equal(TopicArn, topicArn('orders'));
  assert.equal((await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }))).TopicArn, TopicArn);
  await expectAwsError(sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Other' } })), 'InvalidParameterException',
    'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
  await expectAwsError(sns.send(new CreateTopicCommand({ Name: 'bad name' })), 'InvalidParameterException', 'Invalid parameter: Topic Name');
  const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.equal(Attributes!.DisplayName, 'Orders');
  assert.equal(Attributes!.Owner, testAccount);
  assert.equal(Attributes!.TopicArn, TopicArn);
  assert.equal(Attributes!.SubscriptionsConfirmed, '0');
  assert.equal(JSON.parse(Attributes!.Policy).Statement[0].Resource, TopicArn);
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Renamed' }));
  assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.DisplayName, 'Renamed');
  await expectAwsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Nope', AttributeValue: 'x' })), 'InvalidParameterException', 'Invalid parameter: AttributeName');
  await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }]);
  assert.ok((await sns.send(new ListTopicsCommand({}))).Topics!.some((t) => t.TopicArn === TopicArn));
  await sns.send(new DeleteTopicCommand({ TopicArn }));
  await expectAwsError(sns.send(new GetTopicAttributesCommand({ TopicArn })), 'NotFoundException', 'Topic does not exist');
  await expectAwsError(sns.send(new PublishCommand({ TopicArn, Message: 'x' })), 'NotFoundException', 'Topic does not exist');
});

test('ListTopics answers pages of 100 with a NextToken', async () => {
  const names = Array.from({ length: 105 }, (_, i) => `page-${String(i).padStart(3, '0')}`);
  for (const Name of names) await sns.send(new CreateTopicCommand({ Name }));
  const first = await sns.send(new ListTopicsCommand({}));
  assert.equal(first.Topics!.length, 100);
  assert.ok(first.NextToken);
  const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
  assert.equal(second.NextToken, undefined);
  const listed = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn!).filter((arn) => arn.includes(':page-'));
  assert.deepEqual(listed, names.map(topicArn));
  await expectAwsError(sns.send(new ListTopicsCommand({ NextToken: 'bogus' })), 'InvalidParameterException', 'Invalid parameter: NextToken');
});

test('the AWS CLI: create-topic, list-topics, publish, subscribe, subscription attributes, and an error', async () => {
  const created = await awsCli(env.url, ['sns', 'create-topic', '--name', 'cli-topic']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().TopicArn, topicArn('cli-topic'));
  const listed = await awsCli(env.url, ['sns', 'list-topics']);
  assert.ok(listed.json().Topics.some((t: { TopicArn: string }) => t.TopicArn === topicArn('cli-topic')));
  const published = await awsCli(env.url, ['sns', 'publish', '--topic-arn', topicArn('cli-topic'), '--message', 'hi']);
  assert.equal(published.code, 0, published.stderr);
  assert.match(published.json().MessageId, /^[0-9a-f-]{36}$/);
  const subscribed = await awsCli(env.url, ['sns', 'subscribe', '--topic-arn', topicArn('cli-topic'), '--protocol', 'lambda',
    '--notification-endpoint', fnArn('cli-fn'), '--attributes', JSON.stringify({ FilterPolicy: '{"kind":["a"]}' })]);
  assert.equal(subscribed.code, 0, subscribed.stderr);
  const subs = (await awsCli(env.url, ['sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn('cli-topic')])).json().Subscriptions;
  assert.deepEqual(subs, [{ SubscriptionArn: subscribed.json().SubscriptionArn, Owner: testAccount, Protocol: 'lambda', Endpoint: fnArn('cli-fn'), TopicArn: topicArn('cli-topic') }]);
  const attributes = (await awsCli(env.url, ['sns', 'get-subscription-attributes', '--subscription-arn', subscribed.json().SubscriptionArn])).json().Attributes;
  assert.equal(attributes.FilterPolicy, '{"kind":["a"]}');
  assert.equal(attributes.FilterPolicyScope, 'MessageAttributes');
  const missing = await awsCli(env.url, ['sns', 'get-topic-attributes', '--topic-arn', topicArn('no-such-topic')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /\(NotFound\).*Topic does not exist/);
});

test('a Lambda subscription receives AWS\'s SNS event; a function without permission receives nothing', { timeout: 120_000 }, async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-lambda' }));
  await createNodeFunction(env.lambda, 'sns-receiver', RECEIVER);
  await env.lambda.send(new AddPermissionCommand({ FunctionName: 'sns-receiver', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: TopicArn }));
  await createNodeFunction(env.lambda, 'sns-unallowed', RECEIVER);
  const allowed = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn('sns-receiver') }));
  assert.match(allowed.SubscriptionArn!, new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn('sns-unallowed') }));
  const { MessageId } = await sns.send(new PublishCommand({
    TopicArn, Message: 'hello', Subject: 'greeting', MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' }, n: { DataType: 'Number', StringValue: '5' } },
  }));
  const event = await waitFor('the event', async () => (await receivedEvents('sns-receiver'))[0], 60_000);
  assert.deepEqual(Object.keys(event), ['Records']);
  const record = event.Records[0];
  assert.equal(record.EventSource, 'aws:sns');
  assert.equal(record.EventVersion, '1.0');
  assert.equal(record.EventSubscriptionArn, allowed.SubscriptionArn);
  const { Timestamp, Signature, SigningCertUrl, UnsubscribeUrl, ...rest } = record.Sns;
  assert.deepEqual(rest, {
    Type: 'Notification', MessageId, TopicArn, Subject: 'greeting', Message: 'hello', SignatureVersion: '1',
    MessageAttributes: { kind: { Type: 'String', Value: 'test' }, n: { Type: 'Number', Value: '5' } },
  });
  assert.match(Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(Signature && SigningCertUrl);
  assert.ok(UnsubscribeUrl.includes(`Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(allowed.SubscriptionArn!)}`));
  // Another message reaches the allowed function, while the other never receives anything.
  await sns.send(new PublishCommand({ TopicArn, Message: 'second' }));
  await waitFor('the second event', async () => ((await receivedEvents('sns-receiver')).length >= 2 ? true : undefined), 60_000);
  assert.deepEqual(await receivedEvents('sns-unallowed'), []);
});

test('an HTTP subscription: confirmation, notifications with AWS\'s body and headers, retries while the endpoint fails, unsubscribe', { timeout: 60_000 }, async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-http' }));
  const subscriptionArn = await confirmedHttpSubscription(TopicArn!, '/http');
  const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!;
  assert.equal(attributes.PendingConfirmation, 'false');
  assert.equal(attributes.Protocol, 'http');
  listener.failNext = 2;
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'over http', Subject: 'S' }));
  const posts = await waitFor('the notification, after two failures', () => {
    const p = listener.received.filter((r) => r.path === '/http' && r.headers['x-amz-sns-message-type'] === 'Notification');
    return p.length >= 3 ? p : undefined;
  });
  assert.equal(posts.length, 3);
  const last = posts[2];
  assert.equal(last.headers['x-amz-sns-message-id'], MessageId);
  assert.equal(last.headers['x-amz-sns-topic-arn'], TopicArn);
  assert.equal(last.headers['x-amz-sns-subscription-arn'], subscriptionArn);
  assert.equal(last.headers['content-type'], 'text/plain; charset=UTF-8');
  const body = JSON.parse(last.body);
  assert.equal(body.Type, 'Notification');
  assert.equal(body.MessageId, MessageId);
  assert.equal(body.Message, 'over http');
  assert.equal(body.Subject, 'S');
  assert.equal(body.TopicArn, TopicArn);
  const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
  assert.deepEqual(listed.map((s) => s.SubscriptionArn), [subscriptionArn]);
  await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  await expectAwsError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn })), 'NotFoundException', 'Subscription does not exist');
  await expectAwsError(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'nope' })), 'InvalidParameterException', 'Invalid parameter: Token');
});

test('filter policies on message attributes and on the message body', { timeout: 60_000 }, async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'filtered' }));
  const onAttributes = await confirmedHttpSubscription(TopicArn!, '/attrs');
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: onAttributes, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ color: ['red', { prefix: 'bl' }], size: [{ numeric: ['>', 10] }] }) }));
  await confirmedHttpSubscription(TopicArn!, '/body', { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ order: { kind: ['book'] } }) });
  await expectAwsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: onAttributes, AttributeName: 'FilterPolicy', AttributeValue: '{"a":"b"}' })), 'InvalidParameterException');
  const attr = (color: string, size: string) => ({ color: { DataType: 'String', StringValue: color }, size: { DataType: 'Number', StringValue: size } });
  await sns.send(new PublishCommand({ TopicArn, Message: 'red-11', MessageAttributes: attr('red', '11') }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'blue-5', MessageAttributes: attr('blue', '5') }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'green-20', MessageAttributes: attr('green', '20') }));
  await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ order: { kind: 'pen' } }) }));
  await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ order: { kind: 'book' } }) }));
  // A last message both receive marks the end (deliveries may run side by side, so wait for it).
  await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ order: { kind: 'book' } }), MessageAttributes: attr('blue', '99') }));
  const notes = (path: string) => listener.bodies(path).filter((b) => b.Type === 'Notification').map((b) => b.Message as string);
  await waitFor('the last messages', () => (notes('/attrs').length >= 2 && notes('/body').length >= 2 ? true : undefined));
  assert.deepEqual(notes('/attrs').sort(), ['red-11', JSON.stringify({ order: { kind: 'book' } })].sort());
  assert.deepEqual(notes('/body'), [JSON.stringify({ order: { kind: 'book' } }), JSON.stringify({ order: { kind: 'book' } })]);
});

test('MessageStructure=json gives each protocol its entry; raw delivery posts the bare message; Publish\'s checks', { timeout: 60_000 }, async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'structured' }));
  await confirmedHttpSubscription(TopicArn!, '/structured');
  await confirmedHttpSubscription(TopicArn!, '/raw', { RawMessageDelivery: 'true' });
  await sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'for all', http: 'for http', lambda: 'for lambda' }) }));
  const note = await waitFor('the structured notification', () => listener.bodies('/structured').find((b) => b.Type === 'Notification'));
  assert.equal(note.Message, 'for http');
  const raw = await waitFor('the raw notification', () => listener.received.find((r) => r.path === '/raw' && r.headers['x-amz-sns-message-type'] === 'Notification'));
  assert.equal(raw.body, 'for http');
  assert.equal(raw.headers['x-amz-sns-rawdelivery'], 'true');
  await expectAwsError(sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: '{"http":"x"}' })), 'InvalidParameterException',
    'Invalid parameter: Message Structure - No default entry in JSON message body');
  await expectAwsError(sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: 'not json' })), 'InvalidParameterException',
    'Invalid parameter: Message Structure - JSON message body failed to parse');
  await expectAwsError(sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_145) })), 'InvalidParameterException', 'Invalid parameter: Message too long');
  await expectAwsError(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })),
    'InvalidParameterValueException', "Could not cast message attribute 'n' value to number.");
  await expectAwsError(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { n: { DataType: 'Text', StringValue: 'abc' } } })),
    'InvalidParameterValueException', "The message attribute 'n' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
});

test('FIFO topics: attributes, MessageGroupId and deduplication checks, sequence numbers; PublishBatch errors', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'jobs.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
  const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.equal(Attributes!.FifoTopic, 'true');
  assert.equal(Attributes!.ContentBasedDeduplication, 'true');
  await expectAwsError(sns.send(new CreateTopicCommand({ Name: 'plain.fifo' })), 'InvalidParameterException', 'Invalid parameter: Topic Name');
  await expectAwsError(sns.send(new PublishCommand({ TopicArn, Message: 'x' })), 'InvalidParameterException', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
  const { SequenceNumber } = await sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageGroupId: 'g' }));
  assert.match(SequenceNumber!, /^\d{20}$/);
  // The same content (ContentBasedDeduplication) within 5 minutes is the same message; an explicit id likewise.
  const again = await sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageGroupId: 'g' }));
  assert.equal(again.SequenceNumber, SequenceNumber);
  const first = await sns.send(new PublishCommand({ TopicArn, Message: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'dedup-1' }));
  const repeat = await sns.send(new PublishCommand({ TopicArn, Message: 'z', MessageGroupId: 'g', MessageDeduplicationId: 'dedup-1' }));
  assert.equal(repeat.MessageId, first.MessageId);
  assert.notEqual(first.MessageId, again.MessageId);
  const batch = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'one', MessageGroupId: 'g' }, { Id: 'b', Message: 'two' }] }));
  assert.deepEqual(batch.Successful!.map((s) => s.Id), ['a']);
  assert.deepEqual(batch.Failed, [{ Id: 'b', Code: 'InvalidParameter', Message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics', SenderFault: true }]);
  await expectAwsError(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: '1' }, { Id: 'a', Message: '2' }] })), 'BatchEntryIdsNotDistinctException');
});

test('a delivery pending over a restart is made after it', { timeout: 90_000 }, async () => {
  // A server of its own, whose retry is due well after the crash.
  let server = await TestServer.start({ args: ['--sns-retry-delays', '4000'] });
  try {
    let client = snsClient(server.url);
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'durable' }));
    const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint}/durable` }));
    assert.equal(SubscriptionArn, 'pending confirmation');
    const confirmation = await waitFor('a SubscriptionConfirmation', () => listener.bodies('/durable').find((b) => b.Type === 'SubscriptionConfirmation'));
    await client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));
    listener.failNext = 1;
    await client.send(new PublishCommand({ TopicArn, Message: 'survives' }));
    const attempts = () => listener.received.filter((r) => r.path === '/durable' && r.headers['x-amz-sns-message-type'] === 'Notification');
    await waitFor('the first attempt', () => attempts().length >= 1 || undefined);
    client.destroy();
    server = await server.restart({ crash: true });
    client = snsClient(server.url);
    await waitFor('the retry after the restart', () => attempts().length >= 2 || undefined, 60_000);
    assert.equal(JSON.parse(attempts()[1].body).Message, 'survives');
    client.destroy();
  } finally {
    await server.stop();
  }
});
