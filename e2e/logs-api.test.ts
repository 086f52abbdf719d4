// CloudWatch Logs end to end through the AWS SDK v3 and raw JSON 1.1 requests: groups, streams,
// events, paging tokens, filter patterns, retention, tags, AWS's errors, and persistence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, CreateLogStreamCommand, DeleteLogStreamCommand,
  DescribeLogStreamsCommand, PutLogEventsCommand, GetLogEventsCommand, FilterLogEventsCommand, PutRetentionPolicyCommand,
  DeleteRetentionPolicyCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand, TagLogGroupCommand,
  ListTagsLogGroupCommand, type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

/** CloudWatch Logs answers every error these tests provoke with 400. */
const expectError = (call: Promise<unknown>, name: string, message?: string | RegExp) => expectAwsError(call, name, message, 400);

async function groupWithStream(group: string, stream = 's1') {
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

const put = (group: string, stream: string, logEvents: InputLogEvent[]) =>
  env.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));

/** Raw JSON 1.1 call, to check the wire format itself. */
async function rawCall(target: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(env.server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target, ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

test('log group lifecycle: create, duplicate, describe, delete, and not found', async () => {
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: '/life/one', logGroupClass: 'STANDARD' }));
  await expectError(env.logs.send(new CreateLogGroupCommand({ logGroupName: '/life/one' })), 'ResourceAlreadyExistsException', 'The specified log group already exists');
  const { logGroups } = await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/life/' }));
  assert.equal(logGroups?.length, 1);
  const g = logGroups![0];
  assert.equal(g.logGroupName, '/life/one');
  assert.equal(g.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/life/one:*');
  assert.equal(g.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/life/one');
  assert.equal(g.storedBytes, 0);
  assert.equal(g.metricFilterCount, 0);
  assert.equal(g.logGroupClass, 'STANDARD');
  assert.equal(g.retentionInDays, undefined);
  assert.ok(Math.abs(g.creationTime! - Date.now()) < 60_000);
  await env.logs.send(new DeleteLogGroupCommand({ logGroupName: '/life/one' }));
  await expectError(env.logs.send(new DeleteLogGroupCommand({ logGroupName: '/life/one' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  assert.deepEqual((await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/life/' }))).logGroups, []);
});

test('DescribeLogGroups pages with nextToken and filters by case-sensitive pattern (brief fields only)', async () => {
  for (const n of ['a', 'b', 'c', 'd', 'e']) await env.logs.send(new CreateLogGroupCommand({ logGroupName: `/paging/${n}` }));
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: '/other/DataLogs' }));
  const seen: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/paging/', limit: 2, nextToken }));
    seen.push(...page.logGroups!.map((g) => g.logGroupName!));
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  assert.deepEqual(seen, ['/paging/a', '/paging/b', '/paging/c', '/paging/d', '/paging/e']);
  assert.equal(pages, 3);
  const byPattern = await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'DataLogs' }));
  assert.deepEqual(byPattern.logGroups, [{
    logGroupName: '/other/DataLogs',
    creationTime: byPattern.logGroups![0].creationTime,
    arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/other/DataLogs:*',
  }]);
  assert.deepEqual((await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'datalogs' }))).logGroups, []);
  await expectError(env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/a', logGroupNamePattern: 'b' })), 'InvalidParameterException',
    'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  await expectError(env.logs.send(new DescribeLogGroupsCommand({ nextToken: 'garbage' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
});

test('model validation answers InvalidParameterException in AWS words', async () => {
  await expectError(env.logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name' })), 'InvalidParameterException',
    "1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
  await expectError(env.logs.send(new DescribeLogGroupsCommand({ limit: 51 })), 'InvalidParameterException',
    "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50");
  await expectError(env.logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'a:b' })), 'InvalidParameterException', /logStreamName.*\[\^:\*\]\*/);
});

