// UsageMeter: a plan's throttle as a token bucket per key in this process, and its quota per UTC
// calendar period counted through UsageCounts into a real (SQLite) store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { SqliteApiGatewayStore } from '../store/sqlite/apigateway-store.js';
import { UsageCounts } from '../apigateway/usage-counts.js';
import type { PlanLimits } from '../apigateway/api-key-runtime.js';
import { isGatewayError } from './errors.js';
import { UsageMeter } from './usage-meter.js';

const refusal = async (fn: () => void | Promise<void>): Promise<string | undefined> => {
  try {
    await fn();
    return undefined;
  } catch (e) {
    assert.ok(isGatewayError(e));
    return `${e.status} ${e.errorType} ${e.body().toString()}`;
  }
};
const THROTTLED = '429 TooManyRequestsException {"message":"Too Many Requests"}';
const QUOTA = '429 LimitExceededException {"message":"Limit Exceeded"}';
const scope = { accountId: '000000000000', region: 'us-east-1' };

/** A SQLite store in a temporary directory with the given plans; `reopen` gives a second store on the same file. */
async function storeWith(planIds: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-usage-'));
  const dbs = [openSqlite(dir, allMigrations)];
  const store = new SqliteApiGatewayStore(dbs[0]);
  for (const id of planIds) await store.createUsagePlan({ ...scope, id, name: id, apiStages: [], tags: {} });
  return {
    store,
    reopen: () => new SqliteApiGatewayStore(dbs[dbs.push(openSqlite(dir, allMigrations)) - 1]),
    close: () => {
      for (const db of dbs) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('throttle: burstLimit requests at once, then rateLimit per second; per key', async () => {
  let now = 1_000_000;
  const meter = new UsageMeter(undefined, () => now);
  const plan = { planId: 'p', throttle: { burstLimit: 2, rateLimit: 1 } };
  assert.equal(await refusal(() => meter.charge(plan, 'k')), undefined);
  assert.equal(await refusal(() => meter.charge(plan, 'k')), undefined);
  assert.equal(await refusal(() => meter.charge(plan, 'k')), THROTTLED);
  assert.equal(await refusal(() => meter.charge(plan, 'other')), undefined, 'another key has its own bucket');
  now += 1000;
  assert.equal(await refusal(() => meter.charge(plan, 'k')), undefined, 'one token back after a second');
  assert.equal(await refusal(() => meter.charge(plan, 'k')), THROTTLED);
});

test('a method the plan throttles on its own has its own bucket with that throttle; the plan\'s other methods share the plan\'s', async () => {
  const meter = new UsageMeter(undefined, () => 1_000_000);
  const plan: PlanLimits = { planId: 'p', throttle: { burstLimit: 2, rateLimit: 100 }, methodThrottles: { '/slow/GET': { burstLimit: 1, rateLimit: 1 } } };
  assert.equal(await refusal(() => meter.charge(plan, 'k', '/slow/GET')), undefined);
  assert.equal(await refusal(() => meter.charge(plan, 'k', '/slow/GET')), THROTTLED, 'the method\'s burst of 1');
  assert.equal(await refusal(() => meter.charge(plan, 'k', '/fast/GET')), undefined);
  assert.equal(await refusal(() => meter.charge(plan, 'k', '/fast/POST')), undefined);
  assert.equal(await refusal(() => meter.charge(plan, 'k', '/fast/GET')), THROTTLED, 'the plan\'s burst of 2, shared by the methods without their own');
});

test('quota: limit requests per period, counted afresh in the next one; throttled requests are not counted', async () => {
  const db = await storeWith(['p', 'q']);
  let now = Date.UTC(2026, 10, 25, 23, 59);
  const counts = new UsageCounts(db.store, { now: () => now, flushMs: 3_600_000 });
  try {
    const meter = new UsageMeter(counts, () => now);
    const plan = { planId: 'p', quota: { limit: 2, offset: 0, period: 'DAY' as const } };
    assert.equal(await refusal(() => meter.charge(plan, 'k')), undefined);
    assert.equal(await refusal(() => meter.charge(plan, 'k')), undefined);
    assert.equal(await refusal(() => meter.charge(plan, 'k')), QUOTA);
    now = Date.UTC(2026, 10, 26, 0, 1);
    assert.equal(await refusal(() => meter.charge(plan, 'k')), undefined, 'a new day');

    const both = { planId: 'q', throttle: { burstLimit: 1, rateLimit: 0 }, quota: { limit: 1, offset: 0, period: 'MONTH' as const } };
    assert.equal(await refusal(() => meter.charge(both, 'k')), undefined);
    assert.equal(await refusal(() => meter.charge(both, 'k')), THROTTLED, 'the throttle answers first');
    await counts.flush();
    assert.deepEqual((await db.store.listUsage('p', '2026-11-01', '2026-11-30')).map((r) => [r.day, r.used]), [['2026-11-25', 2], ['2026-11-26', 1]]);
  } finally {
    await counts.close();
    db.close();
  }
});

test('quota: the offset is taken off in the plan\'s first period', async () => {
  const db = await storeWith(['p']);
  const now = Date.UTC(2026, 10, 25, 12);
  const counts = new UsageCounts(db.store, { now: () => now, flushMs: 3_600_000 });
  try {
    const meter = new UsageMeter(counts, () => now);
    const plan: PlanLimits = { planId: 'p', quota: { limit: 3, offset: 2, period: 'MONTH' }, createdDate: now - 1000 };
    assert.equal(await refusal(() => meter.charge(plan, 'k')), undefined);
    assert.equal(await refusal(() => meter.charge(plan, 'k')), QUOTA);
  } finally {
    await counts.close();
    db.close();
  }
});

test('quota counts are stored at flush and close, so another counter (a restart, another node) sees them', async () => {
  const db = await storeWith(['p']);
  const now = Date.UTC(2026, 10, 25, 12);
  const plan = { planId: 'p', quota: { limit: 3, offset: 0, period: 'WEEK' as const } };
  const first = new UsageCounts(db.store, { now: () => now, flushMs: 3_600_000 });
  const meter = new UsageMeter(first, () => now);
  await meter.charge(plan, 'k');
  await meter.charge(plan, 'k');
  await first.close();
  const second = new UsageCounts(db.reopen(), { now: () => now, flushMs: 3_600_000 });
  const other = new UsageCounts(db.reopen(), { now: () => now, flushMs: 3_600_000 });
  try {
    const restarted = new UsageMeter(second, () => now);
    const node = new UsageMeter(other, () => now);
    assert.equal(await refusal(() => restarted.charge(plan, 'k')), undefined, 'the third request of the week');
    assert.equal(await refusal(() => node.charge(plan, 'k')), undefined, 'the other node has not seen it yet (one flush interval)');
    await second.flush();
    await other.flush();
    assert.equal(await refusal(() => restarted.charge(plan, 'k')), QUOTA, 'after a flush each sees the shared total');
    assert.equal(await refusal(() => node.charge(plan, 'k')), QUOTA);
    assert.deepEqual((await db.store.listUsage('p', '2026-11-23', '2026-11-29')).map((r) => r.used), [4]);
  } finally {
    await second.close();
    await other.close();
    db.close();
  }
});
