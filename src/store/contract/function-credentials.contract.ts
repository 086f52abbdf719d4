// The FunctionCredentialsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';

const first = { accessKeyId: 'ASIAFIRSTFIRSTFIRST0', secretAccessKey: 'first-secret', sessionToken: 'first-token' };
const second = { accessKeyId: 'ASIASECONDSECONDSEC0', secretAccessKey: 'second-secret', sessionToken: 'second-token' };

export function functionCredentialsStoreContract(backend: StoreBackend): void {
  const name = backend.name;

  test(`${name}: the first credentials stored are the ones every later caller gets, after a reopen too`, async () => {
    const opened = await backend.open();
    assert.deepEqual(await opened.functionCredentials.getOrCreate(first), first);
    assert.deepEqual(await opened.functionCredentials.getOrCreate(second), first);
    await opened.close({ keep: true });
    const reopened = await backend.open(opened.location);
    try {
      assert.deepEqual(await reopened.functionCredentials.getOrCreate(second), first);
    } finally {
      await reopened.close();
    }
  });
}
