// HTTP APIs (API Gateway v2) end to end: APIs made with AWS's own ApiGatewayV2 client, served on
// their execute-api host to real functions — payload formats 2.0 and 1.0, path parameters, route
// selection, the $default stage against named stages, stage variables, quick create, and AWS's
// answers when nothing matches, the function fails, times out or may not be called.
import { test, after } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteCorsConfigurationCommand, DeleteRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { CreateRestApiCommand, CreateDeploymentCommand as CreateRestDeploymentCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { createNodeFunction, putLambdaProxyMethod, apiGatewayInvokeRole } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost, invokeHttpApi, invokePath } from '../src/execute-api/testing.js';

const env = useServer();

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json', 'x-echo': 'yes' }, cookies: ['a=1', 'b=2'], body: JSON.stringify(event) });`;
const ECHO_V1 = `exports.handler = async (event) => ({ statusCode: 201, headers: { 'content-type': 'application/json' }, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] }, body: JSON.stringify(event) });`;
const PLAIN = `exports.handler = async (event) => ({ hello: event.rawPath });`;
const THROWS = `exports.handler = async () => { throw new Error('kaboom'); };`;
const SLOW = `exports.handler = async () => { await new Promise((r) => setTimeout(r, 2000)); return { statusCode: 200, body: 'late' }; };`;
const arnOf = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;

/** Lets API Gateway call `fn` from any route and stage of `apiId`, as users grant it on AWS. */
const allowApi = (fn: string, apiId: string, statementId = `httpapi-${apiId}`) => env.lambda.send(new AddPermissionCommand({
  FunctionName: fn, StatementId: statementId, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
  SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
}));

let apiId: string;
let v1Integration: string;

env.setup(async () => {
  for (const [name, code, timeout] of [['echo', ECHO, 3], ['echo-v1', ECHO_V1, 3], ['plain', PLAIN, 3], ['throws', THROWS, 3], ['slow', SLOW, 5], ['private', ECHO, 3]] as const) {
    await createNodeFunction(env.lambda, name, code, { Timeout: timeout });
  }
  apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'invoke-tests', ProtocolType: 'HTTP' }))).ApiId!;
  for (const fn of ['echo', 'echo-v1', 'plain', 'throws', 'slow']) await allowApi(fn, apiId, `all-${fn}`);
  const integration = async (fn: string, version: '1.0' | '2.0', extra: { TimeoutInMillis?: number } = {}) => (await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf(fn), PayloadFormatVersion: version, ...extra,
  }))).IntegrationId!;
  const echo = await integration('echo', '2.0');
  v1Integration = await integration('echo-v1', '1.0');
  const route = (key: string, integrationId: string) => env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: `integrations/${integrationId}` }));
  await route('GET /items/{id}', echo);
  await route('ANY /{proxy+}', echo);
  await route('GET /v1/items/{id}', v1Integration);
  await route('GET /plain', await integration('plain', '2.0'));
  await route('GET /throws', await integration('throws', '2.0'));
  await route('GET /slow', await integration('slow', '2.0', { TimeoutInMillis: 500 }));
  await route('GET /private', await integration('private', '2.0'));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true, StageVariables: { color: 'blue' } }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' }));
  await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev' }));
});

