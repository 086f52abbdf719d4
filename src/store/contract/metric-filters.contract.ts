// The MetricFilterStore contract (part of LogsStore): every backend (src/store/*/stores.test.ts) runs these cases.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { LogsScope, LogsStore } from '../logs-store.js';
import type { MetricFilterRecord } from '../metric-filter-store.js';

const A: LogsScope = { accountId: '000000000000', region: 'us-east-1' };
const B: LogsScope = { accountId: '111111111111', region: 'us-east-1' };
const group = (name: string) => ({ name, createdMs: 1, logGroupClass: 'STANDARD', tags: {} });
const filter = (groupName: string, name: string, metricName = 'Errors', createdMs = 10): MetricFilterRecord => ({
  groupName, name, pattern: 'ERROR', createdMs,
  transformations: [{ metricName, metricNamespace: 'App', metricValue: '1', defaultValue: 0 }],
});

export function metricFilterStoreContract(backend: StoreBackend): void {
  const name = backend.name;
  let current: { store: LogsStore; close(): Promise<void> } | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const fresh = async () => {
    const opened = await backend.open();
    current = { store: opened.logs, close: () => opened.close() };
    return opened.logs;
  };

  test(`${name}: metric filters are created, replaced (keeping creation time), listed in order, scoped and deleted`, async () => {
    const store = await fresh();
    assert.equal(await store.putMetricFilter(A, filter('/g', 'f'), 100), 'no-group');
    await store.createGroup(A, group('/g'));
    await store.createGroup(A, group('/h'));
    await store.createGroup(B, group('/g'));
    assert.equal(await store.putMetricFilter(A, filter('/g', 'f'), 100), 'ok');
    assert.equal(await store.putMetricFilter(A, { ...filter('/g', 'f', 'Faults', 99), pattern: 'FAULT' }, 100), 'ok');
    await store.putMetricFilter(A, filter('/g', 'e'), 100);
    await store.putMetricFilter(A, filter('/h', 'a'), 100);
    await store.putMetricFilter(B, filter('/g', 'other'), 100);
    const all = await store.listMetricFilters(A, { limit: 10 });
    assert.deepEqual(all.map((f) => `${f.groupName}:${f.name}`), ['/g:e', '/g:f', '/h:a']);
    const replaced = all[1];
    assert.equal(replaced.pattern, 'FAULT');
    assert.equal(replaced.createdMs, 10);
    assert.deepEqual(replaced.transformations, [{ metricName: 'Faults', metricNamespace: 'App', metricValue: '1', defaultValue: 0 }]);
    const names = async (q: Parameters<LogsStore['listMetricFilters']>[1]) => (await store.listMetricFilters(A, q)).map((f) => f.name);
    assert.deepEqual(await names({ groupName: '/g', limit: 10 }), ['e', 'f']);
    assert.deepEqual(await names({ namePrefix: 'f', limit: 10 }), ['f']);
    assert.deepEqual(await names({ metric: { name: 'Errors', namespace: 'App' }, limit: 10 }), ['e', 'a']);
    assert.deepEqual(await names({ after: { groupName: '/g', name: 'f' }, limit: 10 }), ['a']);
    assert.deepEqual(await names({ limit: 1 }), ['e']);
    assert.equal(await store.deleteMetricFilter(A, '/g', 'e'), 'ok');
    assert.equal(await store.deleteMetricFilter(A, '/g', 'e'), 'no-filter');
    assert.equal(await store.deleteMetricFilter(A, '/nope', 'e'), 'no-group');
    const everywhere = await store.allMetricFilters();
    assert.deepEqual(everywhere.map((f) => `${f.scope.accountId}${f.groupName}:${f.name}`).sort(),
      ['000000000000/g:f', '000000000000/h:a', '111111111111/g:other']);
  });

  test(`${name}: a group holds at most the limit of filters (replacing one still works) and takes them with it`, async () => {
    const store = await fresh();
    await store.createGroup(A, group('/g'));
    assert.equal(await store.putMetricFilter(A, filter('/g', 'a'), 2), 'ok');
    assert.equal(await store.putMetricFilter(A, filter('/g', 'b'), 2), 'ok');
    assert.equal(await store.putMetricFilter(A, filter('/g', 'c'), 2), 'limit');
    assert.equal(await store.putMetricFilter(A, filter('/g', 'b', 'Other'), 2), 'ok');
    assert.equal(await store.deleteGroup(A, '/g'), true);
    await store.createGroup(A, group('/g'));
    assert.deepEqual(await store.listMetricFilters(A, { limit: 10 }), []);
  });
}
