// The HttpApiStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenedStores, StoreBackend } from './backend.js';
import type { ApiScope } from '../apigateway-store.js';
import type { HttpApiRecord, HttpStageRecord, IntegrationRecord, IntegrationResponseRecord, RouteRecord } from '../httpapi-store.js';

const A: ApiScope = { accountId: '000000000000', region: 'us-east-1' };
const B: ApiScope = { accountId: '111111111111', region: 'us-east-1' };

const api = (scope: ApiScope, apiId: string, createdDate = 1000): HttpApiRecord => ({
  ...scope, apiId, name: `api-${apiId}`, protocolType: 'HTTP', createdDate, routeSelectionExpression: '$request.method $request.path',
  apiKeySelectionExpression: '$request.header.x-api-key', disableExecuteApiEndpoint: false, ipAddressType: 'ipv4', tags: {},
});
const route = (routeId: string, routeKey: string): RouteRecord => ({ routeId, routeKey, authorizationType: 'NONE', apiKeyRequired: false });
const integration = (integrationId: string): IntegrationRecord => ({
  integrationId, integrationType: 'AWS_PROXY', integrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:f', payloadFormatVersion: '2.0',
  timeoutInMillis: 30000, connectionType: 'INTERNET',
});
const stage = (stageName: string, deploymentId?: string): HttpStageRecord => ({
  stageName, deploymentId, autoDeploy: false, stageVariables: {}, createdDate: 1000, lastUpdatedDate: 1000,
  defaultRouteSettings: { detailedMetricsEnabled: false }, routeSettings: {}, tags: {},
});

