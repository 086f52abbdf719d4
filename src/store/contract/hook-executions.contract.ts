// The HookExecutionsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
// A cluster's nodes share one store: what one registers, another reads and completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';

export function hookExecutionsStoreContract(backend: StoreBackend): void {
  const name = backend.name;

  test(`${name}: hook executions: registered Pending, completed once, kept per deployment`, async () => {
    const opened = await backend.open();
    const store = opened.hookExecutions;
    try {
      assert.equal(await store.register('d-AAAAAAAAA', 'e1', 5000, 10), true);
      assert.equal(await store.register('d-AAAAAAAAA', 'e2', 5000, 10), true);
      assert.equal(await store.status('d-AAAAAAAAA', 'e1'), 'Pending');
      assert.equal(await store.status('d-AAAAAAAAA', 'e3'), undefined);
      assert.equal(await store.status('d-BBBBBBBBB', 'e1'), undefined);
      assert.equal(await store.hasDeployment('d-AAAAAAAAA'), true);
      assert.equal(await store.hasDeployment('d-BBBBBBBBB'), false);
      // Two reports at once (two nodes): exactly one takes.
      const raced = await Promise.all([store.complete('d-AAAAAAAAA', 'e1', 'Succeeded'), store.complete('d-AAAAAAAAA', 'e1', 'Failed')]);
      assert.deepEqual(raced.filter(Boolean).length, 1);
      assert.equal(await store.status('d-AAAAAAAAA', 'e1'), raced[0] ? 'Succeeded' : 'Failed');
      assert.equal(await store.complete('d-AAAAAAAAA', 'e3', 'Succeeded'), false);
      assert.equal(await store.status('d-AAAAAAAAA', 'e2'), 'Pending');
      // Registered again: Pending anew, with its new expiry.
      assert.equal(await store.register('d-AAAAAAAAA', 'e1', 9000, 10), true);
      assert.equal(await store.status('d-AAAAAAAAA', 'e1'), 'Pending');
      await store.purge(5000);
      assert.equal(await store.status('d-AAAAAAAAA', 'e2'), undefined);
      assert.equal(await store.status('d-AAAAAAAAA', 'e1'), 'Pending');
    } finally {
      await opened.close();
    }
  });

  test(`${name}: hook executions: at most max are kept, and they outlive a reopen`, async () => {
    const opened = await backend.open();
    assert.equal(await opened.hookExecutions.register('d-AAAAAAAAA', 'e1', 5000, 2), true);
    assert.equal(await opened.hookExecutions.register('d-AAAAAAAAA', 'e2', 5000, 2), true);
    assert.equal(await opened.hookExecutions.register('d-AAAAAAAAA', 'e3', 5000, 2), false);
    assert.equal(await opened.hookExecutions.status('d-AAAAAAAAA', 'e3'), undefined);
    await opened.close({ keep: true });
    const reopened = await backend.open(opened.location);
    try {
      assert.equal(await reopened.hookExecutions.status('d-AAAAAAAAA', 'e2'), 'Pending');
      await reopened.hookExecutions.purge(5000);
      assert.equal(await reopened.hookExecutions.register('d-AAAAAAAAA', 'e3', 9000, 2), true);
    } finally {
      await reopened.close();
    }
  });
}
