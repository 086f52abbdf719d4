// The HTTP API (API Gateway v2) control plane end to end, through AWS's ApiGatewayV2 client and
// the AWS CLI: APIs, routes, integrations, stages and deployments with their defaults, quick
// create, auto-deployment, paging, and the errors AWS answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteApiCommand, DeleteCorsConfigurationCommand,
  DeleteDeploymentCommand, DeleteIntegrationCommand, DeleteRouteCommand, DeleteStageCommand, GetApiCommand, GetApisCommand, GetDeploymentCommand,
  GetDeploymentsCommand, UpdateDeploymentCommand, GetIntegrationCommand, GetIntegrationsCommand, GetRouteCommand, GetRoutesCommand, GetStageCommand, GetStagesCommand,
  UpdateApiCommand, UpdateIntegrationCommand, UpdateRouteCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { testAccount, testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:any-function`;
const newApi = async (name = 'control') => (await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }))).ApiId!;
const lambdaIntegration = async (apiId: string) => (await env.apigwv2.send(new CreateIntegrationCommand({
  ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '2.0',
}))).IntegrationId!;

test('CreateApi answers with AWS defaults; GetApi, GetApis, UpdateApi and DeleteApi', async () => {
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'defaults', ProtocolType: 'HTTP', Description: 'd', Tags: { team: 'a' } }));
  assert.equal(api.$metadata.httpStatusCode, 201);
  assert.match(api.ApiId!, /^[a-z0-9]{10}$/);
  assert.equal(api.ApiEndpoint, `http://${api.ApiId}.execute-api.localhost:${new URL(env.url).port}`);
  assert.equal(api.RouteSelectionExpression, '$request.method $request.path');
  assert.equal(api.ApiKeySelectionExpression, '$request.header.x-api-key');
  assert.equal(api.DisableExecuteApiEndpoint, false);
  assert.equal(api.ProtocolType, 'HTTP');
  assert.deepEqual(api.Tags, { team: 'a' });
  assert.ok(api.CreatedDate instanceof Date && Math.abs(api.CreatedDate.getTime() - Date.now()) < 60_000);

  const got = await env.apigwv2.send(new GetApiCommand({ ApiId: api.ApiId }));
  assert.equal(got.Name, 'defaults');
  assert.equal(got.Description, 'd');
  const updated = await env.apigwv2.send(new UpdateApiCommand({ ApiId: api.ApiId, Name: 'renamed', DisableExecuteApiEndpoint: true }));
  assert.equal(updated.Name, 'renamed');
  assert.equal(updated.DisableExecuteApiEndpoint, true);
  assert.ok((await env.apigwv2.send(new GetApisCommand({}))).Items!.some((a) => a.ApiId === api.ApiId && a.Name === 'renamed'));

  const cors = await env.apigwv2.send(new UpdateApiCommand({ ApiId: api.ApiId, CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['GET'], MaxAge: 60 } }));
  assert.deepEqual(cors.CorsConfiguration, { AllowOrigins: ['*'], AllowMethods: ['GET'], MaxAge: 60 });
  await expectAwsError(env.apigwv2.send(new UpdateApiCommand({ ApiId: api.ApiId, CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true } })), 'BadRequestException');
  assert.equal((await env.apigwv2.send(new DeleteCorsConfigurationCommand({ ApiId: api.ApiId }))).$metadata.httpStatusCode, 204);
  assert.equal((await env.apigwv2.send(new GetApiCommand({ ApiId: api.ApiId }))).CorsConfiguration, undefined);

  const del = await env.apigwv2.send(new DeleteApiCommand({ ApiId: api.ApiId }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await expectAwsError(env.apigwv2.send(new GetApiCommand({ ApiId: api.ApiId })), 'NotFoundException', `Invalid API identifier specified ${testAccount}:${api.ApiId}`, 404);
  await expectAwsError(env.apigwv2.send(new DeleteApiCommand({ ApiId: api.ApiId })), 'NotFoundException', undefined, 404);
});

