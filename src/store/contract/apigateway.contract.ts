// The ApiGatewayStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenedStores, StoreBackend } from './backend.js';
import type {
  ApiGatewayChange, ApiGatewayStore, ApiKeyRecord, ApiScope, DeploymentRecord, DomainNameRecord, ResourceRecord, RestApiRecord, StageRecord, UsagePlanRecord,
} from '../apigateway-store.js';

const A: ApiScope = { accountId: '000000000000', region: 'us-east-1' };
const B: ApiScope = { accountId: '000000000000', region: 'eu-west-1' };

const restApi = (scope: ApiScope, id: string, extra: Partial<RestApiRecord> = {}): RestApiRecord => ({
  ...scope, id, name: `api-${id}`, createdDate: 1000, rootResourceId: `${id}-root`, binaryMediaTypes: [], apiKeySource: 'HEADER',
  endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' }, disableExecuteApiEndpoint: false, tags: {}, ...extra,
});
const deployment = (id: string, createdDate = 1000): DeploymentRecord => ({
  id, createdDate, snapshot: { api: { binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false }, resources: [] },
});
const stage = (stageName: string, deploymentId: string, extra: Partial<StageRecord> = {}): StageRecord => ({
  stageName, deploymentId, cacheClusterEnabled: false, methodSettings: {}, tracingEnabled: false, createdDate: 1000, lastUpdatedDate: 1000, ...extra,
});

const apiKey = (scope: ApiScope, id: string, value: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  ...scope, id, value, name: `key-${id}`, enabled: true, createdDate: 1000, lastUpdatedDate: 1000, stageKeys: [], tags: {}, ...extra,
});
const usagePlan = (scope: ApiScope, id: string, extra: Partial<UsagePlanRecord> = {}): UsagePlanRecord => ({
  ...scope, id, name: `plan-${id}`, apiStages: [], tags: {}, ...extra,
});

const domain = (scope: ApiScope, domainName: string, createdDate = 1000): DomainNameRecord => ({
  ...scope, domainName, createdDate, endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' }, securityPolicy: 'TLS_1_2', generatedId: 'abc123defg',
});

/** Creates an API with root "/" plus /a, /a/b, /a/b/c and a GET method on /a/b/c. */
async function seedTree(store: ApiGatewayStore, id: string, scope = A) {
  const api = restApi(scope, id);
  assert.equal(await store.createRestApi(api, [{ id: api.rootResourceId, path: '/' }]), true);
  await store.createResource(id, { id: 'a', parentId: api.rootResourceId, pathPart: 'a', path: '/a' });
  await store.createResource(id, { id: 'b', parentId: 'a', pathPart: 'b', path: '/a/b' });
  await store.createResource(id, { id: 'c', parentId: 'b', pathPart: '{c}', path: '/a/b/{c}' });
  await store.putMethod(id, 'c', { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false });
  return api;
}