test('streams: create, duplicate, describe by name or last event time, paging, delete', async () => {
  const g = '/streams/demo';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  await expectError(env.logs.send(new CreateLogStreamCommand({ logGroupName: '/streams/missing', logStreamName: 's' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  for (const s of ['alpha', 'beta', 'gamma']) await env.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: s }));
  await expectError(env.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 'alpha' })), 'ResourceAlreadyExistsException', 'The specified log stream already exists');
  const now = Date.now();
  await put(g, 'gamma', [{ timestamp: now - 3000, message: 'first' }]);
  await put(g, 'alpha', [{ timestamp: now - 2000, message: 'second' }, { timestamp: now - 1000, message: 'third' }]);

  const byName = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: g }));
  assert.deepEqual(byName.logStreams!.map((s) => s.logStreamName), ['alpha', 'beta', 'gamma']);
  const alpha = byName.logStreams![0];
  assert.equal(alpha.firstEventTimestamp, now - 2000);
  assert.equal(alpha.lastEventTimestamp, now - 1000);
  assert.ok(alpha.lastIngestionTime! >= now - 5000);
  assert.equal(alpha.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/streams/demo:log-stream:alpha');
  assert.equal(alpha.storedBytes, 0);
  assert.equal(byName.logStreams![1].lastEventTimestamp, undefined);

  const latestFirst = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: g, orderBy: 'LastEventTime', descending: true }));
  assert.deepEqual(latestFirst.logStreams!.map((s) => s.logStreamName), ['alpha', 'gamma', 'beta']);
  const prefixed = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: g, logStreamNamePrefix: 'g' }));
  assert.deepEqual(prefixed.logStreams!.map((s) => s.logStreamName), ['gamma']);
  await expectError(env.logs.send(new DescribeLogStreamsCommand({ logGroupName: g, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })),
    'InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');

  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: g, orderBy: 'LastEventTime', descending: true, limit: 1, nextToken }));
    names.push(...page.logStreams!.map((s) => s.logStreamName!));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepEqual(names, ['alpha', 'gamma', 'beta']);

  const byArn = await env.logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:/streams/demo', limit: 1 }));
  assert.equal(byArn.logStreams![0].logStreamName, 'alpha');

  await env.logs.send(new DeleteLogStreamCommand({ logGroupName: g, logStreamName: 'beta' }));
  await expectError(env.logs.send(new DeleteLogStreamCommand({ logGroupName: g, logStreamName: 'beta' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
  const group = (await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g }))).logGroups![0];
  assert.equal(group.storedBytes, 'first'.length + 'second'.length + 'third'.length);
});

test('PutLogEvents: order check, rejected old and future events, missing targets', async () => {
  const g = '/put/demo';
  await groupWithStream(g);
  const now = Date.now();
  await expectError(put(g, 's1', [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }]), 'InvalidParameterException',
    'Log events in a single PutLogEvents request must be in chronological order.');
  const res = await put(g, 's1', [
    { timestamp: now - 15 * 86_400_000, message: 'too old' },
    { timestamp: now, message: 'fine' },
    { timestamp: now + 3 * 3_600_000, message: 'too new' },
  ]).catch((e) => e);
  // More than 24 hours apart in one batch is refused outright.
  assert.equal(res.name, 'InvalidParameterException');
  const accepted = await put(g, 's1', [{ timestamp: now - 20 * 3_600_000, message: 'old-ish' }, { timestamp: now, message: 'fine' }, { timestamp: now + 3 * 3_600_000, message: 'too new' }]);
  assert.deepEqual(accepted.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 2 });
  assert.match(accepted.nextSequenceToken!, /^\d{56}$/);
  const events = await env.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: 's1', startFromHead: true }));
  assert.deepEqual(events.events!.map((e) => e.message), ['old-ish', 'fine']);
  await expectError(put(g, 'nope', [{ timestamp: now, message: 'x' }]), 'ResourceNotFoundException', 'The specified log stream does not exist.');
  await expectError(put('/put/none', 's1', [{ timestamp: now, message: 'x' }]), 'ResourceNotFoundException', 'The specified log group does not exist.');
  await expectError(put(g, 's1', []), 'InvalidParameterException', /at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  await expectError(put(g, 's1', [{ timestamp: now, message: 'ok' }, { timestamp: undefined, message: '' }]), 'InvalidParameterException',
    "2 validation errors detected: Value null at 'logEvents.2.member.timestamp' failed to satisfy constraint: Member must not be null; "
    + "Value '' at 'logEvents.2.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1");
});

