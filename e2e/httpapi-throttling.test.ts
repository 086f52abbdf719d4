// HTTP API throttling: a stage's RouteSettings limit one route ({"message":"Too Many Requests"},
// 429, before the function runs) while the others keep the DefaultRouteSettings; the settings come
// back from GetStage, a route key the API lacks is refused, and DeleteRouteSettings (the AWS CLI)
// lifts the route's limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateApiCommand, CreateRouteCommand, GetRoutesCommand, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer();

test('RouteSettings throttle their route; DefaultRouteSettings the others; DeleteRouteSettings lifts it', async () => {
  await createNodeFunction(env.lambda, 'throttled-fn', 'let n = 0; exports.handler = async () => ({ statusCode: 200, body: String(++n) });');
  const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:throttled-fn`;
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: 'throttled', ProtocolType: 'HTTP', Target: fnArn, RouteKey: 'GET /limited' }));
  const apiId = api.ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'throttled-fn', StatementId: 'httpapi', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const [limited] = (await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }))).Items!;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /free', Target: limited.Target }));

  await expectAwsError(env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', RouteSettings: { 'GET /nowhere': { ThrottlingBurstLimit: 1 } } })),
    'BadRequestException', 'Unable to find Route by key GET /nowhere within the provided RouteSettings', 400);
  await expectAwsError(env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', DefaultRouteSettings: { ThrottlingBurstLimit: -1 } })),
    'BadRequestException', /ThrottlingBurstLimit must be a whole number of at least 0/, 400);
  await env.apigwv2.send(new UpdateStageCommand({
    ApiId: apiId, StageName: '$default',
    DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 100 },
    RouteSettings: { 'GET /limited': { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.01 } },
  }));
  const stage = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
  assert.deepEqual(stage.RouteSettings, { 'GET /limited': { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.01 } });
  assert.deepEqual([stage.DefaultRouteSettings?.ThrottlingBurstLimit, stage.DefaultRouteSettings?.ThrottlingRateLimit], [100, 100]);

  const statuses: number[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await invokeHttpApi(env.url, apiId, '/limited');
    statuses.push(r.status);
    bodies.push(r.body.toString());
  }
  assert.deepEqual(statuses, [200, 200, 429, 429, 429]);
  assert.deepEqual(JSON.parse(bodies[2]), { message: 'Too Many Requests' });
  assert.deepEqual(bodies.slice(0, 2), ['1', '2'], 'throttled requests never reach the function');
  for (let i = 0; i < 5; i++) assert.equal((await invokeHttpApi(env.url, apiId, '/free')).status, 200, 'the default settings allow a burst of 100');

  const removed = await awsCli(env.url, ['apigatewayv2', 'delete-route-settings', '--api-id', apiId, '--stage-name', '$default', '--route-key', 'GET /limited']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).RouteSettings, {});
  assert.equal((await invokeHttpApi(env.url, apiId, '/limited')).status, 200, 'the route falls back to the stage default');
  const again = await awsCli(env.url, ['apigatewayv2', 'delete-route-settings', '--api-id', apiId, '--stage-name', '$default', '--route-key', 'GET /limited']);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /NotFoundException/);
});