export function apiGatewayStoreContract(backend: StoreBackend): void {
  const name = backend.name;
  const open = async (location?: string) => {
    const opened: OpenedStores = await backend.open(location);
    return { store: opened.apigateway, dir: opened.location, close: opened.close };
  };
  let current: { store: ApiGatewayStore; dir: string; close(): Promise<void> } | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const fresh = async () => (current = await open()).store;

  test(`${name}: REST APIs are scoped by account and region, ids are unique everywhere`, async () => {
    const store = await fresh();
    const api = restApi(A, 'api1');
    assert.equal(await store.createRestApi(api, [{ id: api.rootResourceId, path: '/' }]), true);
    assert.equal(await store.createRestApi(restApi(B, 'api1'), [{ id: 'other-root', path: '/' }]), false);
    assert.equal((await store.getRestApi(A, 'api1'))?.name, 'api-api1');
    assert.equal(await store.getRestApi(B, 'api1'), undefined);
    assert.equal((await store.findRestApi('api1'))?.region, 'us-east-1');
    await store.createRestApi(restApi(A, 'api2', { createdDate: 2000 }), [{ id: 'root2', path: '/' }]);
    assert.deepEqual((await store.listRestApis(A)).map((a) => a.id), ['api1', 'api2']);
    assert.deepEqual(await store.listRestApis(B), []);
    assert.deepEqual(await store.listResources('api1'), [{ id: 'api1-root', path: '/' }]);
    await store.updateRestApi({ ...api, name: 'renamed' });
    assert.equal((await store.getRestApi(A, 'api1'))?.name, 'renamed');
    assert.equal(await store.deleteRestApi(B, 'api1'), false);
    assert.equal(await store.deleteRestApi(A, 'api1'), true);
    assert.equal(await store.findRestApi('api1'), undefined);
  });

  test(`${name}: moving a resource rewrites its subtree's paths; siblings stay unique`, async () => {
    const store = await fresh();
    const api = await seedTree(store, 'tree');
    await store.moveResource('tree', 'b', api.rootResourceId, 'bee', '/bee');
    const paths = Object.fromEntries((await store.listResources('tree')).map((r) => [r.id, r.path]));
    assert.deepEqual(paths, { [api.rootResourceId]: '/', a: '/a', b: '/bee', c: '/bee/{c}' });
    assert.equal((await store.getResource('tree', 'b'))?.parentId, api.rootResourceId);
    await assert.rejects(store.createResource('tree', { id: 'dup', parentId: api.rootResourceId, pathPart: 'a', path: '/a' }));
  });

  test(`${name}: deleting a resource deletes its descendants and their methods in one go`, async () => {
    const store = await fresh();
    await seedTree(store, 'del');
    assert.equal((await store.listMethods('del')).length, 1);
    assert.equal(await store.deleteResource('del', 'a'), true);
    assert.deepEqual((await store.listResources('del')).map((r) => r.path), ['/']);
    assert.deepEqual(await store.listMethods('del'), []);
    assert.equal(await store.deleteResource('del', 'a'), false);
  });

  test(`${name}: a resource chain deeper than 1000 levels can be deleted, alone or with its API`, async () => {
    const store = await fresh();
    for (const id of ['chain1', 'chain2']) {
      const api = restApi(A, id);
      const resources: ResourceRecord[] = [{ id: api.rootResourceId, path: '/' }];
      for (let i = 1; i <= 1100; i++) resources.push({ id: `r${i}`, parentId: i === 1 ? api.rootResourceId : `r${i - 1}`, pathPart: 'a', path: '/a'.repeat(i) });
      assert.equal(await store.createRestApi(api, resources), true);
      await store.putMethod(id, 'r1100', { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false });
    }
    assert.equal(await store.deleteResource('chain1', 'r1'), true);
    assert.deepEqual((await store.listResources('chain1')).map((r) => r.path), ['/']);
    assert.deepEqual(await store.listMethods('chain1'), []);
    assert.equal(await store.deleteRestApi(A, 'chain2'), true);
    assert.deepEqual(await store.listResources('chain2'), []);
  });

  test(`${name}: a deployment and its stage are written together; a used deployment cannot be deleted`, async () => {
    const store = await fresh();
    await seedTree(store, 'dep');
    await store.createDeployment('dep', deployment('d1'), stage('dev', 'd1', { variables: { a: '1' } }));
    assert.equal((await store.getStage('dep', 'dev'))?.deploymentId, 'd1');
    assert.deepEqual((await store.getDeployment('dep', 'd1'))?.snapshot.resources, []);
    await store.createDeployment('dep', deployment('d2', 2000), stage('dev', 'd2'));
    assert.equal((await store.getStage('dep', 'dev'))?.deploymentId, 'd2');
    assert.deepEqual((await store.listDeployments('dep')).map((d) => d.id), ['d1', 'd2']);
    // The foreign key is the last line of defence behind the handlers' check.
    await assert.rejects(store.deleteDeployment('dep', 'd2'));
    assert.equal(await store.deleteDeployment('dep', 'd1'), true);
    assert.equal(await store.createStage('dep', stage('dev', 'd2')), false);
    assert.equal(await store.createStage('dep', stage('qa', 'd2')), true);
    await store.updateStage('dep', stage('qa', 'd2', { variables: { x: 'y' } }));
    assert.deepEqual((await store.listStages('dep')).map((s) => [s.stageName, s.variables]), [['dev', undefined], ['qa', { x: 'y' }]]);
    await store.updateDeploymentDescription('dep', 'd2', 'second');
    assert.equal((await store.getDeployment('dep', 'd2'))?.description, 'second');
    assert.equal(await store.deleteStage('dep', 'qa'), true);
    assert.equal(await store.deleteStage('dep', 'qa'), false);
  });

  test(`${name}: authorizers are listed in creation order, replaced in place and deleted with their API`, async () => {
    const store = await fresh();
    await seedTree(store, 'auth');
    const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations';
    await store.putAuthorizer('auth', { id: 'zz1', name: 'first', type: 'TOKEN', authorizerUri: uri, identitySource: 'method.request.header.Authorization' });
    await store.putAuthorizer('auth', { id: 'aa2', name: 'second', type: 'REQUEST', authorizerUri: uri, authorizerResultTtlInSeconds: 0 });
    await store.putAuthorizer('auth', { id: 'zz1', name: 'renamed', type: 'TOKEN', authorizerUri: uri, identitySource: 'method.request.header.X' });
    assert.deepEqual((await store.listAuthorizers('auth')).map((a) => [a.id, a.name]), [['zz1', 'renamed'], ['aa2', 'second']]);
    assert.equal((await store.getAuthorizer('auth', 'aa2'))?.authorizerResultTtlInSeconds, 0);
    assert.equal(await store.getAuthorizer('other', 'aa2'), undefined);
    assert.equal(await store.deleteAuthorizer('auth', 'aa2'), true);
    assert.equal(await store.deleteAuthorizer('auth', 'aa2'), false);
    assert.equal(await store.deleteRestApi(A, 'auth'), true);
    assert.deepEqual(await store.listAuthorizers('auth'), []);
  });

  test(`${name}: gateway responses are kept per API and type, replaced in place and deleted with their API`, async () => {
    const store = await fresh();
    await seedTree(store, 'gwr');
    await seedTree(store, 'gwr2');
    await store.putGatewayResponse('gwr', { responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', responseParameters: {}, responseTemplates: {} });
    await store.putGatewayResponse('gwr', { responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.A': "'*'" }, responseTemplates: { 'application/json': '{}' } });
    await store.putGatewayResponse('gwr', { responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '410', responseParameters: {}, responseTemplates: {} });
    await store.putGatewayResponse('gwr2', { responseType: 'THROTTLED', responseParameters: {}, responseTemplates: {} });
    assert.deepEqual((await store.listGatewayResponses('gwr')).map((r) => [r.responseType, r.statusCode]), [['DEFAULT_4XX', undefined], ['MISSING_AUTHENTICATION_TOKEN', '410']]);
    assert.deepEqual((await store.getGatewayResponse('gwr', 'DEFAULT_4XX'))?.responseParameters, { 'gatewayresponse.header.A': "'*'" });
    assert.equal(await store.getGatewayResponse('gwr', 'THROTTLED'), undefined);
    assert.equal(await store.deleteGatewayResponse('gwr', 'DEFAULT_4XX'), true);
    assert.equal(await store.deleteGatewayResponse('gwr', 'DEFAULT_4XX'), false);
    assert.equal(await store.deleteRestApi(A, 'gwr'), true);
    assert.deepEqual(await store.listGatewayResponses('gwr'), []);
    assert.equal((await store.listGatewayResponses('gwr2')).length, 1);
  });

  test(`${name}: models are kept by name, request validators in creation order; both are deleted with their API`, async () => {
    const store = await fresh();
    await seedTree(store, 'mv');
    const other = restApi(A, 'mv2');
    const model = (n: string) => ({ id: `id${n}`, name: n, schema: '{"type":"object"}', contentType: 'application/json' });
    assert.equal(await store.createRestApi(other, [{ id: other.rootResourceId, path: '/' }], {
      models: [model('Empty')], requestValidators: [{ id: 'v0', validateRequestBody: true, validateRequestParameters: false }],
    }), true);
    assert.equal(await store.createModel('mv', model('b')), true);
    assert.equal(await store.createModel('mv', model('B')), true);
    assert.equal(await store.createModel('mv', model('a')), true);
    assert.equal(await store.createModel('mv', { ...model('a'), id: 'other' }), false);
    assert.deepEqual((await store.listModels('mv')).map((m) => m.name), ['B', 'a', 'b']);
    await store.updateModel('mv', { ...model('a'), description: 'd' });
    assert.equal((await store.getModel('mv', 'a'))?.description, 'd');
    assert.equal(await store.deleteModel('mv', 'b'), true);
    assert.equal(await store.deleteModel('mv', 'b'), false);
    await store.putRequestValidator('mv', { id: 'v2', name: 'two', validateRequestBody: true, validateRequestParameters: true });
    await store.putRequestValidator('mv', { id: 'v1', validateRequestBody: false, validateRequestParameters: true });
    await store.putRequestValidator('mv', { id: 'v2', name: 'renamed', validateRequestBody: false, validateRequestParameters: false });
    assert.deepEqual((await store.listRequestValidators('mv')).map((v) => [v.id, v.name]), [['v2', 'renamed'], ['v1', undefined]]);
    assert.equal(await store.deleteRequestValidator('mv', 'v1'), true);
    assert.equal(await store.getRequestValidator('mv', 'v1'), undefined);
    assert.equal(await store.deleteRestApi(A, 'mv'), true);
    assert.deepEqual(await store.listModels('mv'), []);
    assert.deepEqual(await store.listRequestValidators('mv'), []);
    assert.deepEqual((await store.listModels('mv2')).map((m) => m.name), ['Empty']);
    assert.equal((await store.getRequestValidator('mv2', 'v0'))?.validateRequestBody, true);
  });

  test(`${name}: deleting an API removes resources, methods, deployments and stages`, async () => {
    const store = await fresh();
    await seedTree(store, 'gone');
    await store.createDeployment('gone', deployment('d1'), stage('dev', 'd1'));
    assert.equal(await store.deleteRestApi(A, 'gone'), true);
    assert.deepEqual(await store.listResources('gone'), []);
    assert.deepEqual(await store.listMethods('gone'), []);
    assert.deepEqual(await store.listDeployments('gone'), []);
    assert.deepEqual(await store.listStages('gone'), []);
  });

  test(`${name}: committed changes are announced`, async () => {
    const store = await fresh();
    const seen: ApiGatewayChange[] = [];
    const unsubscribe = store.onChange((c) => seen.push(c));
    await seedTree(store, 'ev');
    await store.createDeployment('ev', deployment('d1'), stage('dev', 'd1'));
    await store.updateStage('ev', stage('dev', 'd1', { description: 'x' }));
    await store.deleteRestApi(A, 'ev');
    unsubscribe();
    await store.createRestApi(restApi(A, 'quiet'), [{ id: 'r', path: '/' }]);
    assert.deepEqual(seen.map((c) => `${c.kind}:${c.stageName ?? ''}`), ['api:', 'deployment:', 'stage:dev', 'stage:dev', 'api:']);
  });

  test(`${name}: API keys are scoped by account and region, listed newest first, unique by value`, async () => {
    const store = await fresh();
    assert.equal(await store.createApiKey(apiKey(A, 'k1', 'v'.repeat(20))), true);
    assert.equal(await store.createApiKey(apiKey(A, 'k2', 'w'.repeat(20))), true);
    assert.equal(await store.createApiKey(apiKey(A, 'k3', 'v'.repeat(20))), false, 'a value is unique in its account and region');
    assert.equal(await store.createApiKey(apiKey(A, 'k1', 'x'.repeat(20))), false, 'ids are unique');
    assert.equal(await store.createApiKey(apiKey(B, 'k4', 'v'.repeat(20))), true, 'another region may reuse a value');
    assert.deepEqual((await store.listApiKeys(A)).map((k) => k.id), ['k2', 'k1']);
    assert.equal((await store.findApiKeyByValue(A, 'v'.repeat(20)))?.id, 'k1');
    assert.equal((await store.findApiKeyByValue(B, 'v'.repeat(20)))?.id, 'k4');
    assert.equal(await store.getApiKey(B, 'k1'), undefined);
    await store.updateApiKey({ ...apiKey(A, 'k1', 'v'.repeat(20)), enabled: false });
    assert.equal((await store.getApiKey(A, 'k1'))?.enabled, false);
    assert.equal(await store.deleteApiKey(B, 'k1'), false);
    assert.equal(await store.deleteApiKey(A, 'k1'), true);
    assert.equal(await store.findApiKeyByValue(A, 'v'.repeat(20)), undefined);
  });

  test(`${name}: usage plan keys are listed newest first and go when the key or the plan goes`, async () => {
    const store = await fresh();
    await store.createApiKey(apiKey(A, 'k1', 'a'.repeat(20)));
    await store.createApiKey(apiKey(A, 'k2', 'b'.repeat(20)));
    assert.equal(await store.createUsagePlan(usagePlan(A, 'p1', { apiStages: [{ apiId: 'api', stage: 'dev' }] })), true);
    assert.equal(await store.createUsagePlan(usagePlan(A, 'p2')), true);
    assert.equal(await store.createUsagePlan(usagePlan(A, 'p1')), false);
    assert.equal(await store.addUsagePlanKey('p1', 'k1'), true);
    assert.equal(await store.addUsagePlanKey('p1', 'k2'), true);
    assert.equal(await store.addUsagePlanKey('p1', 'k2'), false);
    assert.equal(await store.addUsagePlanKey('p2', 'k2'), true);
    assert.deepEqual((await store.listUsagePlanKeys('p1')).map((k) => k.id), ['k2', 'k1']);
    assert.deepEqual((await store.listUsagePlans(A)).map((p) => p.id), ['p1', 'p2']);
    assert.deepEqual((await store.listUsagePlans(A, 'k1')).map((p) => p.id), ['p1']);
    assert.deepEqual((await store.listUsagePlans(A, 'k2')).map((p) => p.id), ['p1', 'p2']);
    assert.deepEqual(await store.listUsagePlans(B), []);
    await store.updateUsagePlan({ ...usagePlan(A, 'p2'), description: 'd' });
    assert.equal((await store.getUsagePlan(A, 'p2'))?.description, 'd');
    assert.equal(await store.removeUsagePlanKey('p1', 'k1'), true);
    assert.equal(await store.removeUsagePlanKey('p1', 'k1'), false);
    await store.deleteApiKey(A, 'k2');
    assert.deepEqual(await store.listUsagePlanKeys('p1'), []);
    await store.addUsagePlanKey('p2', 'k1');
    assert.equal(await store.deleteUsagePlan(A, 'p2'), true);
    assert.deepEqual(await store.listUsagePlans(A, 'k1'), []);
    assert.equal(await store.getUsagePlan(A, 'p2'), undefined);
  });

  test(`${name}: changes to keys, plans and memberships are announced as usage changes`, async () => {
    const store = await fresh();
    const seen: string[] = [];
    const unsubscribe = store.onChange((c) => seen.push(`${c.kind}:${c.apiId}`));
    await store.createApiKey(apiKey(A, 'k1', 'a'.repeat(20)));
    await store.createApiKey(apiKey(A, 'k1', 'a'.repeat(20)));
    await store.createUsagePlan(usagePlan(A, 'p1'));
    await store.addUsagePlanKey('p1', 'k1');
    await store.removeUsagePlanKey('p1', 'k1');
    await store.updateApiKey(apiKey(A, 'k1', 'a'.repeat(20)));
    await store.deleteApiKey(A, 'k1');
    await store.deleteUsagePlan(A, 'p1');
    unsubscribe();
    assert.deepEqual(seen, Array(7).fill('usage:'), 'a write that changed nothing is not announced');
  });

  test(`${name}: state survives reopening`, async () => {
    const first = await open();
    await seedTree(first.store, 'keep');
    await first.store.createDeployment('keep', deployment('d1'), stage('dev', 'd1', { variables: { v: '1' } }));
    await first.close({ keep: true });
    current = await open(first.dir);
    const store = current.store;
    assert.equal((await store.getRestApi(A, 'keep'))?.name, 'api-keep');
    assert.deepEqual((await store.listResources('keep')).map((r) => r.path), ['/', '/a', '/a/b', '/a/b/{c}']);
    assert.deepEqual((await store.getStage('keep', 'dev'))?.variables, { v: '1' });
  });

  test(`${name}: API keys, plans and memberships survive reopening`, async () => {
    const first = await open();
    await first.store.createApiKey(apiKey(A, 'k1', 'a'.repeat(20)));
    await first.store.createUsagePlan(usagePlan(A, 'p1', { quota: { limit: 5, offset: 0, period: 'DAY' } }));
    await first.store.addUsagePlanKey('p1', 'k1');
    await first.close({ keep: true });
    current = await open(first.dir);
    assert.equal((await current.store.getApiKey(A, 'k1'))?.value, 'a'.repeat(20));
    assert.deepEqual((await current.store.getUsagePlan(A, 'p1'))?.quota, { limit: 5, offset: 0, period: 'DAY' });
    assert.deepEqual((await current.store.listUsagePlanKeys('p1')).map((k) => k.id), ['k1']);
  });

  test(`${name}: usage counts add up per plan, key and day, and survive reopening`, async () => {
    const first = await open();
    const store = first.store;
    await store.createUsagePlan(usagePlan(A, 'p1'));
    await store.addUsage([
      { planId: 'p1', keyId: 'k1', day: '2026-01-01', count: 2 },
      { planId: 'p1', keyId: 'k2', day: '2026-01-01', count: 1 },
      { planId: 'p1', keyId: 'k1', day: '2026-01-02', count: 3 },
    ]);
    await store.addUsage([{ planId: 'p1', keyId: 'k1', day: '2026-01-01', count: 5 }, { planId: 'gone', keyId: 'k1', day: '2026-01-01', count: 1 }]);
    await store.setUsageGrant('p1', 'k1', '2026-01-01', 4);
    await first.close({ keep: true });
    current = await open(first.dir);
    const reopened = current.store;
    assert.deepEqual(await reopened.listUsage('p1', '2026-01-01', '2026-01-31'), [
      { keyId: 'k1', day: '2026-01-01', used: 7, granted: 4 },
      { keyId: 'k1', day: '2026-01-02', used: 3, granted: 0 },
      { keyId: 'k2', day: '2026-01-01', used: 1, granted: 0 },
    ]);
    assert.deepEqual(await reopened.listUsage('p1', '2026-01-02', '2026-01-02', 'k1'), [{ keyId: 'k1', day: '2026-01-02', used: 3, granted: 0 }]);
    assert.deepEqual(await reopened.listUsage('gone', '2026-01-01', '2026-01-31'), [], 'counts of an unknown plan are dropped');
    await reopened.deleteUsagePlan(A, 'p1');
    assert.deepEqual(await reopened.listUsage('p1', '2026-01-01', '2026-01-31'), [], 'a deleted plan takes its counts with it');
  });

  test(`${name}: domain names are scoped by account and region, unique everywhere, and take their mappings with them`, async () => {
    const store = await fresh();
    const seen: string[] = [];
    const unsubscribe = store.onChange((c) => seen.push(`${c.kind}:${c.domainName}`));
    assert.equal(await store.createDomainName(domain(A, 'api.example.com')), true);
    assert.equal(await store.createDomainName(domain(B, 'api.example.com')), false);
    await store.createDomainName(domain(A, 'b.example.com', 2000));
    assert.deepEqual((await store.listDomainNames(A)).map((d) => d.domainName), ['api.example.com', 'b.example.com']);
    assert.deepEqual(await store.listDomainNames(B), []);
    assert.equal(await store.getDomainName(B, 'api.example.com'), undefined);
    assert.equal((await store.findDomainName('api.example.com'))?.region, 'us-east-1');
    assert.deepEqual((await store.listAllDomainNames()).sort(), ['api.example.com', 'b.example.com']);
    assert.equal(await store.createBasePathMapping('api.example.com', { basePath: 'v1', restApiId: 'x', stage: 'dev' }), true);
    assert.equal(await store.createBasePathMapping('api.example.com', { basePath: 'v1', restApiId: 'y' }), false);
    assert.equal(await store.createBasePathMapping('api.example.com', { basePath: '(none)', restApiId: 'y' }), true);
    assert.deepEqual(await store.listBasePathMappings('api.example.com'), [{ basePath: '(none)', restApiId: 'y' }, { basePath: 'v1', restApiId: 'x', stage: 'dev' }]);
    assert.equal(await store.deleteBasePathMapping('api.example.com', 'v2'), false);
    assert.equal(await store.deleteBasePathMapping('api.example.com', '(none)'), true);
    assert.equal(await store.deleteDomainName(B, 'api.example.com'), false);
    assert.equal(await store.deleteDomainName(A, 'api.example.com'), true);
    assert.deepEqual(await store.listBasePathMappings('api.example.com'), []);
    unsubscribe();
    assert.deepEqual(seen, [
      'domain:api.example.com', 'domain:b.example.com', 'domain:api.example.com', 'domain:api.example.com', 'domain:api.example.com', 'domain:api.example.com',
    ], 'a write that changed nothing is not announced');
  });

  test(`${name}: domain names and their mappings survive reopening`, async () => {
    const first = await open();
    await first.store.createDomainName(domain(A, 'keep.example.com'));
    await first.store.createBasePathMapping('keep.example.com', { basePath: 'v1', restApiId: 'x', stage: 'dev' });
    await first.close({ keep: true });
    current = await open(first.dir);
    assert.deepEqual(await current.store.getDomainName(A, 'keep.example.com'), domain(A, 'keep.example.com'));
    assert.deepEqual(await current.store.listBasePathMappings('keep.example.com'), [{ basePath: 'v1', restApiId: 'x', stage: 'dev' }]);
  });

  test(`${name}: a mapping is replaced in place or moved to a free base path; a domain's settings are replaced; both announced`, async () => {
    const store = await fresh();
    await store.createDomainName(domain(A, 'move.example.com'));
    await store.createBasePathMapping('move.example.com', { basePath: 'orders', restApiId: 'x', stage: 'dev', apiMappingId: 'm1' });
    await store.createBasePathMapping('move.example.com', { basePath: 'v1/orders', restApiId: 'x', stage: 'dev', apiMappingId: 'm2' });
    const seen: string[] = [];
    const unsubscribe = store.onChange((c) => seen.push(`${c.kind}:${c.domainName}`));
    assert.equal(await store.updateBasePathMapping('move.example.com', 'orders', { basePath: 'orders', restApiId: 'y', stage: 'prod', apiMappingId: 'm1' }), 'updated');
    assert.equal(await store.updateBasePathMapping('move.example.com', 'orders', { basePath: 'v1/orders', restApiId: 'y', apiMappingId: 'm1' }), 'taken');
    assert.equal(await store.updateBasePathMapping('move.example.com', 'nope', { basePath: 'v9', restApiId: 'y', apiMappingId: 'm9' }), 'missing');
    assert.equal(await store.updateBasePathMapping('move.example.com', 'v1/orders', { basePath: 'v2/orders', restApiId: 'x', stage: 'dev', apiMappingId: 'm2' }), 'updated');
    assert.deepEqual(await store.listBasePathMappings('move.example.com'), [
      { basePath: 'orders', restApiId: 'y', stage: 'prod', apiMappingId: 'm1' },
      { basePath: 'v2/orders', restApiId: 'x', stage: 'dev', apiMappingId: 'm2' },
    ]);
    const changed: DomainNameRecord = { ...domain(A, 'move.example.com'), securityPolicy: 'TLS_1_0', certificateArn: 'arn:c' };
    assert.equal(await store.updateDomainName(changed), true);
    assert.equal(await store.updateDomainName({ ...changed, region: B.region }), false, 'another region has no such domain');
    assert.deepEqual(await store.getDomainName(A, 'move.example.com'), changed);
    unsubscribe();
    assert.deepEqual(seen, Array(3).fill('domain:move.example.com'), 'only writes that changed something are announced');
  });

  test(`${name}: account settings are kept per account and region and survive reopening`, async () => {
    const first = await open();
    assert.equal(await first.store.getAccountSettings(A), undefined);
    await first.store.putAccountSettings(A, { cloudwatchRoleArn: 'arn:aws:iam::000000000000:role/old' });
    await first.store.putAccountSettings(A, { cloudwatchRoleArn: 'arn:aws:iam::000000000000:role/logs' });
    await first.close({ keep: true });
    current = await open(first.dir);
    assert.deepEqual(await current.store.getAccountSettings(A), { cloudwatchRoleArn: 'arn:aws:iam::000000000000:role/logs' });
    assert.equal(await current.store.getAccountSettings(B), undefined);
  });
}