test('payload format 2.0: the event a function receives on the $default stage, and its answer with cookies and headers', async () => {
  const r = await invokeHttpApi(env.url, apiId, '/items/42?a=1&a=2&b=x%20y', {
    method: 'GET', headers: { 'User-Agent': 'stagecraft-test/1', Cookie: 'c1=v1; c2=v2', 'X-Custom': 'Value' },
  });
  assert.equal(r.status, 200);
  assert.ok(r.headers['apigw-requestid'], 'every answer carries apigw-requestid');
  assert.equal(r.headers['x-echo'], 'yes');
  assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
  const e = r.json();
  assert.equal(e.version, '2.0');
  assert.equal(e.routeKey, 'GET /items/{id}');
  assert.equal(e.rawPath, '/items/42');
  assert.equal(e.rawQueryString, 'a=1&a=2&b=x%20y');
  assert.deepEqual(e.queryStringParameters, { a: '1,2', b: 'x y' });
  assert.deepEqual(e.cookies, ['c1=v1', 'c2=v2']);
  assert.equal(e.headers['x-custom'], 'Value');
  assert.equal(e.headers['x-forwarded-proto'], 'http');
  assert.deepEqual(e.pathParameters, { id: '42' });
  assert.deepEqual(e.stageVariables, { color: 'blue' });
  assert.equal(e.isBase64Encoded, false);
  const c = e.requestContext;
  assert.equal(c.apiId, apiId);
  assert.equal(c.accountId, testAccount);
  assert.equal(c.stage, '$default');
  assert.equal(c.routeKey, 'GET /items/{id}');
  assert.equal(c.domainName, `${apiId}.execute-api.localhost`);
  assert.equal(c.domainPrefix, apiId);
  assert.deepEqual({ ...c.http, sourceIp: undefined }, { method: 'GET', path: '/items/42', protocol: 'HTTP/1.1', sourceIp: undefined, userAgent: 'stagecraft-test/1' });
  assert.equal(c.requestId, r.headers['apigw-requestid']);
});

test('route selection: the most specific route, greedy paths with ANY, and a body reaching the function', async () => {
  const r = await invokeHttpApi(env.url, apiId, '/a/b/c', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
  const e = r.json();
  assert.equal(e.routeKey, 'ANY /{proxy+}');
  assert.deepEqual(e.pathParameters, { proxy: 'a/b/c' });
  assert.equal(e.body, 'hello');
  const binary = (await invokeHttpApi(env.url, apiId, '/bin', { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2]) })).json();
  assert.equal(binary.isBase64Encoded, true);
  assert.equal(binary.body, 'AAEC');
});

test('payload format 2.0 answers without a statusCode are inferred: 200, JSON', async () => {
  const r = await invokeHttpApi(env.url, apiId, '/plain');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /application\/json/);
  assert.deepEqual(r.json(), { hello: '/plain' });
});

test('payload format 1.0: the REST proxy event shape with the route, and its answer', async () => {
  const r = await invokeHttpApi(env.url, apiId, '/v1/items/7?q=1&q=2', { headers: { 'X-Multi': ['a', 'b'] } });
  assert.equal(r.status, 201);
  assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
  const e = r.json();
  assert.equal(e.version, '1.0');
  assert.equal(e.resource, '/v1/items/{id}');
  assert.equal(e.path, '/v1/items/7');
  assert.equal(e.httpMethod, 'GET');
  assert.deepEqual(e.pathParameters, { id: '7' });
  assert.deepEqual(e.multiValueQueryStringParameters, { q: ['1', '2'] });
  assert.deepEqual(e.queryStringParameters, { q: '2' });
  assert.deepEqual(e.multiValueHeaders['X-Multi'], ['a', 'b']);
  assert.deepEqual(e.stageVariables, { color: 'blue' });
  assert.equal(e.requestContext.routeKey, 'GET /v1/items/{id}');
  assert.equal(e.requestContext.stage, '$default');
  assert.equal(e.requestContext.apiId, apiId);
  assert.equal(e.body, null);
});

test('a named stage serves its own deployment under its path prefix; the $default stage serves the rest', async () => {
  const dev = await invokeHttpApi(env.url, apiId, '/dev/items/9');
  assert.equal(dev.status, 200);
  const e = dev.json();
  assert.equal(e.requestContext.stage, 'dev');
  assert.equal(e.rawPath, '/dev/items/9');
  assert.deepEqual(e.pathParameters, { id: '9' });
  assert.equal(e.stageVariables, undefined);
  // A route added now reaches the auto-deploying $default stage at once, and dev only once deployed.
  const echoIntegration = (await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf('echo'), PayloadFormatVersion: '2.0' }))).IntegrationId!;
  const route = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'DELETE /fresh', Target: `integrations/${echoIntegration}` }));
  assert.equal((await invokeHttpApi(env.url, apiId, '/fresh', { method: 'DELETE' })).json().routeKey, 'DELETE /fresh');
  assert.equal((await invokeHttpApi(env.url, apiId, '/dev/fresh', { method: 'DELETE' })).json().routeKey, 'ANY /{proxy+}', 'dev still serves its deployment');
  const deployment = await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId }));
  await env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', DeploymentId: deployment.DeploymentId }));
  assert.equal((await invokeHttpApi(env.url, apiId, '/dev/fresh', { method: 'DELETE' })).json().routeKey, 'DELETE /fresh');
  await env.apigwv2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
  assert.equal((await invokeHttpApi(env.url, apiId, '/fresh', { method: 'DELETE' })).json().routeKey, 'ANY /{proxy+}');
});

