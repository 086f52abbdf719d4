// Custom domain names for HTTP APIs end to end through AWS's ApiGatewayV2 client: CreateDomainName
// and API mappings with AWS's answer shapes, requests whose Host is the domain routed by mapping key
// to an HTTP API stage (the function seeing the path as called), domain names shared with the REST
// API calls as on AWS, and deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand, CreateStageCommand, DeleteApiMappingCommand, DeleteDomainNameCommand,
  GetApiMappingCommand, GetApiMappingsCommand, GetDomainNameCommand, GetDomainNamesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { GetBasePathMappingsCommand, GetDomainNameCommand as GetRestDomainNameCommand } from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { callDomain } from '../src/testing/context-echo-api.js';

const env = useServer();

const ECHO = 'exports.handler = async (event) => ({ route: event.routeKey, rawPath: event.rawPath, stage: event.requestContext.stage });';

test('HTTP API domain names and API mappings: AWS shapes, routing by mapping key, shared with REST API calls', async () => {
  await createNodeFunction(env.lambda, 'echo', ECHO);
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'mapped', ProtocolType: 'HTTP', Target: `arn:aws:lambda:${testRegion}:${testAccount}:function:echo`, DisableExecuteApiEndpoint: true }));
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'echo', StatementId: 'api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${api.ApiId}/*`,
  }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'beta', AutoDeploy: true }));

  const host = 'http.example.com';
  const created = await env.apigwv2.send(new CreateDomainNameCommand({
    DomainName: host, DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/h', EndpointType: 'REGIONAL' }],
  }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.equal(created.ApiMappingSelectionExpression, '$request.basepath');
  assert.equal(created.DomainName, host);
  const [config] = created.DomainNameConfigurations!;
  assert.match(config.ApiGatewayDomainName!, new RegExp(`^d-[a-z0-9]{10}\\.execute-api\\.${testRegion}\\.amazonaws\\.com$`));
  assert.equal(config.CertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/h');
  assert.equal(config.DomainNameStatus, 'AVAILABLE');
  assert.equal(config.EndpointType, 'REGIONAL');
  assert.equal(config.SecurityPolicy, 'TLS_1_2');
  assert.deepEqual((await env.apigwv2.send(new GetDomainNameCommand({ DomainName: host }))).DomainNameConfigurations, created.DomainNameConfigurations);
  assert.ok((await env.apigwv2.send(new GetDomainNamesCommand({}))).Items!.some((d) => d.DomainName === host));
  // One set of domain names for both kinds of API, as on AWS.
  assert.equal((await env.apigw.send(new GetRestDomainNameCommand({ domainName: host }))).regionalDomainName, config.ApiGatewayDomainName);
  await expectAwsError(env.apigwv2.send(new CreateDomainNameCommand({ DomainName: host })), 'ConflictException', 'The domain name you provided already exists.');

  const v1 = await env.apigwv2.send(new CreateApiMappingCommand({ DomainName: host, ApiId: api.ApiId, Stage: '$default', ApiMappingKey: 'v1' }));
  assert.equal(v1.$metadata.httpStatusCode, 201);
  assert.match(v1.ApiMappingId!, /^[a-z0-9]{6}$/);
  assert.deepEqual({ ApiId: v1.ApiId, ApiMappingKey: v1.ApiMappingKey, Stage: v1.Stage }, { ApiId: api.ApiId, ApiMappingKey: 'v1', Stage: '$default' });
  const root = await env.apigwv2.send(new CreateApiMappingCommand({ DomainName: host, ApiId: api.ApiId, Stage: 'beta' }));
  assert.equal(root.ApiMappingKey, '');
  await expectAwsError(env.apigwv2.send(new CreateApiMappingCommand({ DomainName: host, ApiId: api.ApiId, Stage: 'nope', ApiMappingKey: 'v2' })), 'BadRequestException', 'Invalid stage identifier specified');
  await expectAwsError(env.apigwv2.send(new CreateApiMappingCommand({ DomainName: host, ApiId: api.ApiId, Stage: 'beta', ApiMappingKey: 'v1' })), 'ConflictException');

  const mapped = await callDomain(env.url, host, '/v1/orders/7');
  assert.equal(mapped.status, 200, mapped.text);
  assert.deepEqual(mapped.json(), { route: '$default', rawPath: '/v1/orders/7', stage: '$default' });
  assert.deepEqual((await callDomain(env.url, host, '/orders')).json(), { route: '$default', rawPath: '/orders', stage: 'beta' });

  assert.deepEqual((await env.apigwv2.send(new GetApiMappingCommand({ DomainName: host, ApiMappingId: v1.ApiMappingId }))).ApiMappingKey, 'v1');
  assert.deepEqual((await env.apigwv2.send(new GetApiMappingsCommand({ DomainName: host }))).Items!.map((m) => m.ApiMappingKey), ['', 'v1']);
  assert.deepEqual((await env.apigw.send(new GetBasePathMappingsCommand({ domainName: host }))).items!.map((m) => m.basePath), ['(none)', 'v1']);

  await env.apigwv2.send(new DeleteApiMappingCommand({ DomainName: host, ApiMappingId: root.ApiMappingId }));
  const unmapped = await callDomain(env.url, host, '/orders');
  assert.equal(unmapped.status, 403);
  assert.deepEqual(unmapped.json(), { message: 'Forbidden' });
  await expectAwsError(env.apigwv2.send(new GetApiMappingCommand({ DomainName: host, ApiMappingId: root.ApiMappingId })), 'NotFoundException', 'Invalid base path mapping identifier specified');

  await env.apigwv2.send(new DeleteDomainNameCommand({ DomainName: host }));
  assert.equal((await callDomain(env.url, host, '/v1/orders')).status, 403);
  await expectAwsError(env.apigwv2.send(new GetDomainNameCommand({ DomainName: host })), 'NotFoundException', 'Invalid domain name identifier specified');
});
