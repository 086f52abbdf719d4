// HTTP APIs' parameter mapping end to end: integrations made with AWS's ApiGatewayV2 client and
// the AWS CLI v2 whose requestParameters rewrite the headers, query string and path an HTTP
// endpoint (a server started here that echoes what it got) or a Lambda function receives, and
// whose responseParameters rewrite the answer's headers and status by the integration's status.
import { test, after } from 'node:test';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetIntegrationCommand, UpdateIntegrationCommand,
} from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';

const env = useServer();

/** What the endpoint got: the method, path with query, and headers; it answers the status asked for in x-want-status. */
interface Echoed { method: string; url: string; headers: Record<string, string | string[] | undefined> }

const backend = createServer((req: IncomingMessage, res) => {
  req.resume();
  const status = Number(req.headers['x-want-status'] ?? 200);
  res.writeHead(status, { 'content-type': 'application/json', 'x-secret-back': 'hidden', 'x-tags': 'one', 'x-reason': 'no such item' });
  res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
});
await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
after(() => backend.close());

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json', 'x-from-fn': 'yes' }, body: JSON.stringify(event) });`;

async function httpApi(name: string, stageVariables: Record<string, string> = {}): Promise<string> {
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }))).ApiId!;
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true, StageVariables: stageVariables }));
  return apiId;
}

const route = (apiId: string, key: string, integrationId: string) =>
  env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: `integrations/${integrationId}` }));

test('HTTP_PROXY: headers, query string and path rewritten; response headers and status mapped by the endpoint status', async () => {
  const apiId = await httpApi('mapping-proxy', { color: 'blue' });
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `${backendUrl}/ignored`, PayloadFormatVersion: '1.0',
    RequestParameters: {
      'append:header.X-Request-Id': '$context.requestId',
      'overwrite:header.X-User': 'user-${request.querystring.user}',
      'overwrite:header.X-Item': '$request.path.id',
      'remove:header.X-Secret': "''",
      'append:querystring.color': '$stageVariables.color',
      'overwrite:querystring.page': '2',
      'remove:querystring.debug': "''",
      'overwrite:path': '/backend/${request.path.id}',
    },
    ResponseParameters: {
      200: { 'overwrite:header.X-Method': '$response.body.method', 'remove:header.X-Secret-Back': "''", 'append:header.X-Tags': 'two' },
      404: { 'overwrite:statuscode': '410', 'overwrite:header.X-Why': '$response.header.x-reason' },
    },
  }));
  assert.deepEqual(integration.ResponseParameters?.['404'], { 'overwrite:statuscode': '410', 'overwrite:header.X-Why': '$response.header.x-reason' });
  await route(apiId, 'GET /items/{id}', integration.IntegrationId!);

  const r = await invokeHttpApi(env.url, apiId, '/items/42?user=ann&page=1&debug=true&keep=yes', { headers: { 'X-Secret': 's3cret', 'X-Kept': 'k' } });
  assert.equal(r.status, 200);
  const got = r.json<Echoed>();
  assert.equal(got.url, '/backend/42?user=ann&page=2&keep=yes&color=blue');
  assert.equal(got.headers['x-request-id'], r.headers['apigw-requestid']);
  assert.equal(got.headers['x-user'], 'user-ann');
  assert.equal(got.headers['x-item'], '42');
  assert.equal(got.headers['x-secret'], undefined);
  assert.equal(got.headers['x-kept'], 'k');
  assert.equal(r.headers['x-method'], 'GET');
  assert.equal(r.headers['x-secret-back'], undefined);
  assert.equal(r.headers['x-tags'], 'one,two');

  const missing = await invokeHttpApi(env.url, apiId, '/items/7', { headers: { 'X-Want-Status': '404' } });
  assert.equal(missing.status, 410, 'the 404 mappings apply, selected by the endpoint status before the overwrite');
  assert.equal(missing.headers['x-why'], 'no such item');
  assert.equal(missing.headers['x-method'], undefined, 'the 200 mappings do not');
  assert.equal(missing.json<Echoed>().headers['x-user'], 'user-', 'a missing parameter in mixed text reads as empty');

  const other = await invokeHttpApi(env.url, apiId, '/items/7', { headers: { 'X-Want-Status': '500' } });
  assert.equal(other.status, 500, 'no mappings for the status: the answer as the endpoint gave it');
  assert.equal(other.headers['x-secret-back'], 'hidden');
});

