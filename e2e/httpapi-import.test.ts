// HTTP APIs from OpenAPI documents end to end, through AWS's own ApiGatewayV2 client and the AWS
// CLI: ImportApi creating an API that serves a real function, ExportApi of the API and of a stage,
// the export imported again and ReimportApi replacing an API's routes (its stages redeployed),
// failOnWarnings, and documents that are refused without leaving anything behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  CreateStageCommand, ExportApiCommand, GetApiCommand, GetApisCommand, GetAuthorizersCommand, GetIntegrationsCommand, GetRoutesCommand, GetStageCommand,
  ImportApiCommand, ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';

const env = useServer();

const HELLO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ hello: event.pathParameters?.name ?? null, route: event.routeKey }) });`;
const uriOf = (fn: string) => `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:${testAccount}:function:${fn}/invocations`;

/** An OpenAPI 3.0 document in YAML with Lambda proxy routes for `routes` (path → method). */
const yamlDocument = (title: string, routes: Record<string, string>) => `openapi: 3.0.1
info:
  title: ${title}
  version: v1.0
x-amazon-apigateway-cors:
  allowOrigins: ['https://app.example']
  maxAge: 60
components:
  securitySchemes:
    tokens:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration:
          issuer: https://issuer.example
          audience: [clients]
paths:
${Object.entries(routes).map(([path, method]) => `  ${path}:
    ${method}:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${uriOf('hello')}
        payloadFormatVersion: 2.0
`).join('')}  /private:
    get:
      security:
        - tokens: [read]
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: ${uriOf('hello')}
        payloadFormatVersion: '2.0'
`;

const routeKeys = async (apiId: string) => (await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }))).Items!.map((r) => r.RouteKey).sort();
const exported = async (apiId: string, extra: { StageName?: string; OutputType?: 'JSON' | 'YAML'; IncludeExtensions?: boolean } = {}) => {
  const out = await env.apigwv2.send(new ExportApiCommand({ ApiId: apiId, Specification: 'OAS30', OutputType: 'JSON', ...extra }));
  const text = Buffer.from(out.body!).toString('utf8');
  return { text, doc: (extra.OutputType === 'YAML' ? parseYaml(text) : JSON.parse(text)) as any };
};

let apiId: string;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'hello', HELLO);
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'hello', StatementId: 'any-api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:*`,
  }));
});

test('ImportApi creates an HTTP API whose Lambda proxy route answers once an auto-deploying stage serves it', async () => {
  const imported = await env.apigwv2.send(new ImportApiCommand({ Body: yamlDocument('imported', { '/hello/{name}': 'get' }) }));
  assert.equal(imported.$metadata.httpStatusCode, 201);
  apiId = imported.ApiId!;
  assert.equal(imported.Name, 'imported');
  assert.equal(imported.Version, 'v1.0');
  assert.equal(imported.ProtocolType, 'HTTP');
  assert.equal(imported.RouteSelectionExpression, '$request.method $request.path');
  assert.deepEqual(imported.CorsConfiguration, { AllowOrigins: ['https://app.example'], MaxAge: 60 });
  assert.equal(imported.Warnings, undefined);
  assert.deepEqual(await routeKeys(apiId), ['GET /hello/{name}', 'GET /private']);
  const [integration] = (await env.apigwv2.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items!;
  assert.deepEqual([integration.IntegrationType, integration.IntegrationUri, integration.PayloadFormatVersion], ['AWS_PROXY', uriOf('hello'), '2.0']);
  const [authorizer] = (await env.apigwv2.send(new GetAuthorizersCommand({ ApiId: apiId }))).Items!;
  assert.deepEqual([authorizer.Name, authorizer.AuthorizerType, authorizer.JwtConfiguration?.Issuer], ['tokens', 'JWT', 'https://issuer.example']);
  const privateRoute = (await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }))).Items!.find((r) => r.RouteKey === 'GET /private')!;
  assert.deepEqual([privateRoute.AuthorizationType, privateRoute.AuthorizerId, privateRoute.AuthorizationScopes], ['JWT', authorizer.AuthorizerId, ['read']]);

  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
  const r = await invokeHttpApi(env.url, apiId, '/hello/world');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { hello: 'world', route: 'GET /hello/{name}' });
  assert.equal((await invokeHttpApi(env.url, apiId, '/private')).status, 401, 'the imported JWT authorizer guards its route');
});

