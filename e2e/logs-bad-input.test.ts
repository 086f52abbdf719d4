// Hostile filter patterns: FilterLogEvents answers at once whatever the pattern and the events,
// and the server keeps serving (a backtracking regex engine would be busy for hours).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

test('regex and wildcard filter patterns run in linear time', async () => {
  const group = '/bad-input/redos';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  const id = '0123456789acdef00123456789acdef0'; // hex, without the b the hostile patterns look for
  await env.logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: 's',
    logEvents: [{ timestamp: Date.now(), message: 'a'.repeat(200_000) }, { timestamp: Date.now(), message: JSON.stringify({ a: 'a'.repeat(100_000), id }) }],
  }));
  const started = Date.now();
  for (const filterPattern of ['%a*a*a*a*a*b%', '{ $.a = "*a*a*a*a*b" }', '[x = %a*a*a*a*b%]']) {
    const found = await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }));
    assert.equal(found.events?.length, 0, filterPattern);
  }
  // Counts above the linear engine's 16 still mean what they say.
  const ids = await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '%"[0-9a-f]{32}"%' }));
  assert.equal(ids.events?.length, 1);
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  assert.ok((await env.logs.send(new DescribeLogGroupsCommand({}))).logGroups!.some((g) => g.logGroupName === group));
});