test('GetLogEvents: head and tail, forward and backward tokens, the same token at the end, time range', async () => {
  const g = '/get/demo';
  await groupWithStream(g);
  const base = Date.now() - 60_000;
  await put(g, 's1', Array.from({ length: 10 }, (_, i) => ({ timestamp: base + i * 1000, message: `event ${i}` })));
  const get = (extra: Partial<ConstructorParameters<typeof GetLogEventsCommand>[0]>) =>
    env.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: 's1', ...extra }));
  const msgs = (r: { events?: { message?: string }[] }) => r.events!.map((e) => e.message);

  const tail = await get({ limit: 3 });
  assert.deepEqual(msgs(tail), ['event 7', 'event 8', 'event 9']);
  assert.equal(tail.events![0].timestamp, base + 7000);
  assert.ok(tail.events![0].ingestionTime! >= base);
  const older = await get({ limit: 3, nextToken: tail.nextBackwardToken });
  assert.deepEqual(msgs(older), ['event 4', 'event 5', 'event 6']);

  const head = await get({ limit: 4, startFromHead: true });
  assert.deepEqual(msgs(head), ['event 0', 'event 1', 'event 2', 'event 3']);
  assert.match(head.nextForwardToken!, /^f\/\d{56}\/s$/);
  assert.match(head.nextBackwardToken!, /^b\/\d{56}\/s$/);
  const next = await get({ limit: 4, nextToken: head.nextForwardToken, startFromHead: true });
  assert.deepEqual(msgs(next), ['event 4', 'event 5', 'event 6', 'event 7']);
  const last = await get({ limit: 4, nextToken: next.nextForwardToken, startFromHead: true });
  assert.deepEqual(msgs(last), ['event 8', 'event 9']);
  const end = await get({ limit: 4, nextToken: last.nextForwardToken, startFromHead: true });
  assert.deepEqual(msgs(end), []);
  assert.equal(end.nextForwardToken, last.nextForwardToken);
  assert.equal((await get({ nextToken: end.nextForwardToken })).nextForwardToken, last.nextForwardToken);

  // Tailing: new events appear after the end token.
  await put(g, 's1', [{ timestamp: base + 20_000, message: 'event 10' }]);
  const more = await get({ nextToken: end.nextForwardToken, startFromHead: true });
  assert.deepEqual(msgs(more), ['event 10']);
  assert.notEqual(more.nextForwardToken, end.nextForwardToken);

  const range = await get({ startFromHead: true, startTime: base + 2000, endTime: base + 5000 });
  assert.deepEqual(msgs(range), ['event 2', 'event 3', 'event 4']);

  await expectError(get({ nextToken: 'x/123' }), 'InvalidParameterException', 'The specified nextToken is invalid.');
  await expectError(get({ logStreamName: 'nope' }), 'ResourceNotFoundException', 'The specified log stream does not exist.');
  await expectError(env.logs.send(new GetLogEventsCommand({ logGroupName: '/get/none', logStreamName: 's1' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
});

test('FilterLogEvents: interleaving, stream selection, filter patterns, paging, errors', async () => {
  const g = '/filter/demo';
  await groupWithStream(g, 'web-1');
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 'web-2' }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 'worker' }));
  const t = Date.now() - 30_000;
  await put(g, 'web-1', [{ timestamp: t, message: '[ERROR] disk full' }, { timestamp: t + 3, message: 'INFO request done' }]);
  await put(g, 'web-2', [{ timestamp: t + 1, message: 'WARN slow request' }, { timestamp: t + 4, message: '{"level":"ERROR","latency":900}' }]);
  await put(g, 'worker', [{ timestamp: t + 2, message: '{"level":"INFO","latency":20}' }, { timestamp: t + 5, message: 'ERROR Exiting' }]);
  const filter = async (extra: Partial<ConstructorParameters<typeof FilterLogEventsCommand>[0]>) =>
    (await env.logs.send(new FilterLogEventsCommand({ logGroupName: g, ...extra }))).events!.map((e) => `${e.logStreamName} ${e.message}`);

  assert.deepEqual(await filter({}), [
    'web-1 [ERROR] disk full', 'web-2 WARN slow request', 'worker {"level":"INFO","latency":20}',
    'web-1 INFO request done', 'web-2 {"level":"ERROR","latency":900}', 'worker ERROR Exiting',
  ]);
  assert.deepEqual(await filter({ filterPattern: 'ERROR' }), ['web-1 [ERROR] disk full', 'web-2 {"level":"ERROR","latency":900}', 'worker ERROR Exiting']);
  assert.deepEqual(await filter({ filterPattern: 'ERROR -Exiting' }), ['web-1 [ERROR] disk full', 'web-2 {"level":"ERROR","latency":900}']);
  assert.deepEqual(await filter({ filterPattern: '?WARN ?INFO' }), ['web-2 WARN slow request', 'worker {"level":"INFO","latency":20}', 'web-1 INFO request done']);
  assert.deepEqual(await filter({ filterPattern: '"request done"' }), ['web-1 INFO request done']);
  assert.deepEqual(await filter({ filterPattern: '{ $.level = "ERROR" }' }), ['web-2 {"level":"ERROR","latency":900}']);
  assert.deepEqual(await filter({ filterPattern: '{ $.latency > 100 || $.level = INFO }' }), ['worker {"level":"INFO","latency":20}', 'web-2 {"level":"ERROR","latency":900}']);
  assert.deepEqual(await filter({ logStreamNames: ['worker'] }), ['worker {"level":"INFO","latency":20}', 'worker ERROR Exiting']);
  assert.deepEqual(await filter({ logStreamNamePrefix: 'web', filterPattern: 'request' }), ['web-2 WARN slow request', 'web-1 INFO request done']);
  assert.deepEqual(await filter({ startTime: t + 2, endTime: t + 4 }), ['worker {"level":"INFO","latency":20}', 'web-1 INFO request done', 'web-2 {"level":"ERROR","latency":900}']);

  const first = await env.logs.send(new FilterLogEventsCommand({ logGroupName: g, limit: 4 }));
  assert.equal(first.events!.length, 4);
  assert.ok(first.nextToken);
  assert.match(first.events![0].eventId!, /^\d{56}$/);
  const second = await env.logs.send(new FilterLogEventsCommand({ logGroupName: g, limit: 4, nextToken: first.nextToken }));
  assert.deepEqual(second.events!.map((e) => e.message), ['{"level":"ERROR","latency":900}', 'ERROR Exiting']);
  assert.equal(second.nextToken, undefined);

  await expectError(filter({ filterPattern: '{ $.level = }' }), 'InvalidParameterException', 'Invalid filter pattern');
  await expectError(filter({ logStreamNames: ['a'], logStreamNamePrefix: 'a' }), 'InvalidParameterException');
  await expectError(env.logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/none' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
});