test('UpdateIntegration merges mappings key by key; an empty value takes one away; the stage serves the change', async () => {
  const apiId = await httpApi('mapping-update');
  const { IntegrationId } = await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl, PayloadFormatVersion: '1.0',
    RequestParameters: { 'overwrite:header.X-A': 'a', 'overwrite:header.X-B': 'b' },
  }));
  await route(apiId, 'GET /x', IntegrationId!);
  const updated = await env.apigwv2.send(new UpdateIntegrationCommand({
    ApiId: apiId, IntegrationId, RequestParameters: { 'overwrite:header.X-B': '', 'overwrite:header.X-C': 'c' },
    ResponseParameters: { 200: { 'overwrite:header.X-Out': 'out' } },
  }));
  assert.deepEqual(updated.RequestParameters, { 'overwrite:header.X-A': 'a', 'overwrite:header.X-C': 'c' });
  const read = await env.apigwv2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId }));
  assert.deepEqual(read.ResponseParameters, { 200: { 'overwrite:header.X-Out': 'out' } });
  const r = await invokeHttpApi(env.url, apiId, '/x');
  const got = r.json<Echoed>();
  assert.deepEqual([got.headers['x-a'], got.headers['x-b'], got.headers['x-c'], r.headers['x-out']], ['a', undefined, 'c', 'out']);
  const cleared = await env.apigwv2.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId, ResponseParameters: { 200: {} } }));
  assert.equal(cleared.ResponseParameters, undefined);
});

test('invalid keys, values and reserved headers are a 400 BadRequestException', async () => {
  const apiId = await httpApi('mapping-errors');
  const create = (extra: Record<string, unknown>) => env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl, PayloadFormatVersion: '1.0', ...extra,
  }));
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ RequestParameters: { 'overwrite:header.Authorization': 'x' } }, /Header Authorization is reserved and cannot be mapped/],
    [{ RequestParameters: { 'append:header.x-amzn-thing': 'x' } }, /reserved/],
    [{ RequestParameters: { 'integration.request.header.x': 'method.request.header.y' } }, /Invalid request parameter key integration\.request\.header\.x/],
    [{ RequestParameters: { 'overwrite:header.x': '$response.header.y' } }, /Request parameters cannot read \$response/],
    [{ RequestParameters: { 'overwrite:querystring.x': '$request.body..deep' } }, /Invalid mapping expression specified: \$request\.body\.\.deep/],
    [{ ResponseParameters: { 100: { 'overwrite:statuscode': '200' } } }, /Invalid status code 100/],
    [{ ResponseParameters: { 200: { 'overwrite:statuscode': 'abc' } } }, /Invalid status code abc for overwrite:statuscode/],
    [{ ResponseParameters: { 200: { 'overwrite:header.Content-Length': '1' } } }, /reserved/],
    [{ ResponseParameters: { 200: { 'overwrite:header.X-A': '$request.header.a' } } }, /Response parameters cannot read \$request/],
  ];
  for (const [extra, message] of cases) {
    await assert.rejects(create(extra), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'BadRequestException');
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.match(e.message, /^Invalid mapping expression specified: Validation Result: warnings : \[\], errors : \[/);
      assert.match(e.message, message);
      return true;
    }, JSON.stringify(extra));
  }
});

