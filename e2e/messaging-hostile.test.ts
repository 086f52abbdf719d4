// Hostile input to SQS, SNS and EventBridge that the model fuzz cannot express: long polls whose
// clients go away, messages at SQS's size limit and one byte past it, SNS messages that are not
// UTF-8, EventBridge events nested 10,000 levels deep and event patterns of thousands of values.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, TestEventPatternCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { useServer } from '../src/testing/fixture.js';
import { eventBridgeClient, failure, snsClient, sqsClient } from '../src/testing/aws.js';
import { sendSigned, closeConnections } from '../src/testing/fuzz/send.js';

const server = useServer();
const clients: { sqs?: SQSClient; sns?: SNSClient; events?: EventBridgeClient } = {};
const sqs = () => (clients.sqs ??= sqsClient(server.url));
const sns = () => (clients.sns ??= snsClient(server.url));
const events = () => (clients.events ??= eventBridgeClient(server.url));
after(() => {
  clients.sqs?.destroy();
  clients.sns?.destroy();
  clients.events?.destroy();
  closeConnections();
});

const inFlightBytes = async (): Promise<number> => ((await (await fetch(`${server.url}/_stagecraft/health`)).json()) as { requestMemory: { inFlightBytes: number } }).requestMemory.inFlightBytes;

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not reached within 15 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sqsJson = (op: string, body: unknown) => sendSigned(server.url, 'sqs', {
  method: 'POST', path: '/', query: [], headers: { 'x-amz-target': `AmazonSQS.${op}`, 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(body)),
});

test('SQS: a batch entry whose attribute has a null DataType fails that entry, not the server', async () => {
  const QueueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'hostile-null-type' }))).QueueUrl!;
  const res = await sqsJson('SendMessageBatch', { QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x', MessageAttributes: { k: { StringValue: 'v', DataType: null } } }, { Id: 'b', MessageBody: 'y' }] });
  assert.equal(res.status, 200, res.body.toString());
  const out = JSON.parse(res.body.toString());
  assert.deepEqual(out.Successful.map((e: { Id: string }) => e.Id), ['b']);
  assert.equal(out.Failed[0].Id, 'a');
  assert.equal(out.Failed[0].Code, 'InvalidParameterValue');
});

test('SQS: a batch entry with a null MessageBody fails that entry, not the server', async () => {
  const QueueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'hostile-null-body' }))).QueueUrl!;
  const res = await sqsJson('SendMessageBatch', { QueueUrl, Entries: [{ Id: 'a', MessageBody: null }, { Id: 'b', MessageBody: 'y' }] });
  assert.equal(res.status, 200, res.body.toString());
  const out = JSON.parse(res.body.toString());
  assert.deepEqual(out.Successful.map((e: { Id: string }) => e.Id), ['b']);
  assert.deepEqual([out.Failed[0].Id, out.Failed[0].Code], ['a', 'MissingParameter']);
});

const snsQuery = (params: string) => sendSigned(server.url, 'sns', {
  method: 'POST', path: '/', query: [], headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(`Version=2010-03-31&${params}`),
});

test('SNS: a tag without its Key or Value is refused as an invalid parameter', async () => {
  const noValue = await snsQuery('Action=CreateTopic&Name=hostile-tags&Tags.member.1.Key=team');
  assert.equal(noValue.status, 400, noValue.body.toString());
  assert.match(noValue.body.toString(), /<Code>InvalidParameter<\/Code><Message>Invalid parameter: Tags Reason: Tag value must not be null<\/Message>/);
  const TopicArn = (await sns().send(new CreateTopicCommand({ Name: 'hostile-tags' }))).TopicArn!;
  const noKey = await snsQuery(`Action=TagResource&ResourceArn=${encodeURIComponent(TopicArn)}&Tags.member.1.Value=x`);
  assert.equal(noKey.status, 400, noKey.body.toString());
  assert.match(noKey.body.toString(), /<Code>InvalidParameter<\/Code>.*Tag key length must be between 1 and 128/);
});

test('SNS: a PublishBatch entry without its Message fails that entry, not the server', async () => {
  const TopicArn = (await sns().send(new CreateTopicCommand({ Name: 'hostile-batch' }))).TopicArn!;
  const res = await snsQuery(`Action=PublishBatch&TopicArn=${encodeURIComponent(TopicArn)}&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.2.Id=b&PublishBatchRequestEntries.member.2.Message=hi`);
  assert.equal(res.status, 200, res.body.toString());
  assert.match(res.body.toString(), /<Failed><member><Id>a<\/Id><Code>InvalidParameter<\/Code>/);
  assert.match(res.body.toString(), /<Successful><member><Id>b<\/Id>/);
});

