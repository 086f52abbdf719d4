// WebSocket APIs' control plane end to end, through AWS's ApiGatewayV2 client and the AWS CLI:
// CreateApi with protocolType WEBSOCKET and a route selection expression, $connect/$disconnect/$default
// and custom routes, Lambda proxy integrations, route responses, deployments and stages, and what
// AWS refuses for WebSocket APIs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand, DeleteRouteCommand,
  DeleteRouteResponseCommand, GetApiCommand, GetIntegrationCommand, GetRouteCommand, GetRouteResponseCommand, GetRouteResponsesCommand, GetStageCommand,
  UpdateApiCommand, UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { testAccount, testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:any-function`;
const newWebSocketApi = async (name = 'ws') => (await env.apigwv2.send(new CreateApiCommand({
  Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action',
}))).ApiId!;

test('the AWS CLI creates a WebSocket API; GetApi answers its ws:// endpoint and selection expressions', async () => {
  const cli = await awsCli(env.url, ['apigatewayv2', 'create-api', '--name', 'chat', '--protocol-type', 'WEBSOCKET', '--route-selection-expression', '$request.body.action']);
  assert.equal(cli.code, 0, cli.stderr);
  const created = cli.json();
  assert.equal(created.ProtocolType, 'WEBSOCKET');
  assert.equal(created.RouteSelectionExpression, '$request.body.action');
  assert.equal(created.ApiKeySelectionExpression, '$request.header.x-api-key');
  assert.equal(created.DisableSchemaValidation, false);
  assert.equal(created.ApiEndpoint, `ws://${created.ApiId}.execute-api.localhost:${new URL(env.url).port}`);
  const got = await env.apigwv2.send(new GetApiCommand({ ApiId: created.ApiId }));
  assert.equal(got.ProtocolType, 'WEBSOCKET');
  const updated = await env.apigwv2.send(new UpdateApiCommand({ ApiId: created.ApiId, RouteSelectionExpression: '${request.body.service}/${request.body.action}' }));
  assert.equal(updated.RouteSelectionExpression, '${request.body.service}/${request.body.action}');
});

test('CreateApi refuses WebSocket APIs without a body selection expression, and HTTP APIs\' settings', async () => {
  const create = (extra: Record<string, unknown>) => env.apigwv2.send(new CreateApiCommand({ Name: 'bad', ProtocolType: 'WEBSOCKET', ...extra }));
  await expectAwsError(create({}), 'BadRequestException', 'RouteSelectionExpression is required for WebSocket APIs', 400);
  await expectAwsError(create({ RouteSelectionExpression: '$request.method $request.path' }), 'BadRequestException', undefined, 400);
  await expectAwsError(create({ RouteSelectionExpression: '$request.body.action', Target: fnArn }), 'BadRequestException', undefined, 400);
  await expectAwsError(create({ RouteSelectionExpression: '$request.body.action', CorsConfiguration: { AllowOrigins: ['*'] } }), 'BadRequestException', undefined, 400);
});

