// Logs Insights across two nodes on one PostgreSQL database, with a shortened heartbeat and a
// concurrency limit of 3 (--insights-limits): node B answers the partial results and statistics of
// a query node A is running, and StartQuery calls sent to both nodes at the same instant never run
// more queries than the limit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeQueriesCommand, GetQueryResultsCommand, StopQueryCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { TestServer } from '../src/testing/fixture.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { assertPartialResults, fillGroup, rowsOf, startSlowQuery, watchQuery } from '../src/testing/insights.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

const BULK = 60_000;
const LIMIT = 3;

test('two nodes: partial results read through the other node; the concurrency limit holds across nodes', { timeout: 180_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--insights-limits', `${LIMIT},100,3600000`] });
  const [a, b] = [await start(), await start()];
  try {
    await fillGroup(a.logs, 'partial-cluster', BULK);
    const startSlow = (logs: CloudWatchLogsClient) => startSlowQuery(logs, 'partial-cluster');

    // Running on A, watched through B.
    const { running, done } = await watchQuery(b.logs, await startSlow(a.logs), 60_000);
    assertPartialResults(running);
    assert.equal(done.status, 'Complete');
    assert.equal(done.statistics!.recordsScanned, BULK);
    assert.equal(rowsOf(done).length, 97);

    // Eight StartQuery calls on each node at once: exactly LIMIT run, the others are refused.
    const calls = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => startSlow(i % 2 ? b.logs : a.logs)));
    const started = calls.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    assert.equal(started.length, LIMIT, `${started.length} queries started`);
    for (const c of calls) {
      if (c.status === 'rejected') await expectAwsError(Promise.reject(c.reason), 'LimitExceededException', `Account maximum query concurrency limit of [${LIMIT}] reached.`, 400);
    }
    const inFlight = async () => {
      const [scheduled, runningNow] = await Promise.all((['Scheduled', 'Running'] as const).map((status) => b.logs.send(new DescribeQueriesCommand({ status }))));
      return scheduled.queries!.length + runningNow.queries!.length;
    };
    assert.ok((await inFlight()) <= LIMIT);

    // A further StartQuery is refused while LIMIT queries are in flight. On a slow machine one of
    // them may have completed in the meantime, which legitimately frees its slot: then the call
    // must have found that room, and the limit must still hold.
    const ended = async (ids: string[]) => {
      const statuses = await Promise.all(ids.map(async (queryId) => (await b.logs.send(new GetQueryResultsCommand({ queryId }))).status));
      return statuses.filter((status) => status !== 'Scheduled' && status !== 'Running').length;
    };
    const refusedOrRoomWasFreed = async (logs: CloudWatchLogsClient, running: string[]): Promise<string[]> => {
      const outcome = await startSlow(logs).then((id) => ({ id }), (error: unknown) => ({ error }));
      if ('error' in outcome) {
        await expectAwsError(Promise.reject(outcome.error), 'LimitExceededException', `Account maximum query concurrency limit of [${LIMIT}] reached.`, 400);
        return [];
      }
      assert.ok((await ended(running)) > 0, 'a query started beyond the limit while every other one was still in flight');
      assert.ok((await inFlight()) <= LIMIT);
      return [outcome.id];
    };
    const extra = await refusedOrRoomWasFreed(b.logs, started);

    // Once one is stopped, there is room for one more, on either node. On a slow machine the query
    // may have completed first: StopQuery then answers success false, and its slot is free anyway.
    const stopped = (await a.logs.send(new StopQueryCommand({ queryId: started[0] }))).success;
    if (!stopped) assert.equal(await ended([started[0]!]), 1, 'StopQuery refused a query that was still in flight');
    const more = await startSlow(b.logs);
    const alsoMore = await refusedOrRoomWasFreed(a.logs, [...started.slice(1), ...extra, more]);
    for (const id of [...started.slice(1), ...extra, more, ...alsoMore]) await b.logs.send(new StopQueryCommand({ queryId: id }));
    assert.equal(await inFlight(), 0);
  } finally {
    await b.stop();
    await a.stop();
  }
});
