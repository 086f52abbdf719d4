// The StackExportsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';

export function stackExportsStoreContract(backend: StoreBackend): void {
  test(`${backend.name}: stack exports: replaced per stack, listed with their importers, per region, kept across a reopen`, async () => {
    const opened = await backend.open();
    const store = opened.stackExports;
    await store.replace('us-east-1', 'A', [{ name: 'A:Arn', value: 'arn-1' }, { name: 'A:Name', value: 'fn' }], []);
    await store.replace('us-east-1', 'B', [], ['A:Arn']);
    await store.replace('eu-west-1', 'C', [{ name: 'A:Arn', value: 'elsewhere' }], ['A:Arn']);
    assert.deepEqual(await store.list('us-east-1'), [
      { name: 'A:Arn', value: 'arn-1', stackName: 'A', importers: ['B'] },
      { name: 'A:Name', value: 'fn', stackName: 'A', importers: [] },
    ]);
    assert.deepEqual(await store.imports('us-east-1'), [{ stackName: 'B', exportName: 'A:Arn' }]);
    // A redeploy's exports and imports are exactly the new ones.
    await store.replace('us-east-1', 'A', [{ name: 'A:Arn', value: 'arn-2' }], []);
    await store.replace('us-east-1', 'B', [], ['A:Arn', 'A:Arn']);
    await opened.close({ keep: true });
    const reopened = await backend.open(opened.location);
    try {
      assert.deepEqual(await reopened.stackExports.list('us-east-1'), [{ name: 'A:Arn', value: 'arn-2', stackName: 'A', importers: ['B'] }]);
      await reopened.stackExports.replace('us-east-1', 'B', [], []);
      assert.deepEqual(await reopened.stackExports.imports('us-east-1'), []);
      assert.deepEqual(await reopened.stackExports.list('eu-west-1'), [{ name: 'A:Arn', value: 'elsewhere', stackName: 'C', importers: ['C'] }]);
    } finally {
      await reopened.close();
    }
  });
}