test('CreateApi refuses what HTTP APIs do not take', async () => {
  await expectAwsError(env.apigwv2.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'HTTP', DisableSchemaValidation: true })), 'BadRequestException', undefined, 400);
  await expectAwsError(env.apigwv2.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', RouteSelectionExpression: '$request.body.action' })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new CreateApiCommand({ ProtocolType: 'HTTP' } as never)), 'BadRequestException', undefined, 400);
});

test('GetApis pages with maxResults and nextToken', async () => {
  for (let i = 0; i < 3; i++) await newApi(`paged-${i}`);
  const all = (await env.apigwv2.send(new GetApisCommand({}))).Items!;
  const first = await env.apigwv2.send(new GetApisCommand({ MaxResults: '2' }));
  assert.equal(first.Items!.length, 2);
  assert.ok(first.NextToken);
  const rest = await env.apigwv2.send(new GetApisCommand({ NextToken: first.NextToken }));
  assert.deepEqual([...first.Items!, ...rest.Items!].map((a) => a.ApiId), all.map((a) => a.ApiId));
  assert.equal(rest.NextToken, undefined);
});

test('quick create: integration, route and an auto-deployed $default stage, all API Gateway managed', async () => {
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: fnArn, RouteKey: 'GET /hello' }));
  const [routes, integrations, stages, deployments] = await Promise.all([
    env.apigwv2.send(new GetRoutesCommand({ ApiId: api.ApiId })), env.apigwv2.send(new GetIntegrationsCommand({ ApiId: api.ApiId })),
    env.apigwv2.send(new GetStagesCommand({ ApiId: api.ApiId })), env.apigwv2.send(new GetDeploymentsCommand({ ApiId: api.ApiId })),
  ]);
  const integration = integrations.Items![0];
  assert.deepEqual({ ...integration, IntegrationId: undefined }, {
    ApiGatewayManaged: true, ConnectionType: 'INTERNET', IntegrationId: undefined, IntegrationMethod: 'POST', IntegrationType: 'AWS_PROXY',
    IntegrationUri: fnArn, PayloadFormatVersion: '2.0', TimeoutInMillis: 30000,
  });
  assert.equal(routes.Items!.length, 1);
  assert.equal(routes.Items![0].RouteKey, 'GET /hello');
  assert.equal(routes.Items![0].Target, `integrations/${integration.IntegrationId}`);
  assert.equal(routes.Items![0].ApiGatewayManaged, true);
  const stage = stages.Items![0];
  assert.equal(stage.StageName, '$default');
  assert.equal(stage.AutoDeploy, true);
  assert.equal(stage.DeploymentId, deployments.Items![0].DeploymentId);
  assert.equal(deployments.Items![0].AutoDeployed, true);
  assert.equal(deployments.Items![0].DeploymentStatus, 'DEPLOYED');
  assert.equal(stage.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${stage.DeploymentId}'`);

  const http = await env.apigwv2.send(new CreateApiCommand({ Name: 'quick-http', ProtocolType: 'HTTP', Target: 'https://example.com/base' }));
  const httpIntegration = (await env.apigwv2.send(new GetIntegrationsCommand({ ApiId: http.ApiId }))).Items![0];
  assert.equal(httpIntegration.IntegrationType, 'HTTP_PROXY');
  assert.equal(httpIntegration.IntegrationMethod, 'ANY');
  assert.equal(httpIntegration.PayloadFormatVersion, '1.0');
});