test('AWS_PROXY (payload format 2.0): the function sees the mapped headers, query string and path; its answer is mapped', async () => {
  const apiId = await httpApi('mapping-lambda');
  await createNodeFunction(env.lambda, 'mapping-echo', ECHO);
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'mapping-echo', StatementId: 'api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const { IntegrationId } = await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:mapping-echo`, PayloadFormatVersion: '2.0',
    RequestParameters: { 'overwrite:header.X-Mapped': '$request.body.name', 'remove:querystring.drop': "''", 'overwrite:path': '/rewritten' },
    ResponseParameters: { 200: { 'overwrite:statuscode': '202', 'remove:header.X-From-Fn': "''" } },
  }));
  await route(apiId, 'POST /in', IntegrationId!);
  const r = await invokeHttpApi(env.url, apiId, '/in?drop=1&keep=2', { method: 'POST', body: JSON.stringify({ name: 'ann' }), headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 202);
  assert.equal(r.headers['x-from-fn'], undefined);
  const event = r.json();
  assert.equal(event.headers['x-mapped'], 'ann');
  assert.equal(event.rawQueryString, 'keep=2');
  assert.deepEqual(event.queryStringParameters, { keep: '2' });
  assert.equal(event.rawPath, '/rewritten');
});

test('AWS_PROXY (payload format 1.0): mapped headers, query string and path in the REST-style event', async () => {
  const apiId = await httpApi('mapping-lambda-v1', { tier: 'gold' });
  await createNodeFunction(env.lambda, 'mapping-echo-v1', ECHO);
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'mapping-echo-v1', StatementId: 'api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const { IntegrationId } = await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:mapping-echo-v1`, PayloadFormatVersion: '1.0',
    RequestParameters: { 'append:header.X-Tier': '$stageVariables.tier', 'overwrite:querystring.id': '$request.path.id', 'overwrite:path': '/v1/${request.path.id}' },
  }));
  await route(apiId, 'GET /things/{id}', IntegrationId!);
  const r = await invokeHttpApi(env.url, apiId, '/things/9?id=other');
  assert.equal(r.status, 200);
  const event = r.json();
  assert.equal(event.version, '1.0');
  assert.equal(event.headers['X-Tier'], 'gold');
  assert.deepEqual(event.multiValueQueryStringParameters, { id: ['9'] });
  assert.equal(event.path, '/v1/9');
  assert.deepEqual(event.pathParameters, { id: '9' }, 'path parameters stay those of the route');
});

test('the AWS CLI v2 creates mapped integrations, and is told of invalid ones', async () => {
  const apiId = await httpApi('mapping-cli');
  const cli = (...args: string[]) => awsCli(env.url, ['apigatewayv2', ...args]);
  const created = await cli('create-integration', '--api-id', apiId, '--integration-type', 'HTTP_PROXY', '--integration-method', 'GET',
    '--integration-uri', backendUrl, '--payload-format-version', '1.0',
    '--request-parameters', JSON.stringify({ 'append:header.header1': '$context.requestId', 'overwrite:querystring.q': 'fixed' }),
    '--response-parameters', JSON.stringify({ 200: { 'overwrite:header.X-Cli': 'yes' } }));
  assert.equal(created.code, 0, created.stderr);
  const integration = created.json();
  assert.deepEqual(integration.RequestParameters, { 'append:header.header1': '$context.requestId', 'overwrite:querystring.q': 'fixed' });
  assert.deepEqual(integration.ResponseParameters, { 200: { 'overwrite:header.X-Cli': 'yes' } });
  const routed = await cli('create-route', '--api-id', apiId, '--route-key', 'GET /cli', '--target', `integrations/${integration.IntegrationId}`);
  assert.equal(routed.code, 0, routed.stderr);
  const r = await invokeHttpApi(env.url, apiId, '/cli?q=asked');
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-cli'], 'yes');
  const got = r.json<Echoed>();
  assert.equal(got.url, '/?q=fixed');
  assert.equal(got.headers.header1, r.headers['apigw-requestid']);

  const refused = await cli('create-integration', '--api-id', apiId, '--integration-type', 'HTTP_PROXY', '--integration-method', 'GET',
    '--integration-uri', backendUrl, '--payload-format-version', '1.0', '--request-parameters', JSON.stringify({ 'overwrite:header.Host': 'x', 'remove:header.Via': '' }));
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /BadRequestException/);
  assert.match(refused.stderr, /Header Via is reserved and cannot be mapped/);
});