test('the path form /restapis/{apiId}/{stage}/_user_request_/… reaches HTTP API stages, $default included', async () => {
  const onDefault = await invokePath(env.url, apiId, '$default', '/items/5?x=1');
  assert.equal(onDefault.status, 200);
  const e = onDefault.json();
  assert.equal(e.routeKey, 'GET /items/{id}');
  assert.equal(e.rawPath, '/items/5', 'the function sees the path of the host form');
  assert.equal(e.rawQueryString, 'x=1');
  assert.equal(e.requestContext.stage, '$default');
  const onDev = (await invokePath(env.url, apiId, 'dev', '/items/6')).json();
  assert.equal(onDev.requestContext.stage, 'dev');
  assert.equal(onDev.rawPath, '/dev/items/6');
  assert.deepEqual(onDev.pathParameters, { id: '6' });
  const missing = await invokePath(env.url, apiId, 'nope', '/items/6');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json(), { message: 'Not Found' });
});

test('no route, no API, no $default stage: 404 {"message":"Not Found"}', async () => {
  const strict = (await env.apigwv2.send(new CreateApiCommand({ Name: 'strict', ProtocolType: 'HTTP' }))).ApiId!;
  const integrationId = (await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: strict, IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf('echo'), PayloadFormatVersion: '2.0' }))).IntegrationId!;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: strict, RouteKey: 'GET /only', Target: `integrations/${integrationId}` }));
  const undeployed = await invokeHttpApi(env.url, strict, '/only');
  assert.equal(undeployed.status, 404, 'an API with no stage serves nothing');
  await env.apigwv2.send(new CreateStageCommand({ ApiId: strict, StageName: 'prod', AutoDeploy: true }));
  await allowApi('echo', strict);
  assert.equal((await invokeHttpApi(env.url, strict, '/prod/only')).status, 200);
  for (const [method, path] of [['POST', '/prod/only'], ['GET', '/prod/other'], ['GET', '/only'], ['GET', '/']]) {
    const r = await invokeHttpApi(env.url, strict, path, { method });
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.deepEqual(r.json(), { message: 'Not Found' });
    assert.ok(r.headers['apigw-requestid']);
  }
});

test('a function error is 500, an integration timeout 503, a missing permission 500', async () => {
  const failed = await invokeHttpApi(env.url, apiId, '/throws');
  assert.equal(failed.status, 500);
  assert.deepEqual(failed.json(), { message: 'Internal Server Error' });
  const slow = await invokeHttpApi(env.url, apiId, '/slow');
  assert.equal(slow.status, 503);
  assert.deepEqual(slow.json(), { message: 'Service Unavailable' });
  const denied = await invokeHttpApi(env.url, apiId, '/private');
  assert.equal(denied.status, 500, 'API Gateway may not call a function without a resource-policy statement for it');
  assert.deepEqual(denied.json(), { message: 'Internal Server Error' });
  // The server's log line travels over another pipe than the answer: give it a moment.
  for (let i = 0; i < 40 && !/permission/i.test(env.server.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(env.server.stderr(), /permission/i);
});

test('quick create: a Lambda target gets a $default route, an AWS_PROXY 2.0 integration and an auto-deployed $default stage', async () => {
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: arnOf('echo') }));
  await allowApi('echo', api.ApiId!);
  const r = await invokeHttpApi(env.url, api.ApiId!, '/anything/at/all?x=1', { method: 'PATCH' });
  assert.equal(r.status, 200);
  const e = r.json();
  assert.equal(e.routeKey, '$default');
  assert.equal(e.requestContext.stage, '$default');
  assert.equal(e.rawPath, '/anything/at/all');
});