test('routes: create, get, update, delete, with AWS\'s errors', async () => {
  const apiId = await newApi();
  const integrationId = await lambdaIntegration(apiId);
  const route = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /items/{id}', Target: `integrations/${integrationId}` }));
  assert.equal(route.$metadata.httpStatusCode, 201);
  assert.equal(route.AuthorizationType, 'NONE');
  assert.equal(route.ApiKeyRequired, false);
  assert.equal((await env.apigwv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId }))).RouteKey, 'GET /items/{id}');
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default' }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'ANY /{proxy+}' }));
  assert.deepEqual((await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }))).Items!.map((r) => r.RouteKey), ['GET /items/{id}', '$default', 'ANY /{proxy+}']);
  const updated = await env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId, RouteKey: 'POST /items/{id}' }));
  assert.equal(updated.RouteKey, 'POST /items/{id}');
  assert.equal(updated.Target, `integrations/${integrationId}`);

  await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'POST /items/{id}' })), 'ConflictException', undefined, 409);
  for (const key of ['GET', 'FETCH /x', 'GET items', 'GET /{proxy+}/more', 'GET /a//b']) {
    await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key })), 'BadRequestException', undefined, 400);
  }
  await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /x', Target: 'integrations/nope' })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: 'nope' })), 'NotFoundException', 'Invalid Route identifier specified nope', 404);
  await expectAwsError(env.apigwv2.send(new GetRoutesCommand({ ApiId: 'nope' })), 'NotFoundException', `Invalid API identifier specified ${testAccount}:nope`);
  await expectAwsError(env.apigwv2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId })), 'ConflictException', undefined, 409);
  assert.equal((await env.apigwv2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId }))).$metadata.httpStatusCode, 204);
  await expectAwsError(env.apigwv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId })), 'NotFoundException');
});

test('integrations: AWS_PROXY and HTTP_PROXY with their defaults and checks', async () => {
  const apiId = await newApi();
  const created = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '1.0' }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.equal(created.IntegrationMethod, 'POST');
  assert.equal(created.TimeoutInMillis, 30000);
  assert.equal(created.ConnectionType, 'INTERNET');
  const updated = await env.apigwv2.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId, PayloadFormatVersion: '2.0', TimeoutInMillis: 5000 }));
  assert.equal(updated.PayloadFormatVersion, '2.0');
  assert.equal(updated.TimeoutInMillis, 5000);
  assert.equal((await env.apigwv2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId }))).TimeoutInMillis, 5000);
  const http = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com/{proxy}', IntegrationMethod: 'GET' }));
  assert.equal(http.PayloadFormatVersion, '1.0');
  assert.deepEqual((await env.apigwv2.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items!.map((i) => i.IntegrationType), ['AWS_PROXY', 'HTTP_PROXY']);

  const bad = (input: Record<string, unknown>) => env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, ...input } as never));
  await expectAwsError(bad({ IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn }), 'BadRequestException', /PayloadFormatVersion/);
  await expectAwsError(bad({ IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '3.0' }), 'BadRequestException');
  await expectAwsError(bad({ IntegrationType: 'MOCK' }), 'BadRequestException');
  await expectAwsError(bad({ IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com' }), 'BadRequestException', /method/);
  await expectAwsError(bad({ IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '2.0', TimeoutInMillis: 40000 }), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: 'nope' })), 'NotFoundException', 'Invalid Integration identifier specified nope', 404);
  assert.equal((await env.apigwv2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: http.IntegrationId }))).$metadata.httpStatusCode, 204);
});

