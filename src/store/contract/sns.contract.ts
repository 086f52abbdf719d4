// The SnsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { SnsStore, StoredSubscription, StoredTopic } from '../sns-store.js';

const account = '000000000000';
const region = 'us-east-1';
const arnOf = (name: string) => `arn:aws:sns:${region}:${account}:${name}`;
const topic = (name: string, extra: Partial<StoredTopic> = {}): StoredTopic =>
  ({ arn: arnOf(name), accountId: account, region, name, attributes: {}, tags: [], createdMs: 1, ...extra });
const subscription = (topicName: string, id: string, extra: Partial<StoredSubscription> = {}): StoredSubscription => ({
  arn: `${arnOf(topicName)}:${id}`, topicArn: arnOf(topicName), accountId: account, region, protocol: 'http', endpoint: `http://e/${id}`, confirmed: true, attributes: {}, ...extra,
});

export function snsStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: SnsStore) => Promise<void>) => test(`${backend.name}: SnsStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.sns);
    } finally {
      await opened.close();
    }
  });

  withStore('topics are created once, read, updated, listed by ARN per region, and deleted with their subscriptions', async (store) => {
    assert.deepEqual(await store.createTopic(topic('b', { attributes: { DisplayName: 'B' } })), { created: true, topic: topic('b', { attributes: { DisplayName: 'B' } }) });
    const again = await store.createTopic(topic('b', { createdMs: 2 }));
    assert.equal(again.created, false);
    assert.deepEqual(again.topic.attributes, { DisplayName: 'B' });
    await store.createTopic(topic('a'));
    await store.createTopic({ ...topic('c'), region: 'eu-west-1', arn: `arn:aws:sns:eu-west-1:${account}:c` });
    assert.deepEqual((await store.listTopics(account, region)).map((t) => t.name), ['a', 'b']);
    assert.equal(await store.updateTopic(topic('a', { tags: [{ Key: 'k', Value: 'v' }] })), true);
    assert.deepEqual((await store.getTopic(arnOf('a')))!.tags, [{ Key: 'k', Value: 'v' }]);
    assert.equal(await store.updateTopic(topic('missing')), false);
    await store.putSubscription(subscription('a', '1'));
    assert.equal(await store.deleteTopic(arnOf('a')), true);
    assert.equal(await store.getTopic(arnOf('a')), undefined);
    assert.equal(await store.getSubscription(`${arnOf('a')}:1`), undefined);
    assert.equal(await store.deleteTopic(arnOf('a')), false);
  });

  withStore('subscriptions are stored, replaced, listed per region and per topic, and deleted', async (store) => {
    await store.createTopic(topic('t'));
    await store.putSubscription(subscription('t', '2', { confirmed: false, token: 'tok' }));
    await store.putSubscription(subscription('t', '1'));
    await store.putSubscription(subscription('u', '3'));
    assert.deepEqual((await store.listSubscriptionsByTopic(arnOf('t'))).map((s) => s.arn), [`${arnOf('t')}:1`, `${arnOf('t')}:2`]);
    assert.equal((await store.listSubscriptions(account, region)).length, 3);
    await store.putSubscription(subscription('t', '2', { confirmed: true, token: 'tok', attributes: { RawMessageDelivery: 'true' } }));
    const replaced = (await store.getSubscription(`${arnOf('t')}:2`))!;
    assert.equal(replaced.confirmed, true);
    assert.deepEqual(replaced.attributes, { RawMessageDelivery: 'true' });
    assert.equal(await store.deleteSubscription(`${arnOf('t')}:2`), true);
    assert.equal(await store.deleteSubscription(`${arnOf('t')}:2`), false);
  });

  withStore('FIFO deduplication ids hold their first message for the window, per topic', async (store) => {
    const first = { messageId: 'm1', sequenceNumber: '10000000000000000001' };
    assert.equal(await store.deduplicate(arnOf('t.fifo'), 'd', first, 1_000, 300_000), undefined);
    assert.deepEqual(await store.deduplicate(arnOf('t.fifo'), 'd', { messageId: 'm2', sequenceNumber: '2' }, 2_000, 300_000), first);
    assert.equal(await store.deduplicate(arnOf('u.fifo'), 'd', { messageId: 'm3', sequenceNumber: '3' }, 2_000, 300_000), undefined);
    // Past the window the id is free again.
    assert.equal(await store.deduplicate(arnOf('t.fifo'), 'd', { messageId: 'm4', sequenceNumber: '4' }, 301_000, 300_000), undefined);
  });

  withStore('deliveries are claimed by one node at a time, rescheduled, taken again when a lease runs out, and completed', async (store) => {
    await store.enqueue([
      { id: 'd1', subscriptionArn: 's', dueMs: 100, body: '{"n":1}' },
      { id: 'd2', subscriptionArn: 's', dueMs: 200, body: '{"n":2}' },
      { id: 'd3', subscriptionArn: 's', dueMs: 5_000, body: '{"n":3}' },
    ]);
    assert.deepEqual((await store.claimDue('a', 1_000, 2_000, 10, new Set())).map((d) => [d.id, d.attempts, d.body]), [['d1', 0, '{"n":1}'], ['d2', 0, '{"n":2}']]);
    // Another node takes nothing while the leases hold; the claiming node, by its id, may (after a restart).
    assert.deepEqual(await store.claimDue('b', 1_500, 2_500, 10, new Set()), []);
    assert.deepEqual((await store.claimDue('a', 1_500, 2_500, 10, new Set(['d1']))).map((d) => d.id), ['d2']);
    assert.equal(await store.nextDueMs('b', new Set()), 2_001);
    assert.equal(await store.nextDueMs('a', new Set(['d1', 'd2'])), 5_000);
    await store.reschedule('d1', 3_000, 1);
    await store.complete('d2');
    // d1 free again when due; the lease of nothing else holds.
    const taken = await store.claimDue('b', 3_000, 4_000, 10, new Set());
    assert.deepEqual(taken.map((d) => [d.id, d.attempts, d.dueMs]), [['d1', 1, 3_000]]);
    // A lease run out: the other node takes it.
    assert.deepEqual((await store.claimDue('a', 4_001, 5_000, 10, new Set())).map((d) => d.id), ['d1']);
    await store.complete('d1');
    await store.complete('d3');
    assert.equal(await store.nextDueMs('a', new Set()), undefined);
    await store.enqueue([]);
  });
}
