// The CloudFormationStacksStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { CloudFormationStacksStore, StoredChangeSet, StoredStack } from '../cloudformation-stacks-store.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const stack = (id: string, extra: Partial<StoredStack> = {}): StoredStack => ({
  stackId: `arn:aws:cloudformation:us-east-1:000000000000:stack/app/${id}`, scope, stackName: 'app', status: 'CREATE_IN_PROGRESS',
  statusReason: undefined, description: 'd', templateBody: 'Resources: {}', parameters: [{ key: 'P', value: 'v' }], outputs: [], resources: [],
  tags: [{ key: 't', value: 'x' }], capabilities: ['CAPABILITY_IAM'], terminationProtection: false, onFailure: undefined, stableState: undefined, createdMs: 1_000, updatedMs: undefined, deletedMs: undefined, nodeId: 'node-a', ...extra,
});

export function cloudFormationStacksStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: CloudFormationStacksStore) => Promise<void>) => test(`${backend.name}: CloudFormationStacksStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.cloudformationStacks);
    } finally {
      await opened.close();
    }
  });

  withStore('keeps one live stack a name; one operation at a time', async (store) => {
    const first = stack('1');
    assert.equal(await store.create(first), true);
    assert.equal(await store.create(stack('2')), false, 'the name is taken');
    assert.deepEqual(await store.get(scope, 'app'), first);
    assert.deepEqual(await store.get(scope, first.stackId), first);
    assert.equal(await store.get({ ...scope, region: 'eu-west-1' }, 'app'), undefined);

    const outputs = [{ key: 'Url', value: 'u', exportName: 'E' }];
    assert.equal(await store.update(first.stackId, { status: 'CREATE_COMPLETE', outputs }, ['CREATE_IN_PROGRESS']), true);
    assert.equal(await store.update(first.stackId, { status: 'CREATE_FAILED' }, ['CREATE_IN_PROGRESS']), false, 'not in that status any more');
    assert.deepEqual((await store.get(scope, 'app'))?.outputs, outputs);
    assert.deepEqual((await store.inProgressOf('node-a')), []);

    assert.equal(await store.update(first.stackId, { status: 'DELETE_COMPLETE', deletedMs: 5_000 }), true);
    assert.equal(await store.get(scope, 'app'), undefined, 'by name: the live stack only');
    assert.equal((await store.get(scope, first.stackId))?.deletedMs, 5_000);
    assert.equal(await store.create(stack('2', { createdMs: 6_000 })), true, 'the name is free again');
    assert.deepEqual((await store.list(scope)).map((s) => s.stackId), [stack('2').stackId, first.stackId]);
    assert.deepEqual((await store.inProgressOf('node-a')).map((s) => s.stackId), [stack('2').stackId]);
  });

  withStore('keeps the failure option and the stable state; rollbacks in progress count as running', async (store) => {
    const s = stack('1', { onFailure: 'DELETE' });
    await store.create(s);
    assert.equal((await store.get(scope, 'app'))?.onFailure, 'DELETE');
    const stable = { templateBody: 'Resources: {}', description: 'd', parameters: [{ key: 'P', value: 'v' }], tags: [], capabilities: [] };
    assert.equal(await store.update(s.stackId, { status: 'ROLLBACK_IN_PROGRESS', onFailure: 'DO_NOTHING', stableState: stable }, ['CREATE_IN_PROGRESS']), true);
    assert.deepEqual((await store.inProgressOf('node-a')).map((x) => x.status), ['ROLLBACK_IN_PROGRESS']);
    const got = await store.get(scope, 'app');
    assert.deepEqual([got?.onFailure, got?.stableState], ['DO_NOTHING', stable]);
    await store.update(s.stackId, { status: 'UPDATE_ROLLBACK_COMPLETE', stableState: undefined });
    assert.equal((await store.get(scope, 'app'))?.stableState, undefined);
    assert.deepEqual(await store.inProgressOf('node-a'), []);
  });

  withStore('events newest first; change sets by name or ARN', async (store) => {
    const s = stack('1');
    await store.create(s);
    for (const [i, status] of ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'].entries()) {
      await store.addEvent({ eventId: `e${i}`, stackId: s.stackId, timestampMs: 1_000, logicalId: 'app', resourceType: 'AWS::CloudFormation::Stack', status });
    }
    assert.deepEqual((await store.events(s.stackId)).map((e) => [e.eventId, e.status, e.physicalId]), [['e1', 'CREATE_COMPLETE', undefined], ['e0', 'CREATE_IN_PROGRESS', undefined]]);

    const cs: StoredChangeSet = {
      changeSetId: 'arn:aws:cloudformation:us-east-1:000000000000:changeSet/c1/1', stackId: s.stackId, name: 'c1', type: 'CREATE', status: 'CREATE_COMPLETE',
      statusReason: undefined, executionStatus: 'AVAILABLE', description: undefined, templateBody: 'Resources: {}', parameters: [], tags: [], capabilities: [], onStackFailure: undefined, changes: '[]', createdMs: 2_000,
    };
    await store.putChangeSet(cs);
    assert.deepEqual(await store.getChangeSet(s.stackId, 'c1'), cs);
    assert.deepEqual(await store.getChangeSet(undefined, cs.changeSetId), cs);
    await store.updateChangeSet(cs.changeSetId, { executionStatus: 'EXECUTE_COMPLETE' });
    assert.equal((await store.listChangeSets(s.stackId))[0].executionStatus, 'EXECUTE_COMPLETE');
    await store.deleteChangeSet(cs.changeSetId);
    assert.deepEqual(await store.listChangeSets(s.stackId), []);
  });
}