test('REST APIs are served as before next to HTTP APIs', async () => {
  const restApiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'rest-neighbour' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items![0].id!;
  await putLambdaProxyMethod(env.apigw, { restApiId, resourceId: root, httpMethod: 'GET' }, 'echo-v1', { credentials: apiGatewayInvokeRole });
  await env.apigw.send(new CreateRestDeploymentCommand({ restApiId, stageName: 'prod' }));
  const r = await invokeHost(env.url, restApiId, 'prod', '/');
  assert.equal(r.status, 201);
  assert.equal(r.json().httpMethod, 'GET');
  assert.equal(r.headers['apigw-requestid'], undefined);
});

test('HTTP_PROXY: the request goes to the URL with {proxy} filled in and the query string, the answer comes back', async () => {
  const seen: { method?: string; url?: string; body?: string; apiIdHeader?: string }[] = [];
  const backend = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body, apiIdHeader: req.headers['x-amzn-apigateway-api-id'] as string | undefined });
      res.writeHead(202, { 'Content-Type': 'text/plain', 'X-Backend': 'yes' });
      res.end('from backend');
    });
  });
  await new Promise<void>((ok) => backend.listen(0, '127.0.0.1', () => ok()));
  after(() => new Promise<void>((ok) => backend.close(() => ok())));
  const port = (backend.address() as AddressInfo).port;
  const proxied = (await env.apigwv2.send(new CreateApiCommand({ Name: 'proxied', ProtocolType: 'HTTP' }))).ApiId!;
  const integrationId = (await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: proxied, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `http://127.0.0.1:${port}/base/{proxy}`,
  }))).IntegrationId!;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: proxied, RouteKey: 'ANY /svc/{proxy+}', Target: `integrations/${integrationId}` }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: proxied, StageName: '$default', AutoDeploy: true }));
  const r = await invokeHttpApi(env.url, proxied, '/svc/a/b?x=1', { method: 'PUT', body: 'payload' });
  assert.equal(r.status, 202);
  assert.equal(r.text, 'from backend');
  assert.equal(r.headers['x-backend'], 'yes');
  assert.deepEqual(seen, [{ method: 'PUT', url: '/base/a/b?x=1', body: 'payload', apiIdHeader: proxied }]);
});

test('CORS: API Gateway answers preflights itself and puts its CORS headers on every answer, in place of the function\'s', async () => {
  const api = await env.apigwv2.send(new CreateApiCommand({
    Name: 'cors', ProtocolType: 'HTTP', Target: arnOf('echo'),
    CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-echo'], MaxAge: 300 },
  }));
  await allowApi('echo', api.ApiId!);
  const preflight = await invokeHttpApi(env.url, api.ApiId!, '/any/path', {
    method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-custom' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST');
  assert.equal(preflight.headers['access-control-allow-headers'], 'x-custom');
  assert.equal(preflight.headers['access-control-max-age'], '300');
  assert.equal(preflight.text, '');
  const other = await invokeHttpApi(env.url, api.ApiId!, '/x', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } });
  assert.equal(other.status, 204);
  assert.equal(other.headers['access-control-allow-origin'], undefined, 'an origin not allowed gets no CORS headers');

  const r = await invokeHttpApi(env.url, api.ApiId!, '/x', { headers: { Origin: 'https://app.example' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers['access-control-allow-origin'], 'https://app.example');
  assert.equal(r.headers['access-control-expose-headers'], 'x-echo');
  assert.equal(r.json().routeKey, '$default');

  await env.apigwv2.send(new DeleteCorsConfigurationCommand({ ApiId: api.ApiId }));
  const plain = await invokeHttpApi(env.url, api.ApiId!, '/x', { headers: { Origin: 'https://app.example' } });
  assert.equal(plain.headers['access-control-allow-origin'], undefined);
  const unanswered = await invokeHttpApi(env.url, api.ApiId!, '/x', { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' } });
  assert.equal(unanswered.json().requestContext.http.method, 'OPTIONS', 'without CORS the preflight reaches the $default route');
});
