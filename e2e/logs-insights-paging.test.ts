// GetQueryResults' paging and statistics as AWS's current model has them, through SDK v3, on
// SQLite and on PostgreSQL: maxItems pages with nextToken (bound to its query), 10,000 rows an
// answer without maxItems, logGroupsScanned, no skipped-record estimates (no field indexes) and no
// encryptionKey; DescribeQueries' queryLanguage filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DescribeQueriesCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand,
  type CloudWatchLogsClient, type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { TestServer, useServer } from '../src/testing/fixture.js';
import { createTestDatabase } from '../src/store/postgres/testing.js';
import { nowSeconds, queryResults, rowsOf } from '../src/testing/insights.js';

const env = useServer();

/** A group with `count` events `line 0` … (one a millisecond, oldest first), in batches PutLogEvents takes. */
async function fill(logs: CloudWatchLogsClient, group: string, count: number): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  const t0 = Date.now() - count - 1000;
  for (let from = 0; from < count; from += 5000) {
    const logEvents = Array.from({ length: Math.min(5000, count - from) }, (_, i) => ({ timestamp: t0 + from + i, message: `line ${from + i}` }));
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents }));
  }
}

const start = (logs: CloudWatchLogsClient, groups: string[], queryString: string, limit?: number) =>
  logs.send(new StartQueryCommand({ logGroupNames: groups, startTime: nowSeconds() - 3600, endTime: nowSeconds() + 60, queryString, limit })).then((o) => o.queryId!);

/** Every page of a finished query, `maxItems` rows at a time. */
async function pages(logs: CloudWatchLogsClient, queryId: string, maxItems?: number): Promise<GetQueryResultsCommandOutput[]> {
  const out: GetQueryResultsCommandOutput[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new GetQueryResultsCommand({ queryId, maxItems, nextToken }));
    out.push(page);
    nextToken = page.nextToken;
  } while (nextToken && out.length < 20);
  return out;
}

async function pagingScenario(logs: CloudWatchLogsClient, prefix: string): Promise<void> {
  await fill(logs, `${prefix}-a`, 15);
  await fill(logs, `${prefix}-b`, 10);
  const id = await start(logs, [`${prefix}-a`, `${prefix}-b`], 'fields @message | sort @timestamp asc');
  const whole = await queryResults(logs, id);
  assert.equal(whole.status, 'Complete');
  assert.equal(whole.results!.length, 25);
  assert.equal(whole.nextToken, undefined, 'everything fits one answer');
  assert.deepEqual(whole.statistics, { recordsMatched: 25, recordsScanned: 25, bytesScanned: whole.statistics!.bytesScanned, logGroupsScanned: 2 });
  assert.equal(whole.encryptionKey, undefined);
  assert.equal(whole.queryLanguage, 'CWLI');

  const paged = await pages(logs, id, 10);
  assert.deepEqual(paged.map((p) => p.results!.length), [10, 10, 5]);
  assert.deepEqual(paged.map((p) => p.nextToken !== undefined), [true, true, false]);
  assert.deepEqual(paged.flatMap((p) => rowsOf(p)), rowsOf(whole), 'the pages are the rows in order, each once');
  for (const p of paged) assert.deepEqual(p.statistics, whole.statistics);

  // A token belongs to its query.
  const other = await start(logs, [`${prefix}-b`], 'fields @message');
  await queryResults(logs, other);
  await expectAwsError(logs.send(new GetQueryResultsCommand({ queryId: other, nextToken: paged[0].nextToken })), 'InvalidParameterException', 'The specified nextToken is invalid.', 400);
  await expectAwsError(logs.send(new GetQueryResultsCommand({ queryId: id, nextToken: 'garbage' })), 'InvalidParameterException', 'The specified nextToken is invalid.', 400);
  await expectAwsError(logs.send(new GetQueryResultsCommand({ queryId: id, maxItems: 10_001 })), 'InvalidParameterException',
    "1 validation error detected: Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000", 400);

  const cwli = await logs.send(new DescribeQueriesCommand({ logGroupName: `${prefix}-a`, queryLanguage: 'CWLI' }));
  assert.deepEqual(cwli.queries!.map((q) => [q.queryId, q.queryLanguage]), [[id, 'CWLI']]);
  assert.deepEqual((await logs.send(new DescribeQueriesCommand({ logGroupName: `${prefix}-a`, queryLanguage: 'SQL' }))).queries, []);
}

test('maxItems pages with nextToken; logGroupsScanned; DescribeQueries by queryLanguage', { timeout: 60_000 }, async () => {
  await pagingScenario(env.logs, 'paging');
});

test('without maxItems an answer holds 10,000 rows, and nextToken reads the rest', { timeout: 120_000 }, async () => {
  await fill(env.logs, 'paging-many', 10_003);
  const id = await start(env.logs, ['paging-many'], 'fields @message | sort @timestamp asc', 20_000);
  await queryResults(env.logs, id, 60_000);
  const paged = await pages(env.logs, id);
  assert.deepEqual(paged.map((p) => p.results!.length), [10_000, 3]);
  assert.deepEqual(rowsOf(paged[1]).map((r) => r['@message']), ['line 10000', 'line 10001', 'line 10002']);
  assert.equal(paged[1].nextToken, undefined);
});

test('on PostgreSQL: the same pages and statistics', { timeout: 60_000 }, async () => {
  const db = await createTestDatabase();
  try {
    const server = await TestServer.start({ args: ['--database', db.url] });
    try {
      await pagingScenario(server.logs, 'pg-paging');
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
});