test('stages and deployments: explicit deployments, autoDeploy on every change, stage variables, and what may not be deleted', async () => {
  const apiId = await newApi();
  const integrationId = await lambdaIntegration(apiId);
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: `integrations/${integrationId}` }));
  const dev = await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', StageVariables: { color: 'blue' }, Description: 'dev stage' }));
  assert.equal(dev.$metadata.httpStatusCode, 201);
  assert.equal(dev.AutoDeploy, false);
  assert.equal(dev.DeploymentId, undefined);
  assert.deepEqual(dev.StageVariables, { color: 'blue' });
  assert.deepEqual(dev.DefaultRouteSettings, { DetailedMetricsEnabled: false });

  const deployment = await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev', Description: 'first' }));
  assert.equal(deployment.$metadata.httpStatusCode, 201);
  assert.equal(deployment.DeploymentStatus, 'DEPLOYED');
  assert.equal(deployment.AutoDeployed, false);
  assert.equal((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }))).DeploymentId, deployment.DeploymentId);
  assert.equal((await env.apigwv2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId }))).Description, 'first');
  assert.equal((await env.apigwv2.send(new UpdateDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId, Description: 'renamed' }))).Description, 'renamed');
  assert.equal((await env.apigwv2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId }))).Description, 'renamed');

  const vars = await env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', StageVariables: { size: 'L', color: '' } }));
  assert.deepEqual(vars.StageVariables, { size: 'L' });

  const auto = await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'auto', AutoDeploy: true }));
  assert.ok(auto.DeploymentId, 'an autoDeploy stage is deployed at once');
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', Target: `integrations/${integrationId}` }));
  const redeployed = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: 'auto' }));
  assert.notEqual(redeployed.DeploymentId, auto.DeploymentId, 'a route change redeploys autoDeploy stages');
  assert.equal((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }))).DeploymentId, deployment.DeploymentId, 'and leaves the others alone');
  assert.equal((await env.apigwv2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: redeployed.DeploymentId }))).AutoDeployed, true);

  await expectAwsError(env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' })), 'ConflictException', undefined, 409);
  await expectAwsError(env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'bad name' })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'x', DeploymentId: 'nope' })), 'NotFoundException', 'Invalid Deployment identifier specified nope');
  await expectAwsError(env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'x', StageVariables: { 'bad-name': 'v' } })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: 'nope' })), 'NotFoundException', 'Invalid Stage identifier specified nope', 404);
  await expectAwsError(env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'nope' })), 'NotFoundException');
  await expectAwsError(env.apigwv2.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId })), 'BadRequestException',
    'Active stages pointing to this deployment must be moved or deleted');
  assert.equal((await env.apigwv2.send(new DeleteStageCommand({ ApiId: apiId, StageName: 'dev' }))).$metadata.httpStatusCode, 204);
  assert.equal((await env.apigwv2.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId }))).$metadata.httpStatusCode, 204);
  await expectAwsError(env.apigwv2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId })), 'NotFoundException');
  assert.deepEqual((await env.apigwv2.send(new GetStagesCommand({ ApiId: apiId }))).Items!.map((s) => s.StageName), ['auto']);
});

test('HTTP APIs outlive a restart', async () => {
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'durable', ProtocolType: 'HTTP', Target: fnArn }));
  await env.restart();
  assert.equal((await env.apigwv2.send(new GetApiCommand({ ApiId: api.ApiId }))).Name, 'durable');
  assert.equal((await env.apigwv2.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items![0].RouteKey, '$default');
});

test('the AWS CLI drives HTTP APIs: aws apigatewayv2 create-api, create-route, get-stages, delete-api', async () => {
  const cli = (...args: string[]) => awsCli(env.url, ['apigatewayv2', ...args]);
  const created = await cli('create-api', '--name', 'from-cli', '--protocol-type', 'HTTP', '--target', fnArn);
  assert.equal(created.code, 0, created.stderr);
  const api = created.json();
  assert.equal(api.Name, 'from-cli');
  assert.equal(api.ProtocolType, 'HTTP');
  assert.match(api.CreatedDate, /^\d{4}-\d{2}-\d{2}T/);
  const integrations = (await cli('get-integrations', '--api-id', api.ApiId)).json();
  const route = await cli('create-route', '--api-id', api.ApiId, '--route-key', 'GET /cli/{id}', '--target', `integrations/${integrations.Items[0].IntegrationId}`);
  assert.equal(route.code, 0, route.stderr);
  assert.equal(route.json().RouteKey, 'GET /cli/{id}');
  const stages = (await cli('get-stages', '--api-id', api.ApiId)).json();
  assert.equal(stages.Items[0].StageName, '$default');
  const missing = await cli('get-api', '--api-id', 'nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NotFoundException.*Invalid API identifier specified/);
  assert.equal((await cli('delete-api', '--api-id', api.ApiId)).code, 0);
});
