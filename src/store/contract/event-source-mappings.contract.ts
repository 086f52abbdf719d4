// The EventSourceMappingStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { EventSourceMappingStore, StoredEventSourceMapping } from '../event-source-mapping-store.js';

const account = '000000000000';
const region = 'us-east-1';
const mapping = (uuid: string, queue: string, fn: string, extra: Partial<StoredEventSourceMapping> = {}): StoredEventSourceMapping => ({
  uuid, accountId: account, region, eventSourceArn: `arn:aws:sqs:${region}:${account}:${queue}`, functionArn: `arn:aws:lambda:${region}:${account}:function:${fn}`,
  batchSize: 10, maximumBatchingWindowInSeconds: 0, functionResponseTypes: [], enabled: true, state: 'Creating', stateTransitionReason: 'USER_INITIATED',
  lastModifiedMs: 1, tags: {}, ...extra,
});

export function eventSourceMappingStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: EventSourceMappingStore) => Promise<void>) => test(`${backend.name}: EventSourceMappingStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.eventSourceMappings);
    } finally {
      await opened.close();
    }
  });

  withStore('mappings are created once per source and function, read, updated, listed by UUID and deleted', async (store) => {
    assert.deepEqual(await store.create(mapping('b', 'q1', 'f')), { created: true });
    const conflict = await store.create(mapping('c', 'q1', 'f'));
    assert.equal(conflict.created, false);
    assert.equal(!conflict.created && conflict.existing.uuid, 'b');
    assert.deepEqual(await store.create(mapping('c', 'q1', 'f:alias')), { created: true }, 'a qualified function is another mapping');
    await store.create(mapping('a', 'q2', 'f', { region: 'eu-west-1' }));
    assert.deepEqual((await store.list(account, region)).map((m) => m.uuid), ['b', 'c']);
    assert.deepEqual((await store.listAll()).map((m) => m.uuid), ['a', 'b', 'c']);
    assert.equal(await store.update(mapping('b', 'q1', 'f', { state: 'Enabled', batchSize: 5, tags: { k: 'v' } })), true);
    assert.deepEqual(await store.get('b'), mapping('b', 'q1', 'f', { state: 'Enabled', batchSize: 5, tags: { k: 'v' } }));
    assert.equal(await store.update(mapping('missing', 'q9', 'f')), false);
    assert.equal(await store.delete('b'), true);
    assert.equal(await store.delete('b'), false);
    assert.equal(await store.get('b'), undefined);
    assert.deepEqual(await store.create(mapping('d', 'q1', 'f')), { created: true }, 'free again once deleted');
  });
}
