// Logs Insights end to end: a function is invoked, then StartQuery runs queries over its log group
// (stats over REPORT lines by bin, fields/filter/sort/limit) and GetQueryResults is polled until
// the query completes; through SDK v3, the AWS CLI, and on PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DescribeQueriesCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { TestServer, useServer } from '../src/testing/fixture.js';
import { createTestDatabase } from '../src/store/postgres/testing.js';
import { nowSeconds, queryResults as results, rowsOf } from '../src/testing/insights.js';

const env = useServer();

test('stats over a function\'s REPORT lines by bin(1m), and a fields/filter/sort/limit query', { timeout: 60_000 }, async () => {
  await createNodeFunction(env.lambda, 'insights-fn', 'exports.handler = async (event) => { console.log(JSON.stringify({ level: "INFO", n: event.n })); return event.n; };\n');
  const start = nowSeconds() - 60;
  for (let n = 1; n <= 4; n++) {
    const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'insights-fn', Payload: Buffer.from(JSON.stringify({ n })) }));
    assert.equal(out.FunctionError, undefined);
  }
  const group = '/aws/lambda/insights-fn';
  const { queryId } = await env.logs.send(new StartQueryCommand({
    logGroupName: group, startTime: start, endTime: nowSeconds() + 60,
    queryString: 'filter @type = "REPORT" | stats avg(@duration), max(@maxMemoryUsed), count(*) as invocations by bin(1m)',
  }));
  assert.match(queryId!, /^[0-9a-f-]{36}$/);
  const stats = await results(env.logs, queryId!);
  assert.equal(stats.status, 'Complete');
  const rows = rowsOf(stats);
  assert.ok(rows.length >= 1 && rows.length <= 2, JSON.stringify(rows));
  assert.equal(rows.reduce((sum, r) => sum + Number(r.invocations), 0), 4);
  for (const r of rows) {
    assert.match(r['bin(1m)'], /^\d{4}-\d\d-\d\d \d\d:\d\d:00\.000$/);
    assert.ok(Number(r['avg(@duration)']) > 0, JSON.stringify(r));
    assert.equal(Number(r['max(@maxMemoryUsed)']) % 1_000_000, 0, 'Max Memory Used in bytes');
  }
  assert.equal(stats.statistics!.recordsMatched, 4);
  assert.ok(stats.statistics!.recordsScanned! >= 16, JSON.stringify(stats.statistics));
  assert.ok(stats.statistics!.bytesScanned! > 0);

  const listed = await env.logs.send(new StartQueryCommand({
    logGroupNames: [group], startTime: start, endTime: nowSeconds() + 60,
    queryString: 'fields @timestamp, @message, n | filter @message like /INFO/ and n >= 2 | sort n desc | limit 2',
  }));
  const top = await results(env.logs, listed.queryId!);
  assert.deepEqual(rowsOf(top).map((r) => r.n), ['4', '3']);
  assert.ok(top.results!.every((row) => row.some((f) => f.field === '@ptr')));
  assert.equal(top.statistics!.recordsMatched, 3);

  const described = await env.logs.send(new DescribeQueriesCommand({ logGroupName: group, status: 'Complete' }));
  assert.deepEqual(new Set(described.queries!.map((q) => q.queryId)), new Set([queryId, listed.queryId]));
  assert.equal((await env.logs.send(new DescribeQueriesCommand({ logGroupName: group, maxResults: 1 }))).queries!.length, 1);
  assert.equal((await env.logs.send(new StopQueryCommand({ queryId: queryId! }))).success, false, 'a finished query cannot be stopped');
});

test('errors: unknown group, malformed query with its location, reversed time range, unknown query', async () => {
  await expectAwsError(env.logs.send(new StartQueryCommand({ logGroupName: 'nope', startTime: 0, endTime: 10, queryString: 'fields @message' })),
    'ResourceNotFoundException', 'The specified log group does not exist.', 400);
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: 'insights-errors' }));
  const bad = env.logs.send(new StartQueryCommand({ logGroupName: 'insights-errors', startTime: 0, endTime: 10, queryString: 'fields @message | frobnicate' }));
  await expectAwsError(bad, 'MalformedQueryException', 'unknown command: frobnicate', 400);
  const error = (await bad.catch((e: unknown) => e)) as { queryCompileError?: unknown };
  assert.deepEqual(error.queryCompileError, { location: { startCharOffset: 18, endCharOffset: 28 }, message: 'unknown command: frobnicate' });
  await expectAwsError(env.logs.send(new StartQueryCommand({ logGroupName: 'insights-errors', startTime: 10, endTime: 0, queryString: 'fields @message' })),
    'InvalidParameterException', undefined, 400);
  await expectAwsError(env.logs.send(new GetQueryResultsCommand({ queryId: '00000000-0000-0000-0000-000000000000' })), 'ResourceNotFoundException', undefined, 400);
});

test('aws logs start-query and get-query-results', { timeout: 60_000 }, async () => {
  const group = 'insights-cli';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  const t = Date.now();
  await env.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [
    { timestamp: t - 2000, message: '{"status":200,"path":"/a"}' },
    { timestamp: t - 1000, message: '{"status":500,"path":"/b"}' },
    { timestamp: t, message: '{"status":200,"path":"/a"}' },
  ] }));
  const started = await awsCli(env.url, ['logs', 'start-query', '--log-group-name', group, '--start-time', String(nowSeconds() - 60),
    '--end-time', String(nowSeconds() + 60), '--query-string', 'stats count(*) as hits by path | sort hits desc']);
  assert.equal(started.code, 0, started.stderr);
  const { queryId } = JSON.parse(started.stdout) as { queryId: string };
  await results(env.logs, queryId);
  const got = await awsCli(env.url, ['logs', 'get-query-results', '--query-id', queryId]);
  assert.equal(got.code, 0, got.stderr);
  const out = JSON.parse(got.stdout) as { status: string; results: { field: string; value: string }[][] };
  assert.equal(out.status, 'Complete');
  assert.deepEqual(out.results, [[{ field: 'path', value: '/a' }, { field: 'hits', value: '2' }], [{ field: 'path', value: '/b' }, { field: 'hits', value: '1' }]]);
  const malformed = await awsCli(env.url, ['logs', 'start-query', '--log-group-name', group, '--start-time', '0', '--end-time', '10', '--query-string', 'stats']);
  assert.equal(malformed.code, 254);
  assert.match(malformed.stderr, /MalformedQueryException/);
});

test('on PostgreSQL: a query reads the events through the store', { timeout: 60_000 }, async () => {
  const db = await createTestDatabase();
  try {
    const server = await TestServer.start({ args: ['--database', db.url] });
    try {
      const logs = server.logs;
      await logs.send(new CreateLogGroupCommand({ logGroupName: 'pg-insights' }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'pg-insights', logStreamName: 's' }));
      const t = Date.now();
      await logs.send(new PutLogEventsCommand({ logGroupName: 'pg-insights', logStreamName: 's', logEvents: [
        { timestamp: t - 1000, message: 'request took 120 ms' }, { timestamp: t, message: 'request took 80 ms' },
      ] }));
      const { queryId } = await logs.send(new StartQueryCommand({
        logGroupIdentifiers: ['pg-insights'], startTime: nowSeconds() - 60, endTime: nowSeconds() + 60,
        queryString: 'parse @message "request took * ms" as ms | stats sum(ms) as total, max(ms) as worst',
      }));
      const out = await results(logs, queryId!);
      assert.deepEqual(rowsOf(out), [{ total: '200', worst: '120' }]);
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
});