test('SQS: long polls whose clients go away claim nothing, and the server keeps answering', async () => {
  const QueueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'hostile-long-poll' }))).QueueUrl!;
  const aborts = Array.from({ length: 40 }, () => new AbortController());
  const polls = aborts.map((a) => sqs().send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }), { abortSignal: a.signal }).catch((e: Error) => e));
  // The polls are on the server once their bodies all count in its request memory.
  const pollBytes = JSON.stringify({ QueueUrl, WaitTimeSeconds: 20 }).length * aborts.length;
  await until(async () => (await inFlightBytes()) >= pollBytes);
  for (const a of aborts) a.abort();
  for (const p of await Promise.all(polls)) assert.ok(p instanceof Error, 'each poll was abandoned');
  await until(async () => (await inFlightBytes()) === 0); // nothing held for the clients gone
  await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'for the one still listening' }));
  const got = await sqs().send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
  assert.equal(got.Messages?.[0]?.Body, 'for the one still listening', 'no abandoned poll took the message');
  assert.equal((await fetch(`${server.url}/_stagecraft/health`)).status, 200);
});

test('SQS: a message of exactly 256 KiB with its attributes is taken; one byte more is refused', async () => {
  const QueueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'hostile-size' }))).QueueUrl!;
  const attributes = { trace: { DataType: 'String', StringValue: 'abc' } }; // 5 + 6 + 3 = 14 bytes
  const body = 'é'.repeat(1000) + 'x'.repeat(262_144 - 14 - 2000);
  await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: attributes }));
  const refused = await failure(sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: `${body}x`, MessageAttributes: attributes })));
  assert.equal(refused.name, 'InvalidParameterValue');
  assert.equal(refused.message, 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.');
  const got = await sqs().send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }));
  assert.equal(got.Messages?.[0]?.Body, body);
});

test('SNS: a message that is not UTF-8 is taken, its invalid bytes read as U+FFFD, and the topic still answers', async () => {
  const TopicArn = (await sns().send(new CreateTopicCommand({ Name: 'hostile-utf8' }))).TopicArn!;
  const res = await snsQuery(`Action=Publish&TopicArn=${encodeURIComponent(TopicArn)}&Message=%FF%FEabc%C3%28`);
  assert.equal(res.status, 200, res.body.toString());
  assert.match(res.body.toString(), /<MessageId>[^<]+<\/MessageId>/);
  assert.equal((await sns().send(new CreateTopicCommand({ Name: 'hostile-utf8' }))).TopicArn, TopicArn);
});

const nested = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);

test('EventBridge: Detail nested 10,000 levels deep is answered at once, and patterns match on it', async () => {
  const Detail = nested(10_000, '"deep"');
  const out = await events().send(new PutEventsCommand({ Entries: [{ Source: 'hostile.app', DetailType: 'deep', Detail }] }));
  assert.equal(out.FailedEntryCount ?? 0, 0, JSON.stringify(out.Entries));
  const event = JSON.stringify({ id: '1', account: '000000000000', source: 'hostile.app', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'deep' }).replace(/}$/, `,"detail":${Detail}}`);
  // exists matches leaves only (AWS's rule), so an object 9,997 levels deep is no match; its type and source are.
  const exists = await events().send(new TestEventPatternCommand({ EventPattern: '{"detail":{"a":{"a":{"a":[{"exists":true}]}}}}', Event: event }));
  assert.equal(exists.Result, false);
  const matched = await events().send(new TestEventPatternCommand({ EventPattern: '{"source":["hostile.app"],"detail-type":["deep"],"detail":{"a":{"a":{"b":[{"exists":false}]}}}}', Event: event }));
  assert.equal(matched.Result, true);
  // A pattern as deep as 4,096 characters allow (600 levels) is matched against it too.
  const deepPattern = await events().send(new TestEventPatternCommand({ EventPattern: `{"detail":${nested(599, '["deep"]')}}`, Event: event }));
  assert.equal(deepPattern.Result, false);
  const tooLong = await failure(events().send(new TestEventPatternCommand({ EventPattern: `{"detail":${nested(1000, '["deep"]')}}`, Event: event })));
  assert.equal(tooLong.name, 'ValidationException');
});

test('EventBridge: a pattern of thousands of values is stored and matched', async () => {
  const values = Array.from({ length: 2000 }, (_, i) => i % 10);
  const EventPattern = JSON.stringify({ detail: { n: values } });
  assert.ok(EventPattern.length <= 4096);
  await events().send(new PutRuleCommand({ Name: 'hostile-many', EventPattern }));
  await events().send(new PutTargetsCommand({ Rule: 'hostile-many', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:nowhere' }] }));
  const event = JSON.stringify({ id: '1', account: '000000000000', source: 'x', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'd', detail: { n: 7 } });
  assert.equal((await events().send(new TestEventPatternCommand({ EventPattern, Event: event }))).Result, true);
  const out = await events().send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => ({ Source: 'x', DetailType: 'd', Detail: '{"n":3}' })) }));
  assert.equal(out.FailedEntryCount ?? 0, 0);
  const deep = await events().send(new PutEventsCommand({ Entries: [{ Source: 'x', DetailType: 'd', Detail: nested(10_000, '7') }] })); // matched against the rule
  assert.equal(deep.FailedEntryCount ?? 0, 0);
  const tooLong = await failure(events().send(new PutRuleCommand({ Name: 'hostile-too-many', EventPattern: JSON.stringify({ detail: { n: Array.from({ length: 3000 }, (_, i) => i) } }) })));
  assert.equal(tooLong.name, 'ValidationException');
});
