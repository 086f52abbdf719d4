// The DashboardStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { DashboardStore, StoredDashboard } from '../dashboard-store.js';

const account = '000000000000';
const dashboard = (name: string, extra: Partial<StoredDashboard> = {}): StoredDashboard => ({
  accountId: account, name, body: '{"widgets":[]}', tags: '[]', lastModifiedMs: 1_700_000_000_000, ...extra,
});

export function dashboardStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: DashboardStore) => Promise<void>) => test(`${backend.name}: DashboardStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.dashboards);
    } finally {
      await opened.close();
    }
  });

  withStore('puts, replaces, reads and lists dashboards by name', async (store) => {
    await store.putDashboard(dashboard('b-board'));
    await store.putDashboard(dashboard('B_board', { tags: '[{"Key":"k","Value":"v"}]' }));
    await store.putDashboard(dashboard('a', { body: '{"widgets":[1]}' }));
    await store.putDashboard(dashboard('b-board', { body: '{"widgets":[2]}', lastModifiedMs: 1_800_000_000_000 }));
    assert.deepEqual(await store.getDashboard(account, 'b-board'), dashboard('b-board', { body: '{"widgets":[2]}', lastModifiedMs: 1_800_000_000_000 }));
    assert.equal(await store.getDashboard(account, 'nope'), undefined);
    assert.deepEqual((await store.listDashboards(account)).map((d) => d.name), ['B_board', 'a', 'b-board'], 'code-point order on every backend');
    assert.equal((await store.getDashboard(account, 'B_board'))?.tags, '[{"Key":"k","Value":"v"}]');
  });

  withStore('deletes all the named dashboards or none', async (store) => {
    await store.putDashboard(dashboard('one'));
    await store.putDashboard(dashboard('two'));
    assert.deepEqual(await store.deleteDashboards(account, ['one', 'missing']), ['missing']);
    assert.ok(await store.getDashboard(account, 'one'), 'nothing deleted when a name is missing');
    assert.deepEqual(await store.deleteDashboards(account, ['one', 'two']), []);
    assert.deepEqual(await store.listDashboards(account), []);
  });

  withStore('keeps accounts apart', async (store) => {
    await store.putDashboard(dashboard('same'));
    await store.putDashboard(dashboard('same', { accountId: '111111111111', body: '{"widgets":[3]}' }));
    assert.equal((await store.getDashboard(account, 'same'))?.body, '{"widgets":[]}');
    assert.equal((await store.listDashboards('222222222222')).length, 0);
    await store.deleteDashboards('111111111111', ['same']);
    assert.ok(await store.getDashboard(account, 'same'));
  });
}
