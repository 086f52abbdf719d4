// The InsightsQueryStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { InsightsQueryStore, NewInsightsQuery } from '../insights-query-store.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const query = (id: string, extra: Partial<NewInsightsQuery> = {}): NewInsightsQuery => ({
  id, scope, queryString: 'fields @message', groups: ['g1', 'g2'], createdMs: 1_000, nodeId: 'node-a', ...extra,
});
const zero = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };

export function insightsQueryStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: InsightsQueryStore) => Promise<void>) => test(`${backend.name}: InsightsQueryStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.insightsQueries);
    } finally {
      await opened.close();
    }
  });

  withStore('creates, runs and finishes a query', async (store) => {
    assert.equal(await store.createQuery(query('q1'), 30), true);
    assert.deepEqual(await store.getQuery(scope, 'q1'), { ...query('q1'), status: 'Scheduled', heartbeatMs: 1_000, endedMs: undefined, statistics: zero });
    assert.equal(await store.reportProgress('q1', { recordsMatched: 1, recordsScanned: 2, bytesScanned: 3 }, 2_000), true);
    assert.equal((await store.getQuery(scope, 'q1'))?.status, 'Running');
    const rows = JSON.stringify([[{ field: 'a', value: 'x\u0000y' }]]);
    assert.equal(await store.finishQuery('q1', 'Complete', { recordsMatched: 4, recordsScanned: 5, bytesScanned: 6 }, rows, 3_000), true);
    const done = await store.getQuery(scope, 'q1');
    assert.equal(done?.status, 'Complete');
    assert.equal(done?.endedMs, 3_000);
    assert.equal(done?.results, rows);
    assert.deepEqual(done?.statistics, { recordsMatched: 4, recordsScanned: 5, bytesScanned: 6 });
    assert.equal(await store.reportProgress('q1', zero, 4_000), false, 'an ended query takes no more progress');
    assert.equal(await store.finishQuery('q1', 'Failed', zero, '[]', 4_000), false);
    assert.equal(await store.getQuery({ ...scope, region: 'eu-west-1' }, 'q1'), undefined);
  });

  withStore('limits the queries of a scope that have not ended', async (store) => {
    assert.equal(await store.createQuery(query('q1'), 2), true);
    assert.equal(await store.createQuery(query('q2'), 2), true);
    assert.equal(await store.createQuery(query('q3'), 2), false);
    assert.equal(await store.createQuery(query('other', { scope: { ...scope, region: 'eu-west-1' } }), 2), true);
    await store.finishQuery('q1', 'Complete', zero, '[]', 2_000);
    assert.equal(await store.createQuery(query('q3'), 2), true);
  });

  withStore('never lets queries started at the same instant pass the limit', async (store) => {
    const created = await Promise.all(Array.from({ length: 24 }, (_, i) => store.createQuery(query(`q${i}`), 3)));
    assert.equal(created.filter(Boolean).length, 3);
    assert.equal((await store.listQueries(scope)).length, 3);
  });

  withStore('keeps the results so far of a running query; drops them when it is stopped or its node dies', async (store) => {
    const partial = JSON.stringify([[{ field: 'hits', value: '2' }]]);
    const counts = { recordsMatched: 2, recordsScanned: 5, bytesScanned: 50 };
    await store.createQuery(query('q1'), 30);
    await store.createQuery(query('q2'), 30);
    assert.equal(await store.reportProgress('q1', counts, 2_000, partial), true);
    assert.equal(await store.reportProgress('q2', counts, 2_000, partial), true);
    assert.equal(await store.reportProgress('q1', { ...counts, recordsScanned: 6 }, 3_000), true, 'a heartbeat without results keeps them');
    const running = await store.getQuery(scope, 'q1');
    assert.equal(running?.status, 'Running');
    assert.equal(running?.results, partial);
    assert.equal(running?.statistics.recordsScanned, 6);
    await store.cancelQuery(scope, 'q1', 4_000);
    assert.equal((await store.getQuery(scope, 'q1'))?.results, undefined);
    assert.equal(await store.failStale(5_000), 1);
    const failed = await store.getQuery(scope, 'q2');
    assert.equal(failed?.status, 'Failed');
    assert.equal(failed?.results, undefined);
    assert.deepEqual(failed?.statistics, counts, 'a failed query keeps its statistics so far');
  });

  withStore('cancels a query that has not ended, once', async (store) => {
    await store.createQuery(query('q1'), 30);
    assert.equal(await store.cancelQuery(scope, 'q1', 5_000), 'stopped');
    assert.equal(await store.cancelQuery(scope, 'q1', 6_000), 'ended');
    assert.equal(await store.cancelQuery(scope, 'nope', 6_000), 'missing');
    assert.equal(await store.reportProgress('q1', zero, 7_000), false, 'the running node learns it was stopped');
    assert.equal((await store.getQuery(scope, 'q1'))?.status, 'Cancelled');
  });

  withStore('fails the queries of a dead or restarted node; lists newest first; purges', async (store) => {
    await store.createQuery(query('old', { createdMs: 1_000 }), 30);
    await store.createQuery(query('new', { createdMs: 2_000, nodeId: 'node-b' }), 30);
    await store.reportProgress('new', zero, 10_000);
    assert.equal(await store.failStale(5_000), 1);
    assert.deepEqual((await store.listQueries(scope)).map((q) => [q.id, q.status]), [['new', 'Running'], ['old', 'Failed']]);
    assert.equal((await store.getQuery(scope, 'old'))?.endedMs, 1_000, 'it ended when its node last reported');
    assert.equal(await store.failNode('node-b', 1_500), 0, 'only queries created before the restart');
    assert.equal(await store.failNode('node-b', 3_000), 1);
    assert.deepEqual((await store.listQueries(scope, 'Failed')).map((q) => q.id), ['new', 'old']);
    assert.equal((await store.listQueries(scope))[0].results, undefined, 'lists leave the results out');
    assert.equal(await store.purgeQueries(5_000), 1);
    assert.deepEqual((await store.listQueries(scope)).map((q) => q.id), ['new']);
  });
}
