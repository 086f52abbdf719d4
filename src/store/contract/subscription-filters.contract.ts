// The SubscriptionFilterStore contract (part of LogsStore): every backend (src/store/*/stores.test.ts) runs these cases.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { LogsScope, LogsStore } from '../logs-store.js';
import type { SubscriptionFilterRecord } from '../subscription-filter-store.js';

const A: LogsScope = { accountId: '000000000000', region: 'us-east-1' };
const B: LogsScope = { accountId: '111111111111', region: 'us-east-1' };
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:shipper';
const group = (name: string) => ({ name, createdMs: 1, logGroupClass: 'STANDARD', tags: {} });
const filter = (groupName: string, name: string, createdMs = 10): SubscriptionFilterRecord => ({
  groupName, name, pattern: 'ERROR', destinationArn: FN, distribution: 'ByLogStream', createdMs,
});

export function subscriptionFilterStoreContract(backend: StoreBackend): void {
  const name = backend.name;
  let current: { close(): Promise<void> } | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const fresh = async (): Promise<LogsStore> => {
    const opened = await backend.open();
    current = opened;
    return opened.logs;
  };

  test(`${name}: subscription filters are created, replaced (keeping creation time), listed by prefix and page, scoped and deleted`, async () => {
    const store = await fresh();
    assert.equal(await store.putSubscriptionFilter(A, filter('/g', 'f'), 2), 'no-group');
    await store.createGroup(A, group('/g'));
    await store.createGroup(B, group('/g'));
    assert.equal(await store.putSubscriptionFilter(A, filter('/g', 'f'), 2), 'ok');
    assert.equal(await store.putSubscriptionFilter(A, { ...filter('/g', 'f', 99), pattern: '', roleArn: 'arn:aws:iam::000000000000:role/r', distribution: 'Random' }, 2), 'ok');
    assert.equal(await store.putSubscriptionFilter(A, filter('/g', 'e'), 2), 'ok');
    assert.equal(await store.putSubscriptionFilter(B, filter('/g', 'other'), 2), 'ok');
    const listed = await store.listSubscriptionFilters(A, { groupName: '/g', limit: 10 });
    assert.deepEqual(listed.map((f) => f.name), ['e', 'f']);
    assert.deepEqual(listed[1], { groupName: '/g', name: 'f', pattern: '', destinationArn: FN, roleArn: 'arn:aws:iam::000000000000:role/r', distribution: 'Random', createdMs: 10 });
    assert.equal(listed[0].roleArn, undefined);
    const names = async (q: Parameters<LogsStore['listSubscriptionFilters']>[1]) => (await store.listSubscriptionFilters(A, q)).map((f) => f.name);
    assert.deepEqual(await names({ groupName: '/g', namePrefix: 'f', limit: 10 }), ['f']);
    assert.deepEqual(await names({ groupName: '/g', after: 'e', limit: 10 }), ['f']);
    assert.deepEqual(await names({ groupName: '/g', limit: 1 }), ['e']);
    assert.deepEqual(await names({ groupName: '/nope', limit: 10 }), []);
    assert.equal(await store.deleteSubscriptionFilter(A, '/g', 'e'), 'ok');
    assert.equal(await store.deleteSubscriptionFilter(A, '/g', 'e'), 'no-filter');
    assert.equal(await store.deleteSubscriptionFilter(A, '/nope', 'e'), 'no-group');
    const everywhere = await store.allSubscriptionFilters();
    assert.deepEqual(everywhere.map((f) => `${f.scope.accountId}${f.groupName}:${f.name}`).sort(), ['000000000000/g:f', '111111111111/g:other']);
  });

  test(`${name}: a group holds at most the limit of subscription filters (replacing one still works) and takes them with it`, async () => {
    const store = await fresh();
    await store.createGroup(A, group('/g'));
    assert.equal(await store.putSubscriptionFilter(A, filter('/g', 'a'), 2), 'ok');
    assert.equal(await store.putSubscriptionFilter(A, filter('/g', 'b'), 2), 'ok');
    assert.equal(await store.putSubscriptionFilter(A, filter('/g', 'c'), 2), 'limit');
    assert.equal(await store.putSubscriptionFilter(A, { ...filter('/g', 'b'), pattern: 'WARN' }, 2), 'ok');
    assert.equal(await store.deleteGroup(A, '/g'), true);
    await store.createGroup(A, group('/g'));
    assert.deepEqual(await store.listSubscriptionFilters(A, { groupName: '/g', limit: 10 }), []);
  });
}
