// The DynamoDbStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { DynamoDbStore, StoredTable } from '../dynamodb-store.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const table = (name: string, tableId = `id-${name}`): StoredTable => ({ name, tableId, createdMs: 1_700_000_000_000, body: { keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } });
const put = (pk: string, sk: string, json: string, expectedVersion = 0) => ({ tableId: 't1', pk, sk, json, size: json.length, expectedVersion });

export function dynamodbStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: DynamoDbStore) => Promise<void>) => test(`${backend.name}: DynamoDbStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.dynamodb);
    } finally {
      await opened.close();
    }
  });

  withStore('creates a table once, lists names in byte order with paging, updates and deletes it with its items', async (store) => {
    assert.equal(await store.createTable(scope, table('orders')), true);
    assert.equal(await store.createTable(scope, table('orders', 'other')), false);
    await store.createTable(scope, table('Zeta'));
    await store.createTable(scope, table('alpha'));
    await store.createTable({ ...scope, region: 'eu-west-1' }, table('elsewhere'));
    assert.deepEqual(await store.listTables(scope, undefined, 10), ['Zeta', 'alpha', 'orders']);
    assert.deepEqual(await store.listTables(scope, 'Zeta', 1), ['alpha']);
    assert.deepEqual((await store.allTables()).map((t) => t.name).sort(), ['Zeta', 'alpha', 'elsewhere', 'orders'], 'every scope\'s tables');
    await store.updateTable(scope, 'orders', { tags: [{ Key: 'a', Value: 'b' }] });
    const got = await store.getTable(scope, 'orders');
    assert.deepEqual(got, { ...table('orders'), body: { tags: [{ Key: 'a', Value: 'b' }] } });
    assert.equal(await store.commit([{ ...put('p', '', '{}'), tableId: 'id-orders' }]), true);
    assert.deepEqual(await store.tableStats('id-orders'), { count: 1, bytes: 2 });
    await store.deleteTable(scope, got!);
    assert.equal(await store.getTable(scope, 'orders'), undefined);
    assert.equal(await store.getItem('id-orders', 'p', ''), undefined);
    assert.deepEqual(await store.tableStats('id-orders'), { count: 0, bytes: 0 });
  });

  withStore('commits are compare-and-sets on versions, all or nothing', async (store) => {
    assert.equal(await store.commit([put('a', '', '{"v":1}')]), true);
    assert.equal(await store.commit([put('a', '', '{"v":2}')]), false, 'an insert of an item that exists');
    const a = await store.getItem('t1', 'a', '');
    assert.deepEqual(a, { pk: 'a', sk: '', json: '{"v":1}', version: 1 });
    assert.equal(await store.commit([put('a', '', '{"v":3}', 1)]), true);
    assert.equal(await store.commit([put('a', '', '{"v":4}', 1)]), false, 'an update of a version replaced since');
    assert.equal((await store.getItem('t1', 'a', ''))?.json, '{"v":3}');
    // Two writes: the second's version is stale, so neither lands.
    assert.equal(await store.commit([put('b', '', '{"b":1}'), put('a', '', '{"v":5}', 1)]), false);
    assert.equal(await store.getItem('t1', 'b', ''), undefined);
    assert.equal(await store.commit([{ tableId: 't1', pk: 'a', sk: '', expectedVersion: 2, checkOnly: true }, put('b', '', '{"b":1}')]), true);
    assert.equal((await store.getItem('t1', 'a', ''))?.version, 2, 'a check leaves the version as it was');
    assert.equal(await store.commit([{ tableId: 't1', pk: 'c', sk: '', expectedVersion: 0 }, put('d', '', '{}')]), true, 'an absent item checked absent');
    assert.equal(await store.commit([{ tableId: 't1', pk: 'b', sk: '', expectedVersion: 0 }, put('e', '', '{}')]), false, 'a present item checked absent');
    assert.equal(await store.commit([{ tableId: 't1', pk: 'b', sk: '', expectedVersion: 1 }]), true, 'a delete of the version read');
    assert.equal(await store.getItem('t1', 'b', ''), undefined);
  });

  withStore('queries a partition by sort key range in byte order, both ways; scans in key order after a cursor', async (store) => {
    for (const sk of ['61', '6161', '62', '7a', '41']) assert.equal(await store.commit([put('p', sk, `"${sk}"`)]), true);
    await store.commit([put('q', '61', '"q"'), put('o', '61', '"o"')]);
    const sks = (rows: { sk: string }[]) => rows.map((r) => r.sk);
    assert.deepEqual(sks(await store.queryPartition('t1', 'p', {}, false, 10)), ['41', '61', '6161', '62', '7a']);
    assert.deepEqual(sks(await store.queryPartition('t1', 'p', {}, true, 2)), ['7a', '62']);
    assert.deepEqual(sks(await store.queryPartition('t1', 'p', { from: '61', to: '61~', toExclusive: true }, false, 10)), ['61', '6161']);
    assert.deepEqual(sks(await store.queryPartition('t1', 'p', { from: '61', fromExclusive: true, to: '7a' }, true, 10)), ['7a', '62', '6161']);
    const scanned = await store.scan('t1', undefined, 3);
    assert.deepEqual(scanned.map((r) => [r.pk, r.sk]), [['o', '61'], ['p', '41'], ['p', '61']]);
    assert.deepEqual((await store.scan('t1', { pk: 'p', sk: '7a' }, 10)).map((r) => [r.pk, r.sk]), [['q', '61']]);
  });
}
