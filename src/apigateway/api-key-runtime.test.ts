// ApiKeyRuntime: which key values may call which stage. Answers are cached, every write to keys,
// plans or memberships is seen by the next request, and a lookup that races a write is not cached.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../store/sqlite/database.js';
import { apigatewayMigrations } from '../store/sqlite/migrations/apigateway.js';
import { SqliteApiGatewayStore } from '../store/sqlite/apigateway-store.js';
import type { ApiKeyRecord, ApiScope } from '../store/apigateway-store.js';
import { ApiKeyRuntime } from './api-key-runtime.js';

const SCOPE: ApiScope = { accountId: '000000000000', region: 'us-east-1' };
const VALUE = 'v'.repeat(40);
const key: ApiKeyRecord = { ...SCOPE, id: 'key0000001', value: VALUE, enabled: true, createdDate: 1, lastUpdatedDate: 1, stageKeys: [], tags: {} };

let dir: string;
let db: SqliteDb;
let store: SqliteApiGatewayStore;
let runtime: ApiKeyRuntime;
let lookups: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-api-key-runtime-'));
  db = openSqlite(dir, apigatewayMigrations);
  store = new SqliteApiGatewayStore(db);
  lookups = 0;
  const find = store.findApiKeyByValue.bind(store);
  store.findApiKeyByValue = (scope, value) => {
    lookups++;
    return find(scope, value);
  };
  runtime = new ApiKeyRuntime(store);
  await store.createApiKey(key);
  await store.createUsagePlan({ ...SCOPE, id: 'plan01', name: 'p', apiStages: [{ apiId: 'api0000001', stage: 'dev' }], quota: { limit: 5, offset: 0, period: 'DAY' }, tags: {} });
  await store.addUsagePlanKey('plan01', key.id);
});
afterEach(() => {
  runtime.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('admits an enabled key of a plan that lists the stage, and caches the answer', async () => {
  const admitted = { key: { id: key.id, value: VALUE }, plan: { planId: 'plan01', quota: { limit: 5, offset: 0, period: 'DAY' } } };
  assert.deepEqual(await runtime.admit(SCOPE, 'api0000001', 'dev', VALUE), admitted);
  assert.deepEqual(await runtime.admit(SCOPE, 'api0000001', 'dev', VALUE), admitted);
  assert.equal(await runtime.admit(SCOPE, 'api0000001', 'prod', VALUE), undefined, 'another stage of the API');
  assert.equal(await runtime.admit(SCOPE, 'api0000002', 'dev', VALUE), undefined, 'another API');
  assert.equal(await runtime.admit({ ...SCOPE, region: 'eu-west-1' }, 'api0000001', 'dev', VALUE), undefined, 'another region');
  assert.equal(await runtime.admit(SCOPE, 'api0000001', 'dev', 'x'.repeat(40)), undefined, 'an unknown value');
  assert.equal(lookups, 3, 'one store lookup per account, region and value');
});

test('sees every write at once: disabling, leaving the plan, the plan losing the stage, deletion', async () => {
  const admitted = () => runtime.admit(SCOPE, 'api0000001', 'dev', VALUE);
  assert.ok(await admitted());
  await store.updateApiKey({ ...key, enabled: false });
  assert.equal(await admitted(), undefined, 'disabled');
  await store.updateApiKey(key);
  assert.ok(await admitted(), 'enabled again');
  await store.removeUsagePlanKey('plan01', key.id);
  assert.equal(await admitted(), undefined, 'removed from the plan');
  await store.addUsagePlanKey('plan01', key.id);
  assert.ok(await admitted());
  await store.updateUsagePlan({ ...SCOPE, id: 'plan01', name: 'p', apiStages: [], tags: {} });
  assert.equal(await admitted(), undefined, 'the plan no longer lists the stage');
  await store.updateUsagePlan({ ...SCOPE, id: 'plan01', name: 'p', apiStages: [{ apiId: 'api0000001', stage: 'dev' }], tags: {} });
  assert.ok(await admitted());
  await store.deleteApiKey(SCOPE, key.id);
  assert.equal(await admitted(), undefined, 'deleted');
});

test('a lookup that raced a write is answered but not cached', async () => {
  const find = store.findApiKeyByValue;
  store.findApiKeyByValue = async (scope, value) => {
    const found = await find(scope, value);
    await store.updateApiKey({ ...key, enabled: false });
    return found;
  };
  assert.ok(await runtime.admit(SCOPE, 'api0000001', 'dev', VALUE), 'read before the write landed');
  store.findApiKeyByValue = find;
  assert.equal(await runtime.admit(SCOPE, 'api0000001', 'dev', VALUE), undefined, 'not served from a stale cache');
});