test('routes with $connect, $disconnect, $default and custom keys, Lambda proxy integrations, route responses, a deployed stage', async () => {
  const apiId = await newWebSocketApi();
  await expectAwsError(env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId })), 'BadRequestException', 'At least one route is required before deploying the Api.', 400);
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn }));
  assert.equal(integration.PayloadFormatVersion, '1.0');
  assert.equal(integration.TimeoutInMillis, 29000);
  assert.equal(integration.IntegrationMethod, 'POST');
  assert.equal(integration.PassthroughBehavior, 'WHEN_NO_MATCH');
  assert.equal((await env.apigwv2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId }))).ConnectionType, 'INTERNET');
  await expectAwsError(env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '2.0' })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, TimeoutInMillis: 30000 })), 'BadRequestException');
  const target = `integrations/${integration.IntegrationId}`;
  const routes: Record<string, string> = {};
  for (const key of ['$connect', '$disconnect', '$default', 'sendmessage']) {
    const route = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: target }));
    assert.equal(route.RouteKey, key);
    assert.equal(route.AuthorizationType, 'NONE');
    routes[key] = route.RouteId!;
  }
  await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'sendmessage', Target: target })), 'ConflictException', undefined, 409);
  await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'secret', AuthorizationType: 'AWS_IAM' })), 'BadRequestException', 'Currently, authorization is restricted to the $connect route only');
  assert.equal((await env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routes.$connect, AuthorizationType: 'AWS_IAM' }))).AuthorizationType, 'AWS_IAM');
  await expectAwsError(env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routes.$connect, RouteKey: 'moved' })), 'BadRequestException', 'Currently, authorization is restricted to the $connect route only');
  await expectAwsError(env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routes.$connect, AuthorizationType: 'JWT' })), 'BadRequestException', 'JWT authorization is supported only for HTTP APIs');

  const twoWay = await env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routes.sendmessage, RouteResponseSelectionExpression: '$default' }));
  assert.equal(twoWay.RouteResponseSelectionExpression, '$default');
  await expectAwsError(env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routes.sendmessage, RouteResponseSelectionExpression: '$request.body.x' })), 'BadRequestException');
  const response = await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: routes.sendmessage, RouteResponseKey: '$default' }));
  assert.equal(response.$metadata.httpStatusCode, 201);
  assert.equal(response.RouteResponseKey, '$default');
  await expectAwsError(env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: routes.sendmessage, RouteResponseKey: '$default' })), 'ConflictException', undefined, 409);
  const got = await env.apigwv2.send(new GetRouteResponseCommand({ ApiId: apiId, RouteId: routes.sendmessage, RouteResponseId: response.RouteResponseId }));
  assert.equal(got.RouteResponseId, response.RouteResponseId);
  assert.deepEqual((await env.apigwv2.send(new GetRouteResponsesCommand({ ApiId: apiId, RouteId: routes.sendmessage }))).Items!.map((r) => r.RouteResponseKey), ['$default']);
  await expectAwsError(env.apigwv2.send(new GetRouteResponseCommand({ ApiId: apiId, RouteId: routes.$default, RouteResponseId: response.RouteResponseId })), 'NotFoundException', undefined, 404);

  await expectAwsError(env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default' })), 'BadRequestException');
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', StageVariables: { fn: 'any-function' } }));
  const deployment = await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev' }));
  assert.equal(deployment.DeploymentStatus, 'DEPLOYED');
  const stage = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }));
  assert.equal(stage.DeploymentId, deployment.DeploymentId);
  assert.deepEqual(stage.StageVariables, { fn: 'any-function' });

  await env.apigwv2.send(new DeleteRouteResponseCommand({ ApiId: apiId, RouteId: routes.sendmessage, RouteResponseId: response.RouteResponseId }));
  assert.deepEqual((await env.apigwv2.send(new GetRouteResponsesCommand({ ApiId: apiId, RouteId: routes.sendmessage }))).Items, []);
  await env.apigwv2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: routes.sendmessage }));
  await expectAwsError(env.apigwv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: routes.sendmessage })), 'NotFoundException', undefined, 404);
});

test('route responses belong to WebSocket APIs only', async () => {
  const http = (await env.apigwv2.send(new CreateApiCommand({ Name: 'http', ProtocolType: 'HTTP' }))).ApiId!;
  const route = await env.apigwv2.send(new CreateRouteCommand({ ApiId: http, RouteKey: 'GET /x' }));
  await expectAwsError(env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: http, RouteId: route.RouteId, RouteResponseKey: '$default' })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: http, RouteKey: '$connect' })), 'BadRequestException');
});

test('WebSocket APIs take Lambda REQUEST authorizers with route.request.* identity sources, for $connect only', async () => {
  const apiId = await newWebSocketApi('guarded');
  const uri = `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/${fnArn}/invocations`;
  const authorizer = await env.apigwv2.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'a', AuthorizerType: 'REQUEST', AuthorizerUri: uri, IdentitySource: ['route.request.header.Auth', 'route.request.querystring.token'] }));
  assert.deepEqual(authorizer.IdentitySource, ['route.request.header.Auth', 'route.request.querystring.token']);
  await expectAwsError(env.apigwv2.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'b', AuthorizerType: 'REQUEST', AuthorizerUri: uri, IdentitySource: ['$request.header.Auth'] })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'c', AuthorizerType: 'JWT', IdentitySource: ['route.request.header.Auth'], JwtConfiguration: { Issuer: 'https://i' } })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'd', AuthorizerType: 'REQUEST', AuthorizerUri: uri, IdentitySource: ['route.request.header.Auth'], AuthorizerPayloadFormatVersion: '2.0' })), 'BadRequestException');
  const connect = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
  assert.equal(connect.AuthorizerId, authorizer.AuthorizerId);
  await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'other', AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId })), 'BadRequestException', 'Currently, authorization is restricted to the $connect route only');
});
