// Logs Insights queries outlive a restart of a single node on SQLite: their status, statistics and
// results are stored. A query the node was running when it stopped or crashed ends Failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, DescribeQueriesCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TestServer } from '../src/testing/fixture.js';
import { waitFor } from '../src/testing/wait.js';
import { fillGroup, nowSeconds, queryResults, rowsOf, SLOW_QUERY } from '../src/testing/insights.js';

test('results survive a restart; queries running at a stop or a crash end Failed', { timeout: 120_000 }, async () => {
  let server = await TestServer.start();
  try {
    await server.logs.send(new CreateLogGroupCommand({ logGroupName: 'kept' }));
    await server.logs.send(new CreateLogStreamCommand({ logGroupName: 'kept', logStreamName: 's' }));
    await server.logs.send(new PutLogEventsCommand({ logGroupName: 'kept', logStreamName: 's', logEvents: [
      { timestamp: Date.now() - 1000, message: 'request took 120 ms' }, { timestamp: Date.now(), message: 'request took 80 ms' },
    ] }));
    const { queryId } = await server.logs.send(new StartQueryCommand({
      logGroupName: 'kept', startTime: nowSeconds() - 60, endTime: nowSeconds() + 60,
      queryString: 'parse @message "request took * ms" as ms | stats sum(ms) as total, max(ms) as worst',
    }));
    const before = await queryResults(server.logs, queryId!);
    assert.equal(before.status, 'Complete');

    server = await server.restart();
    const after = await server.logs.send(new GetQueryResultsCommand({ queryId }));
    assert.deepEqual(after.status, 'Complete');
    assert.deepEqual(rowsOf(after), [{ total: '200', worst: '120' }]);
    assert.deepEqual(after.statistics, before.statistics);
    assert.deepEqual((await server.logs.send(new DescribeQueriesCommand({}))).queries!.map((q) => [q.queryId, q.status]), [[queryId, 'Complete']]);

    await fillGroup(server.logs, 'bulk', 60_000);
    const runUntil = async (how: { crash?: boolean }) => {
      const { queryId: id } = await server.logs.send(new StartQueryCommand({ logGroupName: 'bulk', startTime: nowSeconds() - 300, endTime: nowSeconds() + 60, queryString: SLOW_QUERY }));
      await waitFor('the query runs', async () => ((await server.logs.send(new GetQueryResultsCommand({ queryId: id }))).status === 'Running' ? true : undefined), 10_000);
      server = await server.restart(how);
      return server.logs.send(new GetQueryResultsCommand({ queryId: id }));
    };
    const crashed = await runUntil({ crash: true });
    assert.equal(crashed.status, 'Failed', 'at once after the restart');
    assert.deepEqual(crashed.results, []);
    assert.equal((await runUntil({})).status, 'Failed');
    assert.deepEqual((await server.logs.send(new DescribeQueriesCommand({ status: 'Failed' }))).queries!.length, 2);
  } finally {
    await server.stop();
  }
});
