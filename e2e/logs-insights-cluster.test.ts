// Logs Insights in a cluster (two nodes on one PostgreSQL database): a query started on node A is
// answered by node B (GetQueryResults, DescribeQueries); a StopQuery on B cancels the query A is
// running; a query whose node dies while it runs ends Failed; results outlive a node's restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DescribeQueriesCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand, StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { TestServer } from '../src/testing/fixture.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';
import { fillGroup, nowSeconds, queryResults, rowsOf, runningQueries, SLOW_QUERY } from '../src/testing/insights.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

/** Events enough that a query over them runs for a while (a second or more). */
const BULK = 60_000;

test('two nodes: any node answers for a query, stops it, and reports its node\'s death', { timeout: 180_000 }, async () => {
  database = await createTestDatabase();
  // A short heartbeat (--insights-limits) so that a query over BULK events is seen Running, with
  // events scanned, before it ends even on a fast machine; a node is then taken for dead after 3 s.
  const start = () => TestServer.start({ args: ['--database', database!.url, '--insights-limits', '30,150,3600000'] });
  let [a, b] = [await start(), await start()];
  try {
    const group = 'insights-cluster';
    await a.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await a.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
    const t = Date.now();
    await a.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [
      { timestamp: t - 2000, message: '{"status":200,"path":"/a"}' },
      { timestamp: t - 1000, message: '{"status":500,"path":"/b"}' },
      { timestamp: t, message: '{"status":200,"path":"/a"}' },
    ] }));

    // Started on A, answered by B.
    const queryString = 'stats count(*) as hits by path | sort hits desc';
    const { queryId } = await a.logs.send(new StartQueryCommand({ logGroupName: group, startTime: nowSeconds() - 60, endTime: nowSeconds() + 60, queryString }));
    const done = await queryResults(b.logs, queryId!);
    assert.equal(done.status, 'Complete');
    assert.deepEqual(rowsOf(done), [{ path: '/a', hits: '2' }, { path: '/b', hits: '1' }]);
    assert.deepEqual(done.statistics, { recordsMatched: 3, recordsScanned: 3, bytesScanned: 78, logGroupsScanned: 1 });
    const described = (await b.logs.send(new DescribeQueriesCommand({ logGroupName: group }))).queries!;
    assert.equal(described.length, 1);
    assert.equal(described[0].queryId, queryId);
    assert.equal(described[0].status, 'Complete');
    assert.equal(described[0].queryString, queryString);
    assert.equal(described[0].bytesScanned, 78);
    assert.ok(described[0].queryDuration! >= 0 && described[0].createTime! <= Date.now());
    assert.equal((await b.logs.send(new StopQueryCommand({ queryId }))).success, false, 'a query that has ended cannot be stopped');
    await expectAwsError(b.logs.send(new GetQueryResultsCommand({ queryId: '00000000-0000-0000-0000-000000000000' })),
      'ResourceNotFoundException', 'The specified query does not exist.', 400);

    // A query running on A, stopped through B: A stops running it, and it stays Cancelled.
    await fillGroup(a.logs, 'insights-bulk', BULK);
    const slow = await a.logs.send(new StartQueryCommand({ logGroupName: 'insights-bulk', startTime: nowSeconds() - 300, endTime: nowSeconds() + 60, queryString: SLOW_QUERY }));
    assert.equal((await b.logs.send(new StopQueryCommand({ queryId: slow.queryId }))).success, true);
    assert.equal((await b.logs.send(new GetQueryResultsCommand({ queryId: slow.queryId }))).status, 'Cancelled');
    assert.equal((await b.logs.send(new DescribeQueriesCommand({ status: 'Cancelled' }))).queries!.map((q) => q.queryId).join(), slow.queryId);
    await waitFor('node A stops running the cancelled query', async () => ((await runningQueries(a.url)) === 0 ? true : undefined), 10_000);
    const cancelled = await a.logs.send(new GetQueryResultsCommand({ queryId: slow.queryId }));
    assert.equal(cancelled.status, 'Cancelled');
    assert.deepEqual(cancelled.results, []);
    assert.ok(cancelled.statistics!.recordsScanned! < BULK, JSON.stringify(cancelled.statistics));
    assert.equal((await a.logs.send(new StopQueryCommand({ queryId: slow.queryId }))).success, false);

    // The same query left to run: Complete, read through B.
    const full = await a.logs.send(new StartQueryCommand({ logGroupName: 'insights-bulk', startTime: nowSeconds() - 300, endTime: nowSeconds() + 60, queryString: SLOW_QUERY }));
    const fullOut = await queryResults(b.logs, full.queryId!, 60_000);
    assert.equal(fullOut.status, 'Complete');
    assert.equal(fullOut.statistics!.recordsScanned, BULK);
    assert.equal(rowsOf(fullOut).length, 97);

    // A dies while running a query: B reports it Failed once A has stopped reporting.
    const orphan = await a.logs.send(new StartQueryCommand({ logGroupName: 'insights-bulk', startTime: nowSeconds() - 300, endTime: nowSeconds() + 60, queryString: SLOW_QUERY }));
    const scannedOnA = await waitFor('the query runs on A', async () => {
      const out = await b.logs.send(new GetQueryResultsCommand({ queryId: orphan.queryId }));
      return out.status === 'Running' && out.statistics!.recordsScanned! > 0 ? out.statistics!.recordsScanned! : undefined;
    }, 10_000);
    await a.server.kill9();
    const failed = await waitFor('B reports the dead node\'s query Failed', async () => {
      const out = await b.logs.send(new GetQueryResultsCommand({ queryId: orphan.queryId }));
      return out.status === 'Failed' ? out : undefined;
    }, 40_000);
    assert.deepEqual(failed.results, []);
    assert.ok(failed.statistics!.recordsScanned! >= scannedOnA, 'a failed query keeps its statistics so far');
    assert.equal((await b.logs.send(new DescribeQueriesCommand({ status: 'Failed' }))).queries!.map((q) => q.queryId).join(), orphan.queryId);

    // B restarts: every query is still there, with its results.
    b = await b.restart();
    const again = await b.logs.send(new GetQueryResultsCommand({ queryId }));
    assert.equal(again.status, 'Complete');
    assert.deepEqual(rowsOf(again), [{ path: '/a', hits: '2' }, { path: '/b', hits: '1' }]);
    assert.equal((await b.logs.send(new DescribeQueriesCommand({}))).queries!.length, 4);
  } finally {
    await b.stop();
    await a.stop();
  }
});