export function httpApiStoreContract(backend: StoreBackend): void {
  let opened: OpenedStores | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const open = async () => (opened = await backend.open());

  test(`${backend.name}: HTTP APIs are scoped to their account and region, listed oldest first, ids unique everywhere`, async () => {
    const { httpapi: store } = await open();
    assert.equal(await store.createApi(api(A, 'b2', 2000), []), true);
    assert.equal(await store.createApi(api(A, 'a1', 3000), []), true);
    assert.equal(await store.createApi(api(B, 'c3'), []), true);
    assert.equal(await store.createApi(api(B, 'a1'), []), false, 'an id taken in another account');
    assert.deepEqual((await store.listApis(A)).map((a) => a.apiId), ['b2', 'a1']);
    assert.equal(await store.getApi(B, 'a1'), undefined);
    assert.equal((await store.findApi('c3'))?.accountId, B.accountId);
    assert.deepEqual((await store.listApiIds()).sort(), ['a1', 'b2', 'c3']);
    await store.updateApi({ ...api(A, 'a1', 3000), name: 'renamed' });
    assert.equal((await store.getApi(A, 'a1'))?.name, 'renamed');
    assert.equal(await store.deleteApi(B, 'a1'), false, 'another scope deletes nothing');
    assert.equal(await store.deleteApi(A, 'a1'), true);
    assert.equal(await store.deleteApi(A, 'a1'), false);
    assert.deepEqual((await store.listApis(A)).map((a) => a.apiId), ['b2']);
  });

  test(`${backend.name}: an API's records are written together, listed in creation order and go with the API`, async () => {
    const { httpapi: store } = await open();
    await store.createApi(api(A, 'q1'), [
      { kind: 'integration', id: 'i1', value: integration('i1') },
      { kind: 'route', id: 'r2', value: route('r2', '$default') },
      { kind: 'stage', id: '$default', value: stage('$default') },
    ]);
    await store.writeItems('q1', [{ kind: 'route', id: 'r1', value: route('r1', 'GET /items/{id}') }]);
    assert.deepEqual((await store.listItems('q1', 'route')).map((r) => r.routeKey), ['$default', 'GET /items/{id}']);
    // A replaced record keeps its place.
    await store.writeItems('q1', [{ kind: 'route', id: 'r2', value: route('r2', 'ANY /{proxy+}') }]);
    assert.deepEqual((await store.listItems('q1', 'route')).map((r) => r.routeId), ['r2', 'r1']);
    assert.equal((await store.getItem('q1', 'route', 'r2'))?.routeKey, 'ANY /{proxy+}');
    assert.equal(await store.getItem('q1', 'integration', 'r2'), undefined, 'kinds do not mix');
    // Deletes and puts in one write.
    await store.writeItems('q1', [
      { kind: 'deployment', id: 'd1', value: { deploymentId: 'd1', createdDate: 5, autoDeployed: false, snapshot: { routes: [route('r1', 'GET /x')], integrations: [] } } },
      { kind: 'stage', id: '$default', value: stage('$default', 'd1') },
    ], [{ kind: 'route', id: 'r1' }]);
    assert.deepEqual((await store.listItems('q1', 'route')).map((r) => r.routeId), ['r2']);
    assert.equal((await store.getItem('q1', 'stage', '$default'))?.deploymentId, 'd1');
    assert.deepEqual((await store.getItem('q1', 'deployment', 'd1'))?.snapshot.routes.map((r) => r.routeKey), ['GET /x']);
    const authorizer = { authorizerId: 'z1', name: 'jwt', authorizerType: 'JWT' as const, identitySource: ['$request.header.Authorization'], jwtConfiguration: { audience: ['a'], issuer: 'https://i' } };
    await store.writeItems('q1', [{ kind: 'authorizer', id: 'z1', value: authorizer }]);
    assert.deepEqual(await store.getItem('q1', 'authorizer', 'z1'), authorizer);
    assert.equal(await store.getItem('q1', 'route', 'z1'), undefined);
    // The API's own record in the same write.
    const renamed = { ...(await store.getApi(A, 'q1'))!, name: 'renamed' };
    await store.writeItems('q1', [], [{ kind: 'authorizer', id: 'z1' }], renamed);
    assert.equal((await store.getApi(A, 'q1'))?.name, 'renamed');
    assert.deepEqual(await store.listItems('q1', 'authorizer'), []);
    assert.equal(await store.deleteApi(A, 'q1'), true);
    assert.deepEqual(await store.listItems('q1', 'stage'), []);
    assert.equal(await store.getItem('q1', 'integration', 'i1'), undefined);
    assert.deepEqual(await store.listItems('q1', 'authorizer'), []);
  });

  test(`${backend.name}: WebSocket APIs keep their selection expression, route responses and the deployments that freeze them`, async () => {
    const { httpapi: store } = await open();
    const ws: HttpApiRecord = { ...api(A, 'w1'), protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action', disableSchemaValidation: false };
    const twoWay: RouteRecord = { ...route('r1', 'sendmessage'), routeResponseSelectionExpression: '$default' };
    const response = { routeResponseId: 'rr1', routeId: 'r1', routeResponseKey: '$default' };
    await store.createApi(ws, [{ kind: 'route', id: 'r1', value: twoWay }, { kind: 'routeResponse', id: 'rr1', value: response }]);
    assert.deepEqual(await store.findApi('w1'), ws);
    assert.deepEqual(await store.getItem('w1', 'route', 'r1'), twoWay);
    assert.deepEqual(await store.listItems('w1', 'routeResponse'), [response]);
    await store.writeItems('w1', [{ kind: 'deployment', id: 'd1', value: { deploymentId: 'd1', createdDate: 5, autoDeployed: false, snapshot: { routes: [twoWay], integrations: [], routeResponses: [response] } } }],
      [{ kind: 'routeResponse', id: 'rr1' }]);
    assert.deepEqual(await store.listItems('w1', 'routeResponse'), []);
    assert.deepEqual((await store.getItem('w1', 'deployment', 'd1'))?.snapshot.routeResponses, [response]);
  });

  test(`${backend.name}: WebSocket APIs keep their models and the routes' request models`, async () => {
    const { httpapi: store } = await open();
    const ws: HttpApiRecord = { ...api(A, 'm1'), protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' };
    const model = { modelId: 'mod1', name: 'Chat', schema: '{"type":"object"}', contentType: 'application/json' };
    const validated: RouteRecord = { ...route('r1', 'send'), modelSelectionExpression: '$request.body.kind', requestModels: { $default: 'Chat' } };
    await store.createApi(ws, [{ kind: 'model', id: 'mod1', value: model }, { kind: 'route', id: 'r1', value: validated }]);
    assert.deepEqual(await store.getItem('m1', 'model', 'mod1'), model);
    assert.deepEqual(await store.getItem('m1', 'route', 'r1'), validated);
    await store.writeItems('m1', [{ kind: 'deployment', id: 'd1', value: { deploymentId: 'd1', createdDate: 5, autoDeployed: false, snapshot: { routes: [validated], integrations: [], models: [model] } } }],
      [{ kind: 'model', id: 'mod1' }]);
    assert.deepEqual(await store.listItems('m1', 'model'), []);
    assert.deepEqual((await store.getItem('m1', 'deployment', 'd1'))?.snapshot.models, [model]);
  });

  test(`${backend.name}: WebSocket APIs keep $connect's request parameters, schema validation switched off and stages' logging levels`, async () => {
    const { httpapi: store } = await open();
    const ws: HttpApiRecord = { ...api(A, 'l1'), protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action', disableSchemaValidation: true };
    const connect: RouteRecord = { ...route('r1', '$connect'), requestParameters: { 'route.request.header.Auth': { required: true }, 'route.request.querystring.x': { required: false } } };
    const logged: HttpStageRecord = {
      ...stage('live', 'd1'), defaultRouteSettings: { detailedMetricsEnabled: false, loggingLevel: 'INFO', dataTraceEnabled: true }, routeSettings: { $connect: { loggingLevel: 'ERROR' } },
    };
    await store.createApi(ws, [{ kind: 'route', id: 'r1', value: connect }, { kind: 'stage', id: 'live', value: logged }]);
    assert.equal((await store.getApi(A, 'l1'))?.disableSchemaValidation, true);
    assert.deepEqual(await store.getItem('l1', 'route', 'r1'), connect);
    assert.deepEqual(await store.getItem('l1', 'stage', 'live'), logged);
  });

  test(`${backend.name}: WebSocket integrations keep their templates, and their integration responses go into deployments`, async () => {
    const { httpapi: store } = await open();
    const ws: HttpApiRecord = { ...api(A, 'w2'), protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' };
    const mock: IntegrationRecord = {
      integrationId: 'i1', integrationType: 'MOCK', payloadFormatVersion: '1.0', timeoutInMillis: 29000, connectionType: 'INTERNET', passthroughBehavior: 'NEVER',
      requestTemplates: { $default: '{"statusCode": 200}' }, templateSelectionExpression: '\\$default', requestParameters: { 'integration.request.header.x': "'y'" },
    };
    const response: IntegrationResponseRecord = {
      integrationResponseId: 'ir1', integrationId: 'i1', integrationResponseKey: '/2\\d\\d/', responseTemplates: { $default: '{"ok":true}' }, templateSelectionExpression: '\\$default',
    };
    await store.createApi(ws, [{ kind: 'integration', id: 'i1', value: mock }, { kind: 'integrationResponse', id: 'ir1', value: response }]);
    assert.deepEqual(await store.getItem('w2', 'integration', 'i1'), mock);
    assert.deepEqual(await store.getItem('w2', 'integrationResponse', 'ir1'), response);
    await store.writeItems('w2', [{ kind: 'deployment', id: 'd1', value: { deploymentId: 'd1', createdDate: 5, autoDeployed: false, snapshot: { routes: [], integrations: [mock], integrationResponses: [response] } } }],
      [{ kind: 'integrationResponse', id: 'ir1' }]);
    assert.deepEqual(await store.listItems('w2', 'integrationResponse'), []);
    assert.deepEqual((await store.getItem('w2', 'deployment', 'd1'))?.snapshot.integrationResponses, [response]);
  });

  test(`${backend.name}: listeners hear the API id of every committed change, and nothing of a refused one`, async () => {
    const { httpapi: store } = await open();
    const heard: string[] = [];
    const stop = store.onChange((id) => heard.push(id));
    await store.createApi(api(A, 'n1'), []);
    await store.createApi(api(B, 'n1'), []);
    await store.writeItems('n1', [{ kind: 'route', id: 'r', value: route('r', '$default') }]);
    await store.updateApi(api(A, 'n1'));
    await store.deleteApi(B, 'n1');
    await store.deleteApi(A, 'n1');
    stop();
    await store.createApi(api(A, 'n2'), []);
    assert.deepEqual(heard, ['n1', 'n1', 'n1', 'n1']);
  });

  test(`${backend.name}: HTTP APIs outlive a restart`, async () => {
    const first = await backend.open();
    await first.httpapi.createApi(api(A, 'p1'), [{ kind: 'route', id: 'r', value: route('r', 'GET /') }]);
    await first.close({ keep: true });
    opened = await backend.open(first.location);
    assert.equal((await opened.httpapi.getApi(A, 'p1'))?.name, 'api-p1');
    assert.equal((await opened.httpapi.getItem('p1', 'route', 'r'))?.routeKey, 'GET /');
  });
}
