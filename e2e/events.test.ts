// EventBridge through @aws-sdk/client-eventbridge: buses, rules, targets and tags with AWS's
// answers and errors, and PutEvents reaching Lambda functions with AWS's envelope (or their
// InputTransformer's output), only where the function's resource policy allows EventBridge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand,
  ListEventBusesCommand, ListRuleNamesByTargetCommand, ListRulesCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand,
  PutTargetsCommand, RemoveTargetsCommand, TagResourceCommand, TestEventPatternCommand, UntagResourceCommand, type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { useServer } from '../src/testing/fixture.js';
import { eventBridgeClient } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { createEventReceiver, functionArn, receivedEvents, ruleArnOf, waitForEvents } from '../src/testing/event-receiver.js';

const fixture = useServer();
let events: EventBridgeClient;
fixture.setup(() => {
  events = eventBridgeClient(fixture.url);
});

async function refusal(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

test('event buses: default always there, created ones listed, described and deleted', async () => {
  const defaultArn = `arn:aws:events:${testRegion}:${testAccount}:event-bus/default`;
  assert.deepEqual(await events.send(new DescribeEventBusCommand({})).then((r) => [r.Name, r.Arn]), ['default', defaultArn]);
  const created = await events.send(new CreateEventBusCommand({ Name: 'orders-bus', Description: 'orders' }));
  assert.equal(created.EventBusArn, `arn:aws:events:${testRegion}:${testAccount}:event-bus/orders-bus`);
  assert.deepEqual(await refusal(events.send(new CreateEventBusCommand({ Name: 'orders-bus' }))), { name: 'ResourceAlreadyExistsException', message: 'Event bus orders-bus already exists.', status: 400 });
  const listed = await events.send(new ListEventBusesCommand({}));
  assert.deepEqual(listed.EventBuses!.map((b) => b.Name), ['default', 'orders-bus']);
  assert.equal((await events.send(new ListEventBusesCommand({ NamePrefix: 'ord' }))).EventBuses!.length, 1);
  const described = await events.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
  assert.equal(described.Description, 'orders');
  assert.ok(described.CreationTime instanceof Date);
  assert.deepEqual(await refusal(events.send(new DeleteEventBusCommand({ Name: 'default' }))), { name: 'ValidationException', message: 'Cannot delete event bus default.', status: 400 });
  await events.send(new DeleteEventBusCommand({ Name: 'orders-bus' }));
  assert.deepEqual(await refusal(events.send(new DescribeEventBusCommand({ Name: 'orders-bus' }))), { name: 'ResourceNotFoundException', message: 'Event bus orders-bus does not exist.', status: 400 });
});

test('rules: validation, describe, list with paging, enable and disable, targets, tags, deletion', async () => {
  assert.deepEqual(await refusal(events.send(new PutRuleCommand({ Name: 'r-none' }))),
    { name: 'ValidationException', message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.', status: 400 });
  const bad = await refusal(events.send(new PutRuleCommand({ Name: 'r-bad', EventPattern: '{"source":[{"prefix":1}]}' })));
  assert.deepEqual([bad.name, bad.message], ['InvalidEventPatternException', 'Event pattern is not valid. Reason: prefix match pattern must be a string']);
  assert.deepEqual(await refusal(events.send(new PutRuleCommand({ Name: 'r-bad', ScheduleExpression: 'rate(1 minutes)' }))),
    { name: 'ValidationException', message: 'Parameter ScheduleExpression is not valid.', status: 400 });
  await events.send(new CreateEventBusCommand({ Name: 'custom-bus' }));
  assert.equal((await refusal(events.send(new PutRuleCommand({ Name: 'r-bad', ScheduleExpression: 'rate(5 minutes)', EventBusName: 'custom-bus' })))).message,
    'ScheduleExpression is supported only on the default event bus.');
  const custom = await events.send(new PutRuleCommand({ Name: 'on-custom', EventPattern: '{"source":["x"]}', EventBusName: 'custom-bus', Tags: [{ Key: 'team', Value: 'a' }] }));
  assert.equal(custom.RuleArn, ruleArnOf('on-custom', 'custom-bus'));

  for (const name of ['page-a', 'page-b', 'page-c']) await events.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'cron(0 12 * * ? *)', State: 'DISABLED', Description: name }));
  const described = await events.send(new DescribeRuleCommand({ Name: 'page-b' }));
  assert.deepEqual([described.Arn, described.State, described.ScheduleExpression, described.Description, described.EventBusName, described.CreatedBy],
    [ruleArnOf('page-b'), 'DISABLED', 'cron(0 12 * * ? *)', 'page-b', 'default', testAccount]);
  const first = await events.send(new ListRulesCommand({ NamePrefix: 'page-', Limit: 2 }));
  assert.deepEqual(first.Rules!.map((r) => r.Name), ['page-a', 'page-b']);
  const second = await events.send(new ListRulesCommand({ NamePrefix: 'page-', Limit: 2, NextToken: first.NextToken }));
  assert.deepEqual(second.Rules!.map((r) => r.Name), ['page-c']);
  assert.equal(second.NextToken, undefined);
  await events.send(new EnableRuleCommand({ Name: 'page-a' }));
  assert.equal((await events.send(new DescribeRuleCommand({ Name: 'page-a' }))).State, 'ENABLED');
  await events.send(new DisableRuleCommand({ Name: 'page-a' }));
  assert.equal((await events.send(new DescribeRuleCommand({ Name: 'page-a' }))).State, 'DISABLED');
  assert.deepEqual(await refusal(events.send(new DescribeRuleCommand({ Name: 'missing' }))),
    { name: 'ResourceNotFoundException', message: 'Rule missing does not exist on EventBus default.', status: 400 });

  const put = await events.send(new PutTargetsCommand({ Rule: 'page-a', Targets: [
    { Id: 'fn', Arn: functionArn('somewhere') }, { Id: 'queue', Arn: `arn:aws:sqs:${testRegion}:${testAccount}:q`, Input: '{"a":1}' },
  ] }));
  assert.deepEqual([put.FailedEntryCount, put.FailedEntries], [0, []]);
  assert.equal((await refusal(events.send(new PutTargetsCommand({ Rule: 'page-a', Targets: [{ Id: 'x', Arn: functionArn('f'), Input: '{', InputPath: '$' }] })))).message,
    'Only one of Input, InputPath, or InputTransformer must be provided.');
  const targets = await events.send(new ListTargetsByRuleCommand({ Rule: 'page-a' }));
  assert.deepEqual(targets.Targets, [{ Id: 'fn', Arn: functionArn('somewhere') }, { Id: 'queue', Arn: `arn:aws:sqs:${testRegion}:${testAccount}:q`, Input: '{"a":1}' }]);
  assert.deepEqual((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: functionArn('somewhere') }))).RuleNames, ['page-a']);
  assert.deepEqual(await refusal(events.send(new DeleteRuleCommand({ Name: 'page-a' }))),
    { name: 'ValidationException', message: 'Rule can\'t be deleted since it has targets.', status: 400 });
  await events.send(new RemoveTargetsCommand({ Rule: 'page-a', Ids: ['fn', 'queue'] }));
  await events.send(new DeleteRuleCommand({ Name: 'page-a' }));
  assert.equal((await refusal(events.send(new DescribeRuleCommand({ Name: 'page-a' })))).name, 'ResourceNotFoundException');

  const arn = ruleArnOf('on-custom', 'custom-bus');
  assert.deepEqual((await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [{ Key: 'team', Value: 'a' }]);
  await events.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'b' }] }));
  await events.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['env'] }));
  assert.deepEqual((await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [{ Key: 'team', Value: 'b' }]);
});

