// The IamStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { IamStore, StoredPolicy, StoredRole } from '../iam-store.js';

const account = '000000000000';
const other = '111111111111';
const role = (name: string, extra: Partial<StoredRole> = {}): StoredRole => ({
  name, id: `AROA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`, path: '/', arn: `arn:aws:iam::${account}:role/${name}`, createdMs: 1_700_000_000_000,
  assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', maxSessionDuration: 3600, tags: [], ...extra,
});
const policy = (name: string): StoredPolicy => ({
  name, id: 'ANPAAAAAAAAAAAAAAAAAA', arn: `arn:aws:iam::${account}:policy/${name}`, path: '/', createdMs: 1, updatedMs: 1, defaultVersionId: 'v1',
  versions: [{ id: 'v1', document: '{}', createdMs: 1 }], nextVersion: 2, tags: [],
});
const AWS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

export function iamStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: IamStore) => Promise<void>) => test(`${backend.name}: IamStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.iam);
    } finally {
      await opened.close();
    }
  });

  withStore('roles are unique per account without regard to case, listed by lower-cased name, updated and deleted', async (store) => {
    assert.equal(await store.createRole(account, role('b-Role')), true);
    assert.equal(await store.createRole(account, role('B-ROLE')), false, 'a name differing only in case is taken');
    assert.equal(await store.createRole(other, role('b-role')), true, 'another account has its own names');
    assert.equal(await store.createRole(account, role('A_role', { tags: [{ Key: 'k', Value: 'v' }] })), true);
    assert.deepEqual(await store.getRole(account, 'B-role'), role('b-Role'));
    assert.deepEqual((await store.listRoles(account)).map((r) => r.name), ['A_role', 'b-Role']);
    assert.equal(await store.updateRole(account, role('b-Role', { description: 'd' })), true);
    assert.equal((await store.getRole(account, 'b-role'))?.description, 'd');
    assert.equal(await store.updateRole(account, role('gone')), false);
    assert.deepEqual(await store.deleteRole(account, 'B-ROLE'), { outcome: 'deleted' });
    assert.deepEqual(await store.deleteRole(account, 'b-role'), { outcome: 'missing' });
    assert.ok(await store.getRole(other, 'b-role'));
  });

  withStore('inline policies: put replaces by name, only on an existing role; a role with them is not deleted', async (store) => {
    await store.createRole(account, role('r'));
    assert.equal(await store.putRolePolicy(account, 'nope', { name: 'p', document: '{}' }), false);
    assert.equal(await store.putRolePolicy(account, 'R', { name: 'Zed', document: '{"a":1}' }), true);
    assert.equal(await store.putRolePolicy(account, 'r', { name: 'alpha', document: '{}' }), true);
    assert.equal(await store.putRolePolicy(account, 'r', { name: 'ZED', document: '{"a":2}' }), true);
    assert.deepEqual(await store.listRolePolicies(account, 'r'), [{ name: 'alpha', document: '{}' }, { name: 'ZED', document: '{"a":2}' }]);
    assert.deepEqual(await store.deleteRole(account, 'r'), { outcome: 'conflict', attached: false });
    assert.equal(await store.deleteRolePolicy(account, 'r', 'zed'), true);
    assert.equal(await store.deleteRolePolicy(account, 'r', 'zed'), false);
    assert.equal(await store.deleteRolePolicy(account, 'r', 'alpha'), true);
    assert.deepEqual(await store.deleteRole(account, 'r'), { outcome: 'deleted' });
  });

  withStore('managed policies and attachments: checked on attach, refused deletes while attached', async (store) => {
    await store.createRole(account, role('r'));
    assert.equal(await store.createPolicy(account, policy('Mine')), true);
    assert.equal(await store.createPolicy(account, { ...policy('MINE'), arn: `arn:aws:iam::${account}:policy/x/MINE` }), false);
    const arn = policy('Mine').arn;
    assert.equal(await store.attachRolePolicy(account, 'r', `${arn}-gone`, true), 'no-policy');
    assert.equal(await store.attachRolePolicy(account, 'nope', arn, true), 'no-role');
    assert.equal(await store.attachRolePolicy(account, 'R', arn, true), 'attached');
    assert.equal(await store.attachRolePolicy(account, 'r', arn, true), 'attached', 'twice is no change');
    assert.equal(await store.attachRolePolicy(account, 'r', AWS_ARN, false), 'attached');
    assert.deepEqual(await store.attachedPolicies(account, 'r'), [AWS_ARN, arn].sort());
    assert.deepEqual((await store.attachments(account)).sort((a, b) => a.policyArn.localeCompare(b.policyArn)), [
      { roleName: 'r', policyArn: AWS_ARN }, { roleName: 'r', policyArn: arn }].sort((a, b) => a.policyArn.localeCompare(b.policyArn)));
    assert.equal(await store.deletePolicy(account, arn), 'conflict');
    assert.deepEqual(await store.deleteRole(account, 'r'), { outcome: 'conflict', attached: true });
    assert.equal(await store.detachRolePolicy(account, 'r', arn), true);
    assert.equal(await store.detachRolePolicy(account, 'r', arn), false);
    assert.equal(await store.updatePolicy(account, { ...policy('Mine'), defaultVersionId: 'v2' }), true);
    assert.equal((await store.getPolicy(account, arn))?.defaultVersionId, 'v2');
    assert.deepEqual((await store.listPolicies(account)).map((p) => p.name), ['Mine']);
    assert.equal(await store.deletePolicy(account, arn), 'deleted');
    assert.equal(await store.deletePolicy(account, arn), 'missing');
    assert.equal(await store.getPolicy(account, arn), undefined);
  });

  withStore('concurrent attaches and a delete of the role: the role is deleted only with nothing attached', async (store) => {
    await store.createRole(account, role('race'));
    const results = await Promise.all([
      store.attachRolePolicy(account, 'race', AWS_ARN, false),
      store.deleteRole(account, 'race'),
    ]);
    const attached = results[0] === 'attached';
    const deleted = results[1].outcome === 'deleted';
    assert.notEqual(attached, deleted, 'exactly one of them wins');
    assert.deepEqual(await store.attachedPolicies(account, 'race'), attached ? [AWS_ARN] : []);
  });
}