test('ExportApi: the current configuration as OpenAPI 3.0 (JSON and YAML, with or without extensions), and a stage\'s deployment', async () => {
  const { doc } = await exported(apiId);
  assert.equal(doc.openapi, '3.0.1');
  assert.equal(doc.info.title, 'imported');
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/hello/{name}', '/private']);
  assert.deepEqual(doc.paths['/hello/{name}'].get['x-amazon-apigateway-integration'], {
    type: 'aws_proxy', uri: uriOf('hello'), httpMethod: 'POST', payloadFormatVersion: '2.0', connectionType: 'INTERNET', timeoutInMillis: 30000,
  });
  assert.deepEqual(doc.paths['/private'].get.security, [{ tokens: ['read'] }]);
  assert.equal(doc.components.securitySchemes.tokens['x-amazon-apigateway-authorizer'].type, 'jwt');
  assert.equal(doc['x-amazon-apigateway-importexport-version'], '1.0');
  assert.deepEqual(doc['x-amazon-apigateway-cors'], { allowOrigins: ['https://app.example'], maxAge: 60 });

  const plain = await exported(apiId, { IncludeExtensions: false, OutputType: 'YAML' });
  assert.match(plain.text, /^openapi: 3\.0\.1/);
  assert.doesNotMatch(plain.text, /x-amazon-apigateway/);
  assert.deepEqual(Object.keys(plain.doc.paths).sort(), ['/hello/{name}', '/private']);

  const stage = await exported(apiId, { StageName: '$default' });
  assert.deepEqual(Object.keys(stage.doc.paths).sort(), ['/hello/{name}', '/private']);
  await expectAwsError(env.apigwv2.send(new ExportApiCommand({ ApiId: apiId, Specification: 'OAS30', OutputType: 'JSON', StageName: 'nope' })),
    'NotFoundException', 'Invalid Stage identifier specified nope', 404);
  await expectAwsError(env.apigwv2.send(new ExportApiCommand({ ApiId: 'missing123', Specification: 'OAS30', OutputType: 'JSON' })), 'NotFoundException', undefined, 404);
  await expectAwsError(env.apigwv2.send(new ExportApiCommand({ ApiId: apiId, Specification: 'OAS30', OutputType: 'JSON', ExportVersion: '2.0' })), 'BadRequestException', undefined, 400);
});