test('TestEventPattern matches as rules do', async () => {
  const event = JSON.stringify({ id: '1', account: testAccount, source: 'com.example', time: '2026-01-01T00:00:00Z', region: testRegion, 'detail-type': 'X', resources: [], detail: { n: 7 } });
  assert.equal((await events.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",5]}]}}', Event: event }))).Result, true);
  assert.equal((await events.send(new TestEventPatternCommand({ EventPattern: '{"source":[{"anything-but":"com.example"}]}', Event: event }))).Result, false);
  assert.equal((await refusal(events.send(new TestEventPatternCommand({ EventPattern: '{"source":["x"]}', Event: '{"source":"x"}' })))).message, 'Parameter Event is not valid.');
});

test('PutEvents: per-entry errors, and matched events reach permitted functions as AWS sends them', { timeout: 120_000 }, async () => {
  const rule = 'orders-to-lambda';
  const arn = ruleArnOf(rule);
  await createEventReceiver(fixture.lambda, 'ev-whole', arn);
  await createEventReceiver(fixture.lambda, 'ev-transformed', arn);
  await createEventReceiver(fixture.lambda, 'ev-not-permitted', null);
  await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['com.example.orders'], detail: { total: [{ numeric: ['>', 100] }] } }) }));
  await events.send(new PutTargetsCommand({ Rule: rule, Targets: [
    { Id: 'not-permitted', Arn: functionArn('ev-not-permitted') },
    { Id: 'whole', Arn: functionArn('ev-whole') },
    { Id: 'transformed', Arn: functionArn('ev-transformed'), InputTransformer: {
      InputPathsMap: { order: '$.detail.id', total: '$.detail.total' }, InputTemplate: '{"message": "order <order> totals <total>", "total": <total>, "rule": "<aws.events.rule-name>"}',
    } },
  ] }));

  const time = new Date('2026-03-01T10:20:30Z');
  const answer = await events.send(new PutEventsCommand({ Entries: [
    { Source: 'com.example.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-1', total: 150 }), Resources: ['arn:aws:s3:::r'], Time: time },
    { Source: 'com.example.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-2', total: 5 }) },
    { Source: 'com.example.orders', DetailType: 'Order Placed' },
    { Source: 'com.example.orders', DetailType: 'Order Placed', Detail: 'not json' },
    { Source: 'com.example.orders', DetailType: 'Order Placed', Detail: '{}', EventBusName: 'no-such-bus' },
  ] }));
  assert.equal(answer.FailedEntryCount, 2);
  const [matched, unmatched, missing, malformed, noBus] = answer.Entries!;
  assert.match(matched.EventId!, /^[0-9a-f-]{36}$/);
  assert.ok(unmatched.EventId);
  assert.deepEqual(missing, { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' });
  assert.deepEqual(malformed, { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  assert.ok(noBus.EventId && !noBus.ErrorCode, 'an event for a missing bus is accepted, as AWS does');

  const [whole] = await waitForEvents(fixture.logs, 'ev-whole', 1);
  assert.deepEqual(whole, {
    version: '0', id: matched.EventId, 'detail-type': 'Order Placed', source: 'com.example.orders', account: testAccount, time: '2026-03-01T10:20:30Z',
    region: testRegion, resources: ['arn:aws:s3:::r'], detail: { id: 'o-1', total: 150 },
  });
  const [transformed] = await waitForEvents(fixture.logs, 'ev-transformed', 1);
  assert.deepEqual(transformed, { message: 'order o-1 totals 150', total: 150, rule });
  // Delivered side by side with the permitted ones: by now it would have run too.
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(await receivedEvents(fixture.logs, 'ev-not-permitted'), []);
  assert.equal((await receivedEvents(fixture.logs, 'ev-whole')).length, 1, 'the unmatched event is not delivered');

  // A disabled rule delivers nothing.
  await events.send(new DisableRuleCommand({ Name: rule }));
  await events.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-3', total: 500 }) }] }));
  await events.send(new EnableRuleCommand({ Name: rule }));
  await events.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-4', total: 500 }) }] }));
  const all = await waitForEvents(fixture.logs, 'ev-whole', 2);
  assert.deepEqual(all.map((e) => e.detail.id).sort(), ['o-1', 'o-4']);
});

test('PutEvents refuses entries over 256 KB together', async () => {
  const detail = JSON.stringify({ big: 'x'.repeat(140 * 1024) });
  const refused = await refusal(events.send(new PutEventsCommand({ Entries: [1, 2].map(() => ({ Source: 's', DetailType: 'd', Detail: detail })) })));
  assert.deepEqual([refused.name, refused.message], ['ValidationException', 'Total size of the entries in the request is over the limit.']);
});
