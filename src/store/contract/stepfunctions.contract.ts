// The SfnStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { SfnStore, StoredExecution, StoredStateMachine } from '../stepfunctions-store.js';

const machine = (name: string, region = 'us-east-1'): StoredStateMachine => ({
  arn: `arn:aws:states:${region}:000000000000:stateMachine:${name}`, accountId: '000000000000', region, name,
  definition: '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}', roleArn: 'arn:aws:iam::000000000000:role/r', type: 'STANDARD', createdMs: 1, tags: [],
});
const execution = (sm: StoredStateMachine, name: string, startMs: number): StoredExecution => ({
  arn: `${sm.arn.replace(':stateMachine:', ':execution:')}:${name}`, stateMachineArn: sm.arn, name, status: 'RUNNING', input: '{}', startMs,
});

export function stepFunctionsStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: SfnStore) => Promise<void>) => test(`${backend.name}: SfnStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.stepFunctions);
    } finally {
      await opened.close();
    }
  });

  withStore('creates state machines once, lists them by name per region, updates and deletes', async (store) => {
    const a = machine('orders');
    assert.equal(await store.createStateMachine(a), true);
    assert.equal(await store.createStateMachine({ ...a, roleArn: 'other' }), false);
    await store.createStateMachine(machine('B-flow'));
    await store.createStateMachine(machine('elsewhere', 'eu-west-1'));
    assert.deepEqual(await store.getStateMachine(a.arn), a);
    assert.deepEqual((await store.listStateMachines('000000000000', 'us-east-1')).map((m) => m.name), ['B-flow', 'orders']);
    await store.updateStateMachine({ ...a, tags: [{ key: 'k', value: 'v' }], updatedMs: 2 });
    assert.deepEqual((await store.getStateMachine(a.arn))?.tags, [{ key: 'k', value: 'v' }]);
    await store.deleteStateMachine(a.arn);
    assert.equal(await store.getStateMachine(a.arn), undefined);
  });

  withStore('keeps executions once by ARN, lists them newest first by status, with their history in order', async (store) => {
    const sm = machine('flow');
    const one = execution(sm, 'one', 10);
    const two = execution(sm, 'two', 20);
    assert.equal(await store.createExecution(one, 'n1', 100), true);
    assert.equal(await store.createExecution(one, 'n1', 100), false);
    await store.createExecution(two, 'n1', 100);
    assert.equal(await store.updateExecution({ ...one, checkpoint: '{"state":"A"}' }), true);
    assert.equal(await store.updateExecution({ ...one, status: 'SUCCEEDED', output: '{"x":1}', stopMs: 30 }), true);
    assert.equal(await store.updateExecution({ ...one, status: 'ABORTED', stopMs: 31 }), false, 'a finished execution stays as it ended');
    assert.deepEqual(await store.getExecution(one.arn), { ...one, status: 'SUCCEEDED', output: '{"x":1}', stopMs: 30 });
    assert.deepEqual((await store.listExecutions(sm.arn)).map((e) => e.name), ['two', 'one']);
    assert.deepEqual((await store.listExecutions(sm.arn, 'RUNNING')).map((e) => e.name), ['two']);
    await store.appendHistory(two.arn, [{ id: 2, previousEventId: 1, timestampMs: 2, type: 'PassStateEntered', details: { stateEnteredEventDetails: { name: 'A' } } }]);
    await store.appendHistory(two.arn, [{ id: 1, previousEventId: 0, timestampMs: 1, type: 'ExecutionStarted' }]);
    assert.deepEqual((await store.history(two.arn)).map((e) => e.type), ['ExecutionStarted', 'PassStateEntered']);
    assert.deepEqual(await store.history(one.arn), []);
  });

  withStore('gives a RUNNING execution to one node at a time: another claims it once the lease runs out or is let go', async (store) => {
    const sm = machine('flow');
    const e = execution(sm, 'held', 10);
    await store.createExecution(e, 'a', 1_000);
    assert.deepEqual(await store.claimRunning('b', 500, 2_000), []);
    assert.deepEqual((await store.claimRunning('a', 500, 2_000)).map((x) => x.name), ['held'], 'its holder takes it back after a restart');
    await store.renewLeases('a', 5_000);
    assert.deepEqual(await store.claimRunning('b', 4_000, 6_000), []);
    assert.deepEqual((await store.claimRunning('b', 5_001, 9_000)).map((x) => x.name), ['held']);
    await store.releaseLeases('b');
    assert.deepEqual((await store.claimRunning('c', 5_002, 9_000)).map((x) => x.name), ['held']);
    await store.updateExecution({ ...e, status: 'ABORTED', stopMs: 11 });
    assert.deepEqual(await store.claimRunning('d', 99_999, 100_000), [], 'a finished execution is no one\'s');
  });
}
