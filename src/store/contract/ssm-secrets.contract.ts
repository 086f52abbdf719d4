// The NamedDocuments contract for SSM parameters and Secrets Manager secrets: every backend
// (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { StoredParameter } from '../ssm-store.js';
import type { StoredSecret } from '../secrets-store.js';
import { updateDocument } from '../named-documents.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const parameter = (value: string): StoredParameter => ({
  versions: [{ version: 1, value, type: 'String', tier: 'Standard', dataType: 'text', labels: [], lastModifiedMs: 1, lastModifiedUser: 'u' }], tags: [],
});

export function ssmSecretsStoreContract(backend: StoreBackend): void {
  test(`${backend.name}: SsmStore creates once, replaces at the revision read, lists by prefix in code-point order, deletes`, async () => {
    const opened = await backend.open();
    try {
      const store = opened.ssm;
      assert.equal(await store.create(scope, '/app/b', parameter('1')), true);
      assert.equal(await store.create(scope, '/app/b', parameter('again')), false);
      await store.create(scope, '/app/A', parameter('2'));
      await store.create(scope, '/apple', parameter('3'));
      await store.create(scope, '/app/ü', parameter('4'));
      const read = await store.get(scope, '/app/b');
      assert.deepEqual(read, { doc: parameter('1'), revision: 1 });
      assert.equal(await store.replace(scope, '/app/b', parameter('new'), 1), true);
      assert.equal(await store.replace(scope, '/app/b', parameter('stale'), 1), false);
      assert.deepEqual(await store.get(scope, '/app/b'), { doc: parameter('new'), revision: 2 });
      assert.deepEqual((await store.list(scope, '/app/')).map((p) => p.name), ['/app/A', '/app/b', '/app/ü']);
      assert.deepEqual((await store.list(scope)).map((p) => p.name), ['/app/A', '/app/b', '/app/ü', '/apple']);
      assert.deepEqual(await store.list({ ...scope, region: 'eu-west-1' }), []);
      assert.equal(await store.delete(scope, '/app/b'), true);
      assert.equal(await store.delete(scope, '/app/b'), false);
      assert.equal(await store.get(scope, '/app/b'), undefined);
    } finally {
      await opened.close();
    }
  });

  test(`${backend.name}: SecretsStore keeps every write of concurrent updates, and the state across a reopen`, async () => {
    const opened = await backend.open();
    const secret: StoredSecret = { arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:s-AbCdEf', tags: [], createdMs: 1, lastChangedMs: 1, versions: [] };
    let location = '';
    try {
      await opened.secrets.create(scope, 's', secret);
      // Ten writers add a version each at once: compare-and-set makes the losers retry.
      await Promise.all(Array.from({ length: 10 }, (_, i) => updateDocument(opened.secrets, scope, 's', (current) => ({
        doc: { ...current!.doc, versions: [...current!.doc.versions, { versionId: `v${i}`, secretString: `${i}`, stages: [], createdMs: i }] }, result: undefined,
      }))));
      assert.equal((await opened.secrets.get(scope, 's'))?.doc.versions.length, 10);
      location = opened.location;
    } finally {
      await opened.close({ keep: true });
    }
    const reopened = await backend.open(location);
    try {
      assert.deepEqual((await reopened.secrets.get(scope, 's'))?.doc.versions.map((v) => v.versionId).sort(), Array.from({ length: 10 }, (_, i) => `v${i}`));
    } finally {
      await reopened.close();
    }
  });
}