test('round trip: an export imports as an identical API, and ReimportApi replaces an API\'s routes, keeping its id and stages', async () => {
  const copy = await env.apigwv2.send(new ImportApiCommand({ Body: (await exported(apiId)).text }));
  assert.notEqual(copy.ApiId, apiId);
  assert.equal(copy.Name, 'imported');
  assert.deepEqual(await routeKeys(copy.ApiId!), await routeKeys(apiId));
  assert.deepEqual(copy.CorsConfiguration, { AllowOrigins: ['https://app.example'], MaxAge: 60 });

  const before = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
  const reimported = await env.apigwv2.send(new ReimportApiCommand({ ApiId: apiId, Body: yamlDocument('renamed', { '/greet/{name}': 'x-amazon-apigateway-any-method' }) }));
  assert.equal(reimported.$metadata.httpStatusCode, 201);
  assert.equal(reimported.ApiId, apiId);
  assert.equal(reimported.Name, 'renamed');
  assert.deepEqual(await routeKeys(apiId), ['ANY /greet/{name}', 'GET /private']);
  assert.equal((await env.apigwv2.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items!.length, 1, 'the old integrations are gone');
  assert.equal((await env.apigwv2.send(new GetAuthorizersCommand({ ApiId: apiId }))).Items!.length, 1);
  const after = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
  assert.notEqual(after.DeploymentId, before.DeploymentId, 'the auto-deploying stage was redeployed');
  const r = await invokeHttpApi(env.url, apiId, '/greet/you', { method: 'POST' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { hello: 'you', route: 'ANY /greet/{name}' });
  assert.equal((await invokeHttpApi(env.url, apiId, '/hello/world')).status, 404);
});

test('warnings: reported on the API, or with failOnWarnings a BadRequestException that creates or changes nothing', async () => {
  const body = JSON.stringify({
    openapi: '3.0.1', info: { title: 'warned' }, 'x-amazon-apigateway-api-key-source': 'HEADER',
    paths: { '/mock': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } },
  });
  const count = async () => (await env.apigwv2.send(new GetApisCommand({}))).Items!.length;
  const apis = await count();
  await expectAwsError(env.apigwv2.send(new ImportApiCommand({ Body: body, FailOnWarnings: true })), 'BadRequestException', /^Warnings found during import:\n\t.*unsupported integration type 'mock'/, 400);
  assert.equal(await count(), apis);
  await expectAwsError(env.apigwv2.send(new ReimportApiCommand({ ApiId: apiId, Body: body, FailOnWarnings: true })), 'BadRequestException', /^Warnings found during import/);
  assert.equal((await env.apigwv2.send(new GetApiCommand({ ApiId: apiId }))).Name, 'renamed');

  const warned = await env.apigwv2.send(new ImportApiCommand({ Body: body }));
  assert.equal(warned.Warnings!.length, 2);
  assert.match(warned.Warnings![1], /x-amazon-apigateway-api-key-source is not supported for HTTP APIs/);
  const [route] = (await env.apigwv2.send(new GetRoutesCommand({ ApiId: warned.ApiId }))).Items!;
  assert.deepEqual([route.RouteKey, route.Target], ['GET /mock', undefined]);
});

test('invalid documents are refused with BadRequestException and leave nothing half-created', async () => {
  const apis = (await env.apigwv2.send(new GetApisCommand({}))).Items!.length;
  for (const body of ['{"openapi": "3.0.1", "paths": {', 'just: [broken', '{"openapi": "3.0.1", "paths": {}}']) {
    await expectAwsError(env.apigwv2.send(new ImportApiCommand({ Body: body })), 'BadRequestException', 'Invalid OpenAPI input.', 400);
  }
  const broken = JSON.stringify({
    openapi: '3.0.1', info: { title: 'broken' },
    paths: {
      '/ok': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: uriOf('hello'), payloadFormatVersion: '2.0' } } },
      '/bad': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'not-a-url', httpMethod: 'GET' } } },
    },
  });
  await expectAwsError(env.apigwv2.send(new ImportApiCommand({ Body: broken })), 'BadRequestException', /^Errors found during import:\n\tUnable to create integration for GET \/bad/, 400);
  assert.equal((await env.apigwv2.send(new GetApisCommand({}))).Items!.length, apis);
  await expectAwsError(env.apigwv2.send(new ReimportApiCommand({ ApiId: apiId, Body: broken })), 'BadRequestException', /^Errors found during import/);
  assert.deepEqual(await routeKeys(apiId), ['ANY /greet/{name}', 'GET /private'], 'a refused reimport changes nothing');
  await expectAwsError(env.apigwv2.send(new ReimportApiCommand({ ApiId: 'missing123', Body: broken })), 'NotFoundException', undefined, 404);
});

test('imported APIs outlive a restart', async () => {
  await env.restart();
  assert.equal((await env.apigwv2.send(new GetApiCommand({ ApiId: apiId }))).Name, 'renamed');
  assert.deepEqual(await routeKeys(apiId), ['ANY /greet/{name}', 'GET /private']);
  assert.equal((await invokeHttpApi(env.url, apiId, '/greet/again')).status, 200);
});

test('the AWS CLI: aws apigatewayv2 import-api --body file://… and export-api … out.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-import-'));
  writeFileSync(join(dir, 'api.yaml'), yamlDocument('from-cli', { '/cli': 'get' }));
  const cli = (...args: string[]) => awsCli(env.url, ['apigatewayv2', ...args], { cwd: dir });
  const imported = await cli('import-api', '--body', 'file://api.yaml');
  assert.equal(imported.code, 0, imported.stderr);
  const api = imported.json();
  assert.equal(api.Name, 'from-cli');
  const out = await cli('export-api', '--api-id', api.ApiId, '--output-type', 'JSON', '--specification', 'OAS30', 'out.json');
  assert.equal(out.code, 0, out.stderr);
  const doc = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/cli', '/private']);
  assert.equal(doc.paths['/cli'].get['x-amazon-apigateway-integration'].uri, uriOf('hello'));
  const reimported = await cli('reimport-api', '--api-id', api.ApiId, '--body', 'file://out.json', '--fail-on-warnings');
  assert.equal(reimported.code, 0, reimported.stderr);
  const bad = await cli('import-api', '--body', 'not an openapi document');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /BadRequestException.*Invalid OpenAPI input\./);
});
