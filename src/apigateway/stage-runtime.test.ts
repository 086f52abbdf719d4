// StageRuntime: what the data plane reads. Snapshots are frozen and shared, stage variables are
// live, scope is checked, and a load that races with a stage update is never cached stale.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../store/sqlite/database.js';
import { apigatewayMigrations } from '../store/sqlite/migrations/apigateway.js';
import { SqliteApiGatewayStore } from '../store/sqlite/apigateway-store.js';
import type { ApiGatewayStore, RestApiRecord, StageRecord } from '../store/apigateway-store.js';
import { StageRuntime } from './stage-runtime.js';
import { takeSnapshot } from './snapshot.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

let dir: string;
let db: SqliteDb;
let store: SqliteApiGatewayStore;
let runtime: StageRuntime;
let api: RestApiRecord;

const stage = (deploymentId: string, extra: Partial<StageRecord> = {}): StageRecord => ({
  stageName: 'dev', deploymentId, cacheClusterEnabled: false, methodSettings: {}, tracingEnabled: false, createdDate: 1, lastUpdatedDate: 1, ...extra,
});

/** Deploys the API as it is now, pointing stage "dev" at the new deployment. */
async function deploy(id: string, extra: Partial<StageRecord> = {}, target: ApiGatewayStore = store) {
  const current = (await target.getStage(api.id, 'dev')) ?? stage(id);
  await target.createDeployment(api.id, { id, createdDate: 1, snapshot: await takeSnapshot(target, api) }, { ...current, deploymentId: id, ...extra });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-stage-runtime-'));
  db = openSqlite(dir, apigatewayMigrations);
  store = new SqliteApiGatewayStore(db);
  runtime = new StageRuntime(store);
  api = {
    accountId: ACCOUNT, region: REGION, id: 'api0000001', name: 'pets', createdDate: 1, rootResourceId: 'root000001', binaryMediaTypes: ['image/png'],
    apiKeySource: 'HEADER', endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' }, disableExecuteApiEndpoint: false, tags: {},
  };
  await store.createRestApi(api, [{ id: api.rootResourceId, path: '/' }]);
  await store.putMethod(api.id, api.rootResourceId, {
    httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false,
    methodIntegration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000 },
  });
});
afterEach(() => {
  runtime.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('resolves a stage to its frozen deployment and live settings; checks account and region', async () => {
  await deploy('dep0000001', { variables: { color: 'red' } });
  const resolved = await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev');
  assert.ok(resolved);
  assert.equal(resolved.api.name, 'pets');
  assert.equal(resolved.api.endpointType, 'REGIONAL');
  assert.deepEqual(resolved.api.binaryMediaTypes, ['image/png']);
  assert.equal(resolved.stage.name, 'dev');
  assert.deepEqual(resolved.stage.variables, { color: 'red' });
  assert.equal(resolved.deployment.id, 'dep0000001');
  assert.deepEqual(resolved.deployment.snapshot.resources.map((r) => [r.path, Object.keys(r.resourceMethods)]), [['/', ['GET']]]);
  assert.equal(resolved.deployment.snapshot.resources[0].resourceMethods.GET.methodIntegration?.type, 'MOCK');
  assert.throws(() => { (resolved.deployment.snapshot.resources as unknown[]).push({}); }, TypeError);
  assert.throws(() => { (resolved.stage.variables as Record<string, string>).color = 'blue'; }, TypeError);

  assert.equal(await runtime.resolveStage(ACCOUNT, 'eu-west-1', api.id, 'dev'), undefined);
  assert.equal(await runtime.resolveStage('111111111111', REGION, api.id, 'dev'), undefined);
  assert.equal(await runtime.resolveStage(ACCOUNT, REGION, api.id, 'nope'), undefined);
  assert.equal(await runtime.resolveStage(ACCOUNT, REGION, 'missing', 'dev'), undefined);
  assert.deepEqual(await runtime.findApi(api.id), { id: api.id, name: 'pets', accountId: ACCOUNT, region: REGION });
  assert.equal(await runtime.findApi('missing'), undefined);
});

test('later API edits are not served until redeployed; the snapshot object is shared while cached', async () => {
  await deploy('dep0000001');
  const first = await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev');
  await store.createResource(api.id, { id: 'pets000001', parentId: api.rootResourceId, pathPart: 'pets', path: '/pets' });
  await store.putMethod(api.id, 'pets000001', { httpMethod: 'POST', authorizationType: 'NONE', methodIntegration: { type: 'MOCK' } });
  api = { ...api, binaryMediaTypes: ['*/*'] };
  await store.updateRestApi(api);
  const unchanged = await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev');
  assert.deepEqual(unchanged!.deployment.snapshot.resources.map((r) => r.path), ['/']);
  assert.deepEqual(unchanged!.api.binaryMediaTypes, ['image/png']);
  assert.equal(unchanged!.deployment.snapshot, first!.deployment.snapshot);

  await deploy('dep0000002');
  const redeployed = await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev');
  assert.equal(redeployed!.deployment.id, 'dep0000002');
  assert.deepEqual(redeployed!.deployment.snapshot.resources.map((r) => r.path), ['/', '/pets']);
  assert.deepEqual(redeployed!.api.binaryMediaTypes, ['*/*']);
});

test('stage variables are live: an update is visible on the next resolution', async () => {
  await deploy('dep0000001', { variables: { color: 'red' } });
  assert.equal((await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev'))!.stage.variables.color, 'red');
  await store.updateStage(api.id, stage('dep0000001', { variables: { color: 'blue' } }));
  assert.equal((await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev'))!.stage.variables.color, 'blue');
  await store.deleteStage(api.id, 'dev');
  assert.equal(await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev'), undefined);
  await store.deleteRestApi({ accountId: ACCOUNT, region: REGION }, api.id);
  assert.equal(await runtime.findApi(api.id), undefined);
});

test('a resolution racing a stage update is not cached stale', async () => {
  await deploy('dep0000001', { variables: { color: 'red' } });
  // A store whose stage reads can be held after reading, as a slow database read would be.
  let release!: () => void;
  let held = false;
  const slowGetStage: ApiGatewayStore['getStage'] = async (apiId, name) => {
    const value = await store.getStage(apiId, name);
    if (!held) {
      held = true;
      await new Promise<void>((resolve) => (release = resolve));
    }
    return value;
  };
  const slow = new Proxy(store, {
    get(target, prop) {
      if (prop === 'getStage') return slowGetStage;
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as ApiGatewayStore;
  const racing = new StageRuntime(slow);
  try {
    const inFlight = racing.resolveStage(ACCOUNT, REGION, api.id, 'dev');
    await new Promise((r) => setImmediate(r));
    await store.updateStage(api.id, stage('dep0000001', { variables: { color: 'blue' } }));
    release();
    assert.equal((await inFlight)!.stage.variables.color, 'red'); // read before the update: fine to answer once
    assert.equal((await racing.resolveStage(ACCOUNT, REGION, api.id, 'dev'))!.stage.variables.color, 'blue');
  } finally {
    racing.close();
  }
});

test('the canary deployment is resolved with its traffic share and overrides', async () => {
  await deploy('dep0000001', { variables: { v: 'stable' } });
  await store.createDeployment(api.id, { id: 'dep0000002', createdDate: 2, snapshot: await takeSnapshot(store, api) });
  await store.updateStage(api.id, stage('dep0000001', {
    variables: { v: 'stable' }, canarySettings: { deploymentId: 'dep0000002', percentTraffic: 25, stageVariableOverrides: { v: 'canary' }, useStageCache: false },
  }));
  const resolved = await runtime.resolveStage(ACCOUNT, REGION, api.id, 'dev');
  assert.equal(resolved!.deployment.id, 'dep0000001');
  assert.equal(resolved!.canary!.deployment.id, 'dep0000002');
  assert.equal(resolved!.canary!.percentTraffic, 25);
  assert.deepEqual(resolved!.canary!.stageVariableOverrides, { v: 'canary' });
});
