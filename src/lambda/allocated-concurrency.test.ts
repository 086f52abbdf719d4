import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocatedConcurrency } from './allocated-concurrency.js';
import { ConcurrencyTracker } from './concurrency-tracker.js';

test('allocated concurrency: provisioned settings plus reserved concurrency, per account', async () => {
  const reserved: Record<string, number> = { '111:us-east-1': 5, '222:eu-west-1': 0, '333:us-east-1': 7 };
  const store = { totalReserved: async (accountId: string, region: string) => reserved[`${accountId}:${region}`] ?? 0 };
  const row = (accountId: string, region: string, requested: number) => ({ accountId, region, name: 'f', qualifier: '1', requested, lastModifiedMs: 0 });
  const allocated = await allocatedConcurrency(store, [row('111', 'us-east-1', 2), row('111', 'us-east-1', 3), row('222', 'eu-west-1', 1)], ['333:us-east-1']);
  assert.deepEqual(Object.fromEntries(allocated), { '111:us-east-1': 10, '222:eu-west-1': 1, '333:us-east-1': 7 });
});

test('claimed concurrency: invocations running unreserved plus what the account set aside; a new account is announced once', () => {
  const tracker = new ConcurrencyTracker(1000);
  let announced = 0;
  tracker.onNewAccount(() => announced++);
  tracker.setAllocated(new Map([['a', 6]]));
  const one = tracker.acquire('a', 'a:f', undefined, 1000) as { release(): void };
  const two = tracker.acquire('a', 'a:g', 4, 1000) as { release(): void };
  assert.equal(tracker.unreservedRunning('a'), 1, 'g has reserved concurrency');
  assert.equal(tracker.claimed('a'), 7);
  assert.equal(announced, 1);
  one.release();
  two.release();
  assert.equal(tracker.claimed('a'), 6);
  assert.deepEqual([...tracker.knownAccounts()], ['a']);
});
