import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { SubscriptionDelivery, isOwnLogGroup, type SubscriptionDestination } from './subscription-delivery.js';
import type { ScopedSubscriptionFilter, SubscriptionFilterStore } from '../store/subscription-filter-store.js';
import type { SubscriptionMessage } from './subscription-message.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const SHIPPER = 'arn:aws:lambda:us-east-1:000000000000:function:shipper';
const filter = (groupName: string, name: string, pattern: string): ScopedSubscriptionFilter => ({
  scope, groupName, name, pattern, destinationArn: SHIPPER, distribution: 'ByLogStream', createdMs: 1,
});

async function setup(filters: ScopedSubscriptionFilter[]) {
  const store = { allSubscriptionFilters: async () => filters } as unknown as SubscriptionFilterStore;
  const sent: { arn: string; source: string; message: SubscriptionMessage }[] = [];
  const destination: SubscriptionDestination = {
    allows: async () => true,
    deliver: async (arn, source, _account, event) => {
      const { awslogs } = JSON.parse(event.toString()) as { awslogs: { data: string } };
      sent.push({ arn, source, message: JSON.parse(gunzipSync(Buffer.from(awslogs.data, 'base64')).toString()) as SubscriptionMessage });
    },
  };
  const delivery = new SubscriptionDelivery(store);
  delivery.connect(destination);
  await delivery.reload();
  return { delivery, sent };
}

test('each filter gets one message per stream per batch with only its matching events, from the group\'s ARN', async () => {
  const { delivery, sent } = await setup([filter('/app', 'errors', 'ERROR'), filter('/app', 'all', ''), filter('/other', 'x', '')]);
  assert.equal(delivery.has(scope, '/app'), true);
  assert.equal(delivery.has(scope, '/none'), false);
  delivery.observe(scope, '/app', 's1', [{ timestamp: 1, message: 'ERROR a' }, { timestamp: 2, message: 'fine' }]);
  delivery.observe(scope, '/app', 's2', [{ timestamp: 3, message: 'fine too' }]);
  await new Promise((r) => setImmediate(r));
  const summary = sent.map((s) => `${s.message.subscriptionFilters[0]}:${s.message.logStream}:${s.message.logEvents.map((e) => e.message).join('|')}`);
  assert.deepEqual(summary.sort(), ['all:s1:ERROR a|fine', 'all:s2:fine too', 'errors:s1:ERROR a']);
  assert.ok(sent.every((s) => s.arn === SHIPPER && s.source === 'arn:aws:logs:us-east-1:000000000000:log-group:/app:*'));
  assert.deepEqual(delivery.stats(), { delivered: 3, failed: 0 });
});

test("a function's own log group is never delivered to it", async () => {
  const { delivery, sent } = await setup([filter('/aws/lambda/shipper', 'self', '')]);
  delivery.observe(scope, '/aws/lambda/shipper', 's', [{ timestamp: 1, message: 'shipped something' }]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent, []);
  assert.equal(isOwnLogGroup(`${SHIPPER}:live`, '/aws/lambda/shipper'), true);
  assert.equal(isOwnLogGroup(SHIPPER, '/aws/lambda/shipper-two'), false);
});
