// The web console's API side of DEV→PROD: the UpdateStage operations console/model.js plans for
// promoting a REST stage's canary, stage promotion through console/stage-actions.js, the invoke URLs and rows it builds for HTTP and WebSocket
// APIs and custom domain names, and console/api.js listing them and promoting stages and canaries
// on a real server (checked afterwards with the AWS SDK).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import {
  CreateBasePathMappingCommand, CreateDeploymentCommand, CreateDomainNameCommand, CreateRestApiCommand, GetResourcesCommand, GetStageCommand, PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand, CreateApiMappingCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { repoRoot, testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';
import { consoleModules } from '../src/testing/console-modules.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';

// The console's browser modules, untyped JavaScript.
const load = (name: string): Promise<any> => import(pathToFileURL(join(repoRoot, 'console', name)).href);

const env = useServer();
// Modules that import the CLI's shared ones, laid out as the server serves them.
const loadServed = consoleModules(useTempDirs());

test("removing a REST stage's canary: the UpdateStage operation", async () => {
  const m = await load('model.js');
  const withCanary = {
    stageName: 'prod', deploymentId: 'd1', variables: { color: 'blue', keep: '1' },
    canarySettings: { deploymentId: 'd3', percentTraffic: 10, stageVariableOverrides: { color: 'green', added: 'x' } },
  };
  assert.deepEqual(m.planCanaryRemoval(withCanary), [{ op: 'remove', path: '/canarySettings' }]);
  assert.throws(() => m.planCanaryRemoval({ stageName: 'prod', deploymentId: 'd1' }), (e: any) => e.type === 'BadRequestException' && /prod has no canary/.test(e.message));

  // Deploy's canary share, as API Gateway's percentTraffic.
  assert.deepEqual(['10%', '0.07', '12.5', ''].map(m.parseCanaryPercent), [10, 7, 12.5, undefined]);
  assert.throws(() => m.parseCanaryPercent('100%'), (e: any) => e.type === 'InvalidRequest');

  // The APIs page shows the canary next to the stage.
  const view = m.apiView({ id: 'a1', name: 'api' }, [{ ...withCanary, tags: { 'stagecraft:previous': 'd0  d1' } }, { stageName: 'dev', deploymentId: 'd2' }], { protocol: 'http:', host: 'localhost:4566', port: '4566' });
  assert.deepEqual(view.stages.map((s: any) => s.canary && [s.canary.text, s.canary.overrides]), [undefined, ['10% → d3', ['added=x', 'color=green']]]);
  // …and the deployments it served before (what Roll back stage goes to), as the CLI reads them.
  assert.deepEqual(view.stages.map((s: any) => s.history), [[], ['d0', 'd1']]);
});

test('invoke URLs and rows for HTTP and WebSocket APIs and custom domain names', async () => {
  const m = await load('model.js');
  const local = { protocol: 'http:', host: '127.0.0.1:4566', port: '4566' };
  assert.equal(m.v2InvokeUrl(local, 'abc', '$default', 'HTTP'), 'http://abc.execute-api.localhost:4566');
  assert.equal(m.v2InvokeUrl(local, 'abc', 'prod', 'HTTP'), 'http://abc.execute-api.localhost:4566/prod');
  assert.equal(m.v2InvokeUrl(local, 'abc', 'dev', 'WEBSOCKET'), 'ws://abc.execute-api.localhost:4566/dev');
  assert.equal(m.v2InvokeUrl({ protocol: 'https:', host: 'sc.example.com', port: '' }, 'abc', '$default', 'WEBSOCKET'), 'wss://abc.execute-api.localhost:443');

  const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:hello`;
  assert.equal(m.functionOfUri(fnArn), 'hello');
  assert.equal(m.functionOfUri(`${fnArn}:live`), 'hello:live');
  assert.equal(m.functionOfUri(invocationsUri('hello:prod')), 'hello:prod');
  assert.equal(m.functionOfUri('https://example.com/x'), undefined);

  const view = m.httpApiView({ apiId: 'abc', name: 'my api', protocolType: 'HTTP', routeSelectionExpression: '$request.method $request.path' }, local, {
    routes: [
      { routeKey: 'GET /users', target: 'integrations/i1', authorizationType: 'JWT' },
      { routeKey: '$default', target: 'integrations/i2' },
      { routeKey: 'POST /mock' },
    ],
    integrations: [
      { integrationId: 'i1', integrationType: 'AWS_PROXY', integrationUri: invocationsUri('hello:live') },
      { integrationId: 'i2', integrationType: 'HTTP_PROXY', integrationUri: 'https://example.com', connectionType: 'INTERNET' },
    ],
    stages: [
      { stageName: 'prod', deploymentId: 'd1', stageVariables: { b: '2', a: '1' }, accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:x' } },
      { stageName: '$default', autoDeploy: true, deploymentId: 'd2', defaultRouteSettings: { throttlingRateLimit: 10, throttlingBurstLimit: 5 } },
    ],
    deployments: [{ deploymentId: 'd2', createdDate: '2024-01-02T03:04:05Z' }],
  });
  assert.deepEqual(view.routes.map((r: any) => [r.key, r.target.kind, r.target.text, r.authorization]), [
    ['$default', 'url', 'https://example.com', 'NONE'],
    ['GET /users', 'function', 'hello:live', 'JWT'],
    ['POST /mock', 'none', '—', 'NONE'],
  ]);
  assert.deepEqual(view.stages.map((s: any) => [s.name, s.autoDeploy, s.deployedAt, s.variables, s.throttling, s.accessLog, s.invokeUrl]), [
    ['$default', true, '2024-01-02 03:04:05 UTC', [], '10 req/s, burst 5', '', 'http://abc.execute-api.localhost:4566'],
    ['prod', false, '', ['a=1', 'b=2'], '', 'arn:aws:logs:us-east-1:000000000000:log-group:x', 'http://abc.execute-api.localhost:4566/prod'],
  ]);
  assert.equal(view.exportFile, 'my_api-oas30.json');

  const domains = m.domainViews(
    [{ domainName: 'z.example.com', endpointConfiguration: { types: ['EDGE'] } }, { domainName: 'a.example.com', endpointConfiguration: { types: ['REGIONAL'] }, regionalDomainName: 'd-1.example' }],
    { 'a.example.com': [{ apiId: 'abc', apiMappingKey: 'v1', stage: 'prod' }, { apiId: 'r1', apiMappingKey: '', stage: 'live' }] },
    [{ id: 'abc', name: 'my api', kind: 'HTTP' }, { id: 'r1', name: 'rest', kind: 'REST' }],
    local,
  );
  assert.deepEqual(domains.map((d: any) => [d.name, d.endpointType, d.mappings.map((x: any) => [x.basePath, x.api, x.stage, x.url])]), [
    ['a.example.com', 'REGIONAL', [['(none)', 'rest (REST)', 'live', 'http://a.example.com:4566/'], ['v1', 'my api (HTTP)', 'prod', 'http://a.example.com:4566/v1']]],
    ['z.example.com', 'EDGE', []],
  ]);
});

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: event.rawPath }) });`;

test('the console lists HTTP and WebSocket APIs, their routes and stages, domains and mappings, and exports an HTTP API', async () => {
  const { createClient } = await load('api.js');
  const { httpApiView, domainViews } = await load('model.js');
  const c = createClient({ baseUrl: env.url });
  const v2 = env.apigwv2;
  const fn = 'console-apis-echo';
  const fnArn = (await createNodeFunction(env.lambda, fn, ECHO)).FunctionArn!;

  const http = await v2.send(new CreateApiCommand({ Name: 'console-http', ProtocolType: 'HTTP' }));
  const httpId = http.ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: fn, StatementId: 'console-http', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${httpId}/*`,
  }));
  const lambdaIntegration = await v2.send(new CreateIntegrationCommand({ ApiId: httpId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '2.0' }));
  const urlIntegration = await v2.send(new CreateIntegrationCommand({ ApiId: httpId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', IntegrationMethod: 'ANY' }));
  await v2.send(new CreateRouteCommand({ ApiId: httpId, RouteKey: 'GET /hello', Target: `integrations/${lambdaIntegration.IntegrationId}` }));
  await v2.send(new CreateRouteCommand({ ApiId: httpId, RouteKey: 'ANY /proxy/{rest+}', Target: `integrations/${urlIntegration.IntegrationId}`, AuthorizationType: 'AWS_IAM' }));
  await v2.send(new CreateStageCommand({
    ApiId: httpId, StageName: '$default', AutoDeploy: true, StageVariables: { env: 'dev' },
    DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 20 },
  }));

  const ws = await v2.send(new CreateApiCommand({ Name: 'console-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
  const wsIntegration = await v2.send(new CreateIntegrationCommand({ ApiId: ws.ApiId!, IntegrationType: 'AWS_PROXY', IntegrationUri: invocationsUri(fn) }));
  await v2.send(new CreateRouteCommand({ ApiId: ws.ApiId!, RouteKey: '$connect', Target: `integrations/${wsIntegration.IntegrationId}` }));
  await v2.send(new CreateStageCommand({ ApiId: ws.ApiId!, StageName: 'dev', AutoDeploy: true }));

  const rest = await env.apigw.send(new CreateRestApiCommand({ name: 'console-domain-rest' }));
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: rest.id! }))).items!.find((r) => r.path === '/')!;
  await env.apigw.send(new PutMethodCommand({ restApiId: rest.id!, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: rest.id!, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: rest.id!, stageName: 'live' }));
  await env.apigw.send(new CreateDomainNameCommand({ domainName: 'api.console.example', endpointConfiguration: { types: ['REGIONAL'] }, regionalCertificateArn: `arn:aws:acm:${testRegion}:${testAccount}:certificate/x` }));
  await env.apigw.send(new CreateBasePathMappingCommand({ domainName: 'api.console.example', restApiId: rest.id!, stage: 'live' }));
  await v2.send(new CreateApiMappingCommand({ DomainName: 'api.console.example', ApiId: httpId, Stage: '$default', ApiMappingKey: 'v2' }));
  await env.apigw.send(new CreateDomainNameCommand({ domainName: 'edge.console.example', endpointConfiguration: { types: ['EDGE'] }, certificateArn: `arn:aws:acm:us-east-1:${testAccount}:certificate/y` }));

  const { hostname, port, host } = new URL(env.url);
  const location = { protocol: 'http:', hostname, port, host };
  const listed = await c.listHttpApis();
  const views = await Promise.all(listed.map(async (a: any) => httpApiView(a, location, await c.loadHttpApi(a))));
  const httpView = views.find((v: any) => v.id === httpId);
  const wsView = views.find((v: any) => v.id === ws.ApiId);
  assert.deepEqual([httpView.protocol, wsView.protocol], ['HTTP', 'WEBSOCKET']);
  assert.deepEqual(httpView.routes.map((r: any) => [r.key, r.target.kind, r.target.text, r.authorization]), [
    ['ANY /proxy/{rest+}', 'url', 'https://example.com', 'AWS_IAM'],
    ['GET /hello', 'function', fn, 'NONE'],
  ]);
  const [stage] = httpView.stages;
  assert.deepEqual([stage.name, stage.autoDeploy, stage.variables, stage.throttling, stage.invokeUrl], [
    '$default', true, ['env=dev'], '50 req/s, burst 20', `http://${httpId}.execute-api.localhost:${port}`,
  ]);
  assert.match(stage.deploymentId, /\S/); // auto-deploy made one
  assert.match(stage.deployedAt, /UTC$/);
  assert.deepEqual(wsView.routes.map((r: any) => [r.key, r.target.text]), [['$connect', fn]]);
  assert.equal(wsView.stages[0].invokeUrl, `ws://${ws.ApiId}.execute-api.localhost:${port}/dev`);

  // The $default stage's link answers on the server (sent with its Host header, as a browser would).
  const called = await invokeHttpApi(env.url, httpId, '/hello', { headers: { Host: new URL(stage.invokeUrl).host } });
  assert.equal(called.status, 200, called.text);
  assert.deepEqual(called.json(), { path: '/hello' });

  // The export button's document: the HTTP API as OpenAPI 3.0.
  const doc = JSON.parse(await c.exportV2Api(httpId));
  assert.match(doc.openapi, /^3\.0/);
  assert.equal(doc.info.title, 'console-http');
  assert.ok(doc.paths['/hello'].get);
  await assert.rejects(c.exportV2Api('nope123'), (e: any) => e.type === 'NotFoundException' && e.status === 404);

  // Domains: one set for REST and v2, their REST base path mappings and v2 API mappings together.
  const { domains, mappingsByDomain } = await c.loadDomains();
  const named = [
    ...(await c.listRestApis()).map((a: any) => ({ id: a.id, name: a.name, kind: 'REST' })),
    ...listed.map((a: any) => ({ id: a.apiId, name: a.name, kind: a.protocolType })),
  ];
  const domainRows = domainViews(domains, mappingsByDomain, named, location);
  assert.deepEqual(domainRows.map((d: any) => [d.name, d.endpointType, d.mappings.map((x: any) => [x.basePath, x.api, x.stage])]), [
    ['api.console.example', 'REGIONAL', [['(none)', 'console-domain-rest (REST)', 'live'], ['v2', 'console-http (HTTP)', '$default']]],
    ['edge.console.example', 'EDGE', []],
  ]);
  // A mapping's link answers on the server when the domain resolves to it (sent with its Host header).
  const viaDomain = domainRows[0].mappings[1].url;
  assert.equal(viaDomain, `http://api.console.example:${port}/v2`);
  const throughDomain = await invokeHttpApi(env.url, httpId, `${new URL(viaDomain).pathname}/hello`, { headers: { Host: new URL(viaDomain).host } });
  assert.equal(throughDomain.status, 200, throughDomain.text);
  assert.deepEqual(throughDomain.json(), { path: '/v2/hello' });

  // Another region has none of them.
  const eu = createClient({ baseUrl: env.url, region: 'eu-west-1' });
  assert.deepEqual(await eu.listHttpApis(), []);
  assert.deepEqual((await eu.loadDomains()).domains, []);
});

test('the console deploys, promotes a REST stage and promotes or removes a canary on a real server', async () => {
  const { createClient, AwsError } = await load('api.js');
  const c = createClient({ baseUrl: env.url });
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'console-promote' }));
  const restApiId = api.id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!;
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const getStage = (stageName: string) => env.apigw.send(new GetStageCommand({ restApiId, stageName }));

  const first = await c.createDeployment(restApiId, 'dev', 'first cut');
  assert.equal(first.description, 'first cut');
  assert.equal((await getStage('dev')).deploymentId, first.id);

  // dev → prod when prod doesn't exist: prod is created on dev's deployment (stage-actions.js, the CLI's plan).
  const { promoteApiStage } = await loadServed('stage-actions.js');
  const ref = { kind: 'rest', id: restApiId, name: 'console-promote' };
  const created = await promoteApiStage(c, ref, 'dev', 'prod');
  assert.deepEqual([created.action, created.deploymentId], ['create', first.id]);
  assert.equal((await getStage('prod')).deploymentId, first.id);

  // A new deployment on dev, then promoted: prod serves it.
  const second = await c.createDeployment(restApiId, 'dev');
  assert.equal((await getStage('prod')).deploymentId, first.id);
  const moved = await promoteApiStage(c, ref, 'dev', 'prod');
  assert.deepEqual([moved.action, moved.before, moved.deploymentId], ['promote', first.id, second.id]);
  assert.equal((await getStage('prod')).deploymentId, second.id);
  assert.equal((await promoteApiStage(c, ref, 'dev', 'prod')).action, 'unchanged');
  await assert.rejects(promoteApiStage(c, ref, 'qa', 'prod'), (e: any) => e.type === 'NotFoundException' && /no stage qa/.test(e.message));

  // A canary on prod with a variable override; promoted: prod serves the canary's deployment with its variables.
  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', variables: { color: 'blue', keep: 'yes' } }));
  const base = (await getStage('prod')).deploymentId!;
  const canary = await env.apigw.send(new CreateDeploymentCommand({
    restApiId, stageName: 'prod', canarySettings: { percentTraffic: 10, stageVariableOverrides: { color: 'green' } },
  }));
  await assert.rejects(c.createDeployment(restApiId, 'qa', '', 10), (e: any) => e.type === 'BadRequestException' && /must already be created/.test(e.message));
  const stages = await c.getStages(restApiId);
  const { apiView } = await load('model.js');
  const view = apiView({ id: restApiId, name: 'console-promote' }, stages, { protocol: 'http:', host: 'localhost:1', port: '1' });
  assert.deepEqual(view.stages.find((s: any) => s.name === 'prod').canary, { percentTraffic: 10, deploymentId: canary.id, overrides: ['color=green'], text: `10% → ${canary.id}` });

  const { promoteStageCanary } = await loadServed('stage-actions.js');
  const promoted = await promoteStageCanary(c, ref, 'prod');
  assert.deepEqual([promoted.before, promoted.after], [base, canary.id]);
  assert.deepEqual(promoted.patchOperations, [
    { op: 'replace', path: '/deploymentId', value: canary.id },
    { op: 'replace', path: '/variables/color', value: 'green' },
    { op: 'remove', path: '/canarySettings' },
  ]);
  const after = await getStage('prod');
  assert.equal(after.deploymentId, canary.id);
  assert.deepEqual(after.variables, { color: 'green', keep: 'yes' });
  assert.equal(after.canarySettings, undefined);
  await assert.rejects(promoteStageCanary(c, ref, 'prod'), (e: any) => e.type === 'BadRequestException' && /has no canary/.test(e.message));
  // The deployment prod served before the canary is recorded, so Roll back stage returns to it.
  const tags = await c.getRestTags(`arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/prod`);
  assert.equal(tags['stagecraft:previous'].split(' ').at(-1), base);

  // Another canary, deployed from the console (12.5% of the traffic), then removed: prod keeps what it served and its variables.
  const third = await c.createDeployment(restApiId, 'prod', 'try this', 12.5);
  const trying = await getStage('prod');
  assert.deepEqual([trying.deploymentId, trying.canarySettings?.deploymentId, trying.canarySettings?.percentTraffic], [canary.id, third.id, 12.5]);
  const removed = await c.removeCanary(restApiId, 'prod');
  assert.equal(removed.deploymentId, canary.id);
  const kept = await getStage('prod');
  assert.deepEqual([kept.deploymentId, kept.variables, kept.canarySettings], [canary.id, { color: 'green', keep: 'yes' }, undefined]);

  // AWS's errors come back with their type and message.
  await assert.rejects(c.createDeployment(restApiId, 'bad stage!'), (e: any) => e instanceof AwsError && e.type === 'BadRequestException' && e.status === 400);
  await assert.rejects(c.removeCanary(restApiId, 'nope'), (e: any) => e instanceof AwsError && e.type === 'NotFoundException');
});