test('retention policies and tags', async () => {
  const g = '/policy/demo';
  const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/policy/demo';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: g, tags: { team: 'core' } }));
  await env.logs.send(new PutRetentionPolicyCommand({ logGroupName: g, retentionInDays: 14 }));
  assert.equal((await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g }))).logGroups![0].retentionInDays, 14);
  await expectError(env.logs.send(new PutRetentionPolicyCommand({ logGroupName: g, retentionInDays: 2 })), 'InvalidParameterException',
    "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]");
  await env.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: g }));
  assert.equal((await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g }))).logGroups![0].retentionInDays, undefined);
  await expectError(env.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/policy/none', retentionInDays: 1 })), 'ResourceNotFoundException');

  assert.deepEqual((await env.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'core' });
  await env.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'dév', owner: 'a@b.c' } }));
  await env.logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
  assert.deepEqual((await env.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'dév', owner: 'a@b.c' });
  await env.logs.send(new TagLogGroupCommand({ logGroupName: g, tags: { legacy: 'yes' } }));
  assert.equal((await env.logs.send(new ListTagsLogGroupCommand({ logGroupName: g }))).tags!.legacy, 'yes');
  await expectError(env.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { 'bad!key': 'x' } })), 'InvalidParameterException', /Map keys must satisfy constraint/);
  await expectError(env.logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/policy/none' })),
    'ResourceNotFoundException', 'The specified log group does not exist.');
});

test('wire format: JSON 1.1 content type, __type errors with x-amzn-ErrorType, unknown operations, malformed JSON', async () => {
  const ok = await rawCall('Logs_20140328.DescribeLogGroups', '{"limit":1}');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-type'), 'application/x-amz-json-1.1');
  assert.ok(ok.headers.get('x-amzn-requestid'));
  assert.ok(Array.isArray(JSON.parse(ok.body).logGroups));

  const created = await rawCall('Logs_20140328.CreateLogGroup', '{"logGroupName":"/wire/x"}');
  assert.equal(created.status, 200);
  assert.equal(created.body, '{}');

  const missing = await rawCall('Logs_20140328.DeleteLogGroup', '{"logGroupName":"/wire/none"}');
  assert.equal(missing.status, 400);
  assert.equal(missing.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
  assert.deepEqual(JSON.parse(missing.body), { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });

  const unknown = await rawCall('Logs_20140328.NoSuchThing', '{}');
  assert.equal(unknown.status, 400);
  assert.equal(JSON.parse(unknown.body).__type, 'UnknownOperationException');

  const malformed = await rawCall('Logs_20140328.DescribeLogGroups', '{not json');
  assert.equal(malformed.status, 400);
  assert.equal(JSON.parse(malformed.body).__type, 'SerializationException');

  const mistyped = await rawCall('Logs_20140328.DescribeLogGroups', '{"limit":"ten"}');
  assert.equal(JSON.parse(mistyped.body).__type, 'SerializationException');
});

test('groups, streams and events survive a restart', async () => {
  const g = '/persist/demo';
  await groupWithStream(g);
  const now = Date.now();
  await put(g, 's1', [{ timestamp: now, message: 'kept across restarts' }]);
  await env.logs.send(new PutRetentionPolicyCommand({ logGroupName: g, retentionInDays: 30 }));
  await env.restart();
  const events = await env.logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: 's1', startFromHead: true }));
  assert.deepEqual(events.events!.map((e) => [e.timestamp, e.message]), [[now, 'kept across restarts']]);
  assert.equal((await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g }))).logGroups![0].retentionInDays, 30);
});
