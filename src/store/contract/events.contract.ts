// The EventsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { EventsStore, StoredRule } from '../events-store.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const rule = (name: string, extra: Partial<StoredRule> = {}): StoredRule => ({
  busName: 'default', name, eventPattern: '{"source":["a"]}', state: 'ENABLED', tags: [], createdMs: 1_700_000_000_000, lastTickMs: 0, ...extra,
});

export function eventsStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: EventsStore) => Promise<void>) => test(`${backend.name}: EventsStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.events);
    } finally {
      await opened.close();
    }
  });

  withStore('creates buses once, lists them by name, deletes one with its rules and targets', async (store) => {
    const bus = { name: 'orders', tags: [{ Key: 'k', Value: 'v' }], createdMs: 1, lastModifiedMs: 1 };
    assert.equal(await store.createBus(scope, bus), true);
    assert.equal(await store.createBus(scope, { ...bus, description: 'again' }), false);
    await store.createBus(scope, { ...bus, name: 'B-bus' });
    assert.deepEqual(await store.getBus(scope, 'orders'), bus);
    assert.deepEqual((await store.listBuses(scope)).map((b) => b.name), ['B-bus', 'orders']);
    assert.equal((await store.listBuses({ ...scope, region: 'eu-west-1' })).length, 0);
    await store.updateBusTags(scope, 'orders', []);
    assert.deepEqual((await store.getBus(scope, 'orders'))?.tags, []);
    await store.putRule(scope, rule('on-orders', { busName: 'orders' }));
    await store.putTargets(scope, 'orders', 'on-orders', [{ Id: 't', Arn: 'arn:x' }]);
    await store.deleteBus(scope, 'orders');
    assert.equal(await store.getBus(scope, 'orders'), undefined);
    assert.deepEqual(await store.listRules(scope, 'orders'), []);
    assert.deepEqual(await store.listBusTargets(scope, 'orders'), []);
  });

  withStore('puts, replaces, lists and deletes rules with their targets', async (store) => {
    await store.putRule(scope, rule('b'));
    await store.putRule(scope, rule('A', { description: 'first' }));
    await store.putRule(scope, rule('A', { description: 'second', state: 'DISABLED' }));
    assert.deepEqual(await store.getRule(scope, 'default', 'A'), rule('A', { description: 'second', state: 'DISABLED' }));
    assert.deepEqual((await store.listRules(scope, 'default')).map((r) => r.name), ['A', 'b']);
    await store.putTargets(scope, 'default', 'b', [{ Id: 'two', Arn: 'arn:2' }, { Id: 'one', Arn: 'arn:1', Input: '{}' }]);
    await store.putTargets(scope, 'default', 'b', [{ Id: 'two', Arn: 'arn:2b' }]);
    assert.deepEqual(await store.listTargets(scope, 'default', 'b'), [{ Id: 'one', Arn: 'arn:1', Input: '{}' }, { Id: 'two', Arn: 'arn:2b' }]);
    assert.deepEqual((await store.listBusTargets(scope, 'default')).map((t) => `${t.ruleName}/${t.target.Id}`), ['b/one', 'b/two']);
    await store.removeTargets(scope, 'default', 'b', ['one', 'missing']);
    assert.deepEqual((await store.listTargets(scope, 'default', 'b')).map((t) => t.Id), ['two']);
    await store.deleteRule(scope, 'default', 'b');
    assert.equal(await store.getRule(scope, 'default', 'b'), undefined);
    assert.deepEqual(await store.listTargets(scope, 'default', 'b'), []);
  });

  withStore('claims each schedule tick once', async (store) => {
    await store.putRule(scope, rule('every-minute', { eventPattern: undefined, scheduleExpression: 'rate(1 minute)', lastTickMs: 60_000 }));
    await store.putRule(scope, rule('pattern-only'));
    const scheduled = await store.scheduledRules();
    assert.deepEqual(scheduled.map((r) => [r.scope, r.name, r.lastTickMs]), [[scope, 'every-minute', 60_000]]);
    const claims = await Promise.all([1, 2, 3].map(() => store.claimTick(scope, 'default', 'every-minute', 120_000)));
    assert.deepEqual(claims.filter(Boolean).length, 1);
    assert.equal(await store.claimTick(scope, 'default', 'every-minute', 120_000), false, 'a tick is claimed once');
    assert.equal(await store.claimTick(scope, 'default', 'every-minute', 90_000), false, 'never an earlier tick');
    assert.equal(await store.claimTick(scope, 'default', 'every-minute', 180_000), true);
    assert.equal(await store.claimTick(scope, 'default', 'gone', 180_000), false);
    assert.equal((await store.getRule(scope, 'default', 'every-minute'))?.lastTickMs, 180_000);
    // A write of the rule as read before that claim (DisableRule racing the scheduler) keeps the claim.
    await store.putRule(scope, rule('every-minute', { scheduleExpression: 'rate(1 minute)', state: 'DISABLED', lastTickMs: 120_000 }));
    assert.equal((await store.getRule(scope, 'default', 'every-minute'))?.lastTickMs, 180_000);
    assert.equal((await store.getRule(scope, 'default', 'every-minute'))?.state, 'DISABLED');
  });

  withStore('target retries are claimed by one node at a time, rescheduled, taken again when a lease runs out, and completed', async (store) => {
    await store.enqueueRetry({ id: 'r1', dueMs: 100, attempts: 1, body: '{"n":1}' });
    await store.enqueueRetry({ id: 'r2', dueMs: 5_000, attempts: 1, body: '{"n":2}' });
    assert.deepEqual(await store.claimDueRetries('a', 1_000, 2_000, 10, new Set()), [{ id: 'r1', dueMs: 100, attempts: 1, body: '{"n":1}' }]);
    assert.deepEqual(await store.claimDueRetries('b', 1_500, 2_500, 10, new Set()), [], 'held by a');
    assert.equal(await store.nextRetryDueMs('b', new Set()), 2_001);
    assert.equal(await store.nextRetryDueMs('a', new Set(['r1'])), 5_000);
    await store.rescheduleRetry('r1', 3_000, 2);
    assert.deepEqual((await store.claimDueRetries('b', 3_000, 4_000, 10, new Set())).map((r) => [r.id, r.attempts, r.dueMs]), [['r1', 2, 3_000]]);
    assert.deepEqual((await store.claimDueRetries('a', 4_001, 5_000, 10, new Set())).map((r) => r.id), ['r1'], 'b\'s lease ran out');
    await store.completeRetry('r1');
    await store.completeRetry('r2');
    assert.equal(await store.nextRetryDueMs('a', new Set()), undefined);
  });
}
